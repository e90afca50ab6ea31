#!/usr/bin/env bash
# Payment latency: every payment answer is delayed by MS milliseconds (default 3000), outside the
# processor slot (a slow network path: callers wait, capacity is unchanged). `disable` removes it.
source "$(dirname "$0")/_lib.sh"
case "${1:-}" in
  enable)  chaos payments "{\"latency_ms\": ${2:-3000}}" ;;
  disable) chaos payments '{"latency_ms": 0}' ;;
  *) usage "enable [MS] | disable" ;;
esac
