#!/bin/bash
# Health check of the Outrider container: asks the agent's status endpoint (loopback only, so the check runs inside
# the container) and exits 0 for HTTP 200, 1 otherwise, printing the answer (docker inspect and kubectl describe pod
# show it). Uses bash's /dev/tcp: no curl in the image, and no JVM started every few seconds.
#
#   healthcheck.sh live    GET /health: 200 while the agent answers at all (Kubernetes livenessProbe)
#   healthcheck.sh ready   GET /ready: 200 while every output delivers or is idle, 503 naming each output that is
#                          retrying, paused as unauthorized, failed or dead-lettered in the last 5 minutes
#                          (Docker HEALTHCHECK, Kubernetes readinessProbe)
#
# The endpoint is OUTRIDER_STATUS_LISTEN (default 127.0.0.1:8686). The configuration docker-entrypoint.sh generates
# enables it there; a mounted configuration needs agent.status.enabled: true with the same listen address.
set -u

case "${1:-ready}" in
  live) path=/health ;;
  ready) path=/ready ;;
  *) echo "usage: healthcheck.sh live|ready" >&2; exit 2 ;;
esac
listen=${OUTRIDER_STATUS_LISTEN:-127.0.0.1:8686}
host=${listen%:*}
port=${listen##*:}
host=${host#[}
host=${host%]}
[ "$host" != localhost ] || host=127.0.0.1

if ! { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
  echo "no answer on $listen: the agent is not running, or agent.status is not enabled on that address (OUTRIDER_STATUS_LISTEN)"
  exit 1
fi
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
# the agent closes the connection after its answer; the bound only matters for an agent that hangs
answer=$(timeout 5 cat <&3 | tr -d '\r')
exec 3<&-
status=$(printf '%s\n' "$answer" | head -n 1 | cut -d ' ' -f 2)
body=$(printf '%s\n' "$answer" | sed '1,/^$/d')
echo "$path: ${status:-no answer} ${body}"
[ "$status" = 200 ]
