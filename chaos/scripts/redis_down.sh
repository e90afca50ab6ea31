#!/usr/bin/env bash
# Redis outage, for real: the launcher stops the embedded Redis (idempotency keys) and `disable`
# starts a new one on the same port, then waits until orders reports it healthy. Redis keeps
# nothing, so the keys are gone afterwards. In F, POST /orders answers 503 idempotency_unavailable
# while it is down (fail closed); A..E never ask it.
source "$(dirname "$0")/_lib.sh"
case "${1:-}" in
  enable)  infra redis stop ;;
  disable) infra redis start; await_healthy orders ;;
  *) usage "enable | disable" ;;
esac
