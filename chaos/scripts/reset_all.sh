#!/usr/bin/env bash
# Turns every fault off and resets every service's run state (breakers, bulkheads, counters, stock).
source "$(dirname "$0")/_lib.sh"
for s in gateway orders payments inventory notifications; do
  url="$(admin_url_of "$s")/admin/reset"
  if ! curl -sSf -o /dev/null -X POST "$url" -H "Authorization: Bearer $TOKEN" --max-time 10; then
    echo "reset failed at $url: is the stack up? ('make run-stack')" >&2; exit 1
  fi
  echo "$s reset"
done
