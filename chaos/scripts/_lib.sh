# Shared by the chaos scripts: find the running stack, and send one admin request loudly.
# Reads the admin token from .run/admin-token (written by `make run-stack`) or LAB_ADMIN_TOKEN.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOKEN="${LAB_ADMIN_TOKEN:-$(cat "$ROOT/.run/admin-token" 2>/dev/null || true)}"
if [ -z "$TOKEN" ]; then
  echo "No admin token: the stack is not running here (no .run/admin-token). Start it with 'make run-stack'." >&2
  exit 1
fi

url_of() { # service name -> base URL, from the environment or the default port
  local name=$1 port
  case $name in payments) port=8002;; inventory) port=8003;; notifications) port=8004;; orders) port=8001;; gateway) port=8000;; esac
  local var="LAB_$(echo "$name" | tr a-z A-Z)_URL"
  echo "${!var:-http://127.0.0.1:$port}"
}

# chaos SERVICE JSON: POST it to SERVICE's /admin/chaos, print what is now active, fail loudly otherwise.
chaos() {
  local service=$1 body=$2 url out code
  url="$(url_of "$service")/admin/chaos"
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

usage() { echo "usage: $0 $1" >&2; exit 2; }
