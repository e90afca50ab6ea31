#!/usr/bin/env bash
# Notifications outage: every notification is refused with 503 (direct calls are lost; the outbox
# in config F keeps them and delivers after `disable`).
source "$(dirname "$0")/_lib.sh"
case "${1:-}" in
  enable)  chaos notifications '{"down": true}' ;;
  disable) chaos notifications '{"down": false}' ;;
  *) usage "enable | disable" ;;
esac
