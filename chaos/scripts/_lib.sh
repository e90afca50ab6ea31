# Shared by the chaos scripts: find the running stack, and send one admin request loudly.
# Reads the stack's addresses from .run/stack.json (written by `make run-stack`; LAB_RUN_DIR moves
# .run) and the admin token from .run/admin-token, or LAB_ADMIN_TOKEN, LAB_<SERVICE>_URL and
# LAB_<SERVICE>_ADMIN_URL for a stack started another way (docker compose). Admin calls go to each
# service's management listener (its port + 100), never to the service port.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${LAB_RUN_DIR:-$ROOT/.run}"
TOKEN="${LAB_ADMIN_TOKEN:-$(cat "$RUN/admin-token" 2>/dev/null || true)}"
if [ -z "$TOKEN" ]; then
  echo "No admin token: the stack is not running here (no $RUN/admin-token). Start it with 'make run-stack'." >&2
  exit 1
fi

# stack_json KEY: the first "KEY" : "http..." value in stack.json (one key per line, as the launcher writes it).
stack_json() {
  sed -n "s/^ *\"$1\" : \"\(http[^\"]*\)\".*/\1/p" "$RUN/stack.json" 2>/dev/null | head -1
}

url_of() { # service name -> base URL: LAB_<SERVICE>_URL, else stack.json, else the default port
  local name=$1 port
  case $name in payments) port=8002;; inventory) port=8003;; notifications) port=8004;; orders) port=8001;; gateway) port=8000;; esac
  local var="LAB_$(echo "$name" | tr a-z A-Z)_URL" from_file
  from_file=$(stack_json "$name")
  echo "${!var:-${from_file:-http://127.0.0.1:$port}}"
}

admin_url_of() { # service name -> its management listener: LAB_<SERVICE>_ADMIN_URL, else stack.json's "admin", else port + 100
  local name=$1 port
  case $name in payments) port=8102;; inventory) port=8103;; notifications) port=8104;; orders) port=8101;; gateway) port=8100;; esac
  local var="LAB_$(echo "$name" | tr a-z A-Z)_ADMIN_URL" from_file
  from_file=$(sed -n '/^ *"admin" : {/,/}/p' "$RUN/stack.json" 2>/dev/null \
    | sed -n "s/^ *\"$name\" : \"\(http[^\"]*\)\".*/\1/p" | head -1)
  echo "${!var:-${from_file:-http://127.0.0.1:$port}}"
}

# chaos SERVICE JSON: POST it to SERVICE's /admin/chaos, print what is now active, fail loudly otherwise.
chaos() {
  local service=$1 body=$2 url out code
  url="$(admin_url_of "$service")/admin/chaos"
  out=$(mktemp); trap 'rm -f "$out"' RETURN
  if ! code=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$url" -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' -d "$body" --max-time 5); then
    echo "$service is not reachable at $url: is the stack up? ('make run-stack')" >&2; exit 1
  fi
  if [ "$code" != 200 ]; then
    echo "$service refused $body with HTTP $code: $(cat "$out")" >&2; exit 1
  fi
  echo "$service chaos now: $(sed -E 's/.*"active":(\{[^}]*\}).*/\1/' "$out")"
}

# infra NAME stop|start: the launcher's control channel takes Redis or one PostgreSQL down or back up.
infra() {
  local name=$1 action=$2 url out code
  url=$(stack_json control)
  if [ -z "$url" ]; then
    echo "No control channel in $RUN/stack.json: only a stack started with 'make run-stack' can take its" \
         "own Redis or PostgreSQL down (with docker compose: 'docker compose stop redis')." >&2; exit 1
  fi
  out=$(mktemp); trap 'rm -f "$out"' RETURN
  if ! code=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$url/infra/$name/$action" \
      -H "Authorization: Bearer $TOKEN" --max-time 60); then
    echo "the launcher is not reachable at $url: is the stack up? ('make run-stack')" >&2; exit 1
  fi
  if [ "$code" != 200 ]; then
    echo "the launcher refused to $action $name with HTTP $code: $(cat "$out")" >&2; exit 1
  fi
  if grep -q '"changed":true' "$out"; then
    echo "$name is now $([ "$action" = stop ] && echo down || echo up) ($(sed -E 's/.*"url":"([^"]*)".*/\1/' "$out"))"
  else
    echo "$name was already $([ "$action" = stop ] && echo down || echo up); nothing changed"
  fi
}

# await_healthy SERVICE...: after a dependency comes back, wait (at most 60 s) until each service's
# /health is 200 again: its connection pool reconnects by itself, but not in the same instant.
await_healthy() {
  local service url code start=$SECONDS
  for service in "$@"; do
    url="$(url_of "$service")/health"
    until code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url") && [ "$code" = 200 ]; do
      if [ $((SECONDS - start)) -ge 60 ]; then
        echo "$service is still unhealthy 60 s later: $(curl -s --max-time 5 "$url")" >&2; exit 1
      fi
      sleep 0.5
    done
  done
  echo "healthy again: $* ($((SECONDS - start)) s)"
}

usage() { echo "usage: $0 $1" >&2; exit 2; }
