#!/usr/bin/env bash
# Retry-storm trigger: the payment processor loses capacity (SLOTS worker slots, default 1 of 4),
# so requests queue, time out, and retries pile on. Remove the trigger with `disable` and watch
# whether the stack recovers or stays down (metastable). `enable outage` refuses every payment instead.
source "$(dirname "$0")/_lib.sh"
case "${1:-}" in
  enable)
    if [ "${2:-}" = outage ]; then chaos payments '{"outage": true}'; else chaos payments "{\"slots\": ${2:-1}}"; fi ;;
  disable) chaos payments '{"slots": null, "outage": false}' ;;
  *) usage "enable [SLOTS | outage] | disable" ;;
esac
