#!/usr/bin/env bash
# Inventory lock contention: a background transaction holds the hot products' row locks for MS
# milliseconds (default 2000), again and again. `disable` stops it and releases the locks.
source "$(dirname "$0")/_lib.sh"
case "${1:-}" in
  enable)  chaos inventory "{\"lock_ms\": ${2:-2000}}" ;;
  disable) chaos inventory '{"lock_ms": 0}' ;;
  *) usage "enable [MS] | disable" ;;
esac
