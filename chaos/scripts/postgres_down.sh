#!/usr/bin/env bash
# PostgreSQL outage, for real: the launcher stops one embedded PostgreSQL server (a fast shutdown:
# open transactions roll back, connections are cut) and `disable` starts it again on the same port
# and data directory, so its data is still there. SERVER is
#   orders     the :5432 server, holding the orders, payments and notifications databases
#   inventory  the :5433 server, holding the inventory database
# The services' pools reconnect by themselves once it is back; `disable` waits until the services
# using it report healthy again.
source "$(dirname "$0")/_lib.sh"
case "${2:-}" in
  orders|inventory) ;;
  *) usage "enable|disable orders|inventory" ;;
esac
case "${1:-}" in
  enable)  infra "postgres-$2" stop ;;
  disable) infra "postgres-$2" start
           if [ "$2" = orders ]; then await_healthy orders payments notifications; else await_healthy inventory; fi ;;
  *) usage "enable|disable orders|inventory" ;;
esac
