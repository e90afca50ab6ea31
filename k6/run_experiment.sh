#!/usr/bin/env bash
# NOTE: k6 is not installed on the lab's build machine, so this script has never been run there.
# The reference is `make experiment SCENARIO=... ` (frl.experiment.ExperimentMain), which also
# calibrates capacity, interleaves and repeats runs, computes MTTR and audits the databases.
# This is the spec's k6 equivalent, for people who use k6:
#
#   ./k6/run_experiment.sh payment_errors 120s [RATE]
#
# For each config A..G: POST /admin/reset on all five services (bearer token from
# .run/admin-token), run steady_state.js at RATE orders/s for DURATION, switch the scenario's
# chaos on for the middle third and off again, and keep each config's JSON summary in
# results/k6-<timestamp>-<scenario>/<config>.json. Same endpoints and headers as the Java driver.
set -euo pipefail

SCENARIO=${1:?usage: $0 SCENARIO DURATION [RATE]   (SCENARIO: none|payment_errors|payment_slow|inventory_lock|retry_storm)}
DURATION=${2:-120s}
RATE=${3:-50}
cd "$(dirname "$0")/.."
command -v k6 >/dev/null || { echo "k6 is not installed; use 'make experiment SCENARIO=$SCENARIO' (the Java driver)" >&2; exit 2; }

GATEWAY=${GATEWAY_URL:-http://127.0.0.1:8000}
# Admin calls go to each service's management listener (its port + 100).
declare -A URL=(
  [gateway]=${GATEWAY_ADMIN_URL:-http://127.0.0.1:8100}
  [orders]=${ORDERS_ADMIN_URL:-http://127.0.0.1:8101}
  [payments]=${PAYMENTS_ADMIN_URL:-http://127.0.0.1:8102}
  [inventory]=${INVENTORY_ADMIN_URL:-http://127.0.0.1:8103}
  [notifications]=${NOTIFICATIONS_ADMIN_URL:-http://127.0.0.1:8104}
)
TOKEN=$(cat "${ADMIN_TOKEN_FILE:-.run/admin-token}")
RESENDS=0
case "$SCENARIO" in
  none)           TARGET="";          CHAOS="" ;;
  payment_errors) TARGET=payments;    CHAOS='{"error_rate": 0.2}' ;;
  payment_slow)   TARGET=payments;    CHAOS='{"latency_ms": 3000}' ;;
  inventory_lock) TARGET=inventory;   CHAOS='{"lock_ms": 2000}' ;;
  retry_storm)    TARGET=payments;    CHAOS='{"slots": 2}'; RESENDS=4 ;;  # capacity drop, as Huang et al.
  *) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac

admin() { # service path json
  curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
       -d "$3" "${URL[$1]}$2" >/dev/null
}

seconds=${DURATION%s}
third=$(( seconds / 3 ))
[ "$SCENARIO" = retry_storm ] && third=10  # the metastability trigger is a fixed 10 s window
out="results/k6-$(date -u +%Y%m%dT%H%M%SZ)-$SCENARIO"
mkdir -p "$out"
for config in A B C D E F G; do
  for s in gateway orders payments inventory notifications; do admin "$s" /admin/reset '{}'; done
  k6 run --quiet --env CLIENT_CONFIG="$config" --env RATE="$RATE" --env DURATION="$DURATION" \
         --env RESENDS="$RESENDS" --env GATEWAY_URL="$GATEWAY" --env SUMMARY="$out/$config.json" \
         k6/steady_state.js &
  k6pid=$!
  if [ -n "$TARGET" ]; then
    sleep "$third";  admin "$TARGET" /admin/chaos "$CHAOS"
    sleep "$third";  admin "$TARGET" /admin/chaos '{"reset": true}'
  fi
  wait "$k6pid" || echo "config $config: thresholds failed (expected under a fault); see $out/$config.json"
done
echo "k6 summaries in $out (success = HTTP 201 within the client timeout, over scheduled arrivals)"
