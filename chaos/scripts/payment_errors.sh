#!/usr/bin/env bash
# Payment errors: each payment attempt fails with 503 with probability RATE (default 0.2), after
# holding a processor slot for its service time. `disable` sets the rate back to 0.
source "$(dirname "$0")/_lib.sh"
case "${1:-}" in
  enable)  chaos payments "{\"error_rate\": ${2:-0.2}}" ;;
  disable) chaos payments '{"error_rate": 0}' ;;
  *) usage "enable [RATE 0..1] | disable" ;;
esac
