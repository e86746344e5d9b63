#!/bin/bash
# The container health check of every Java role: one HTTP/1.0 GET with bash's /dev/tcp, healthy
# (exit 0) on a 2xx status, unhealthy (exit 1) otherwise. Bash builtins only, no JVM per check: a
# check costs ~20 ms of CPU (mostly Docker starting the process) instead of ~0.4 s for a
# `java HealthProbe` start.
#
# The default URL is the role's admin /health, which answers 200 only once the role has answered a
# real question over its own socket (core's DnsSelfCheck: an authority its zone's SOA, the
# recursor and the router a name resolved from the root down), so "healthy" still means "works".
#
# usage: health [--url http://ADDRESS[:PORT]/PATH] [--host NAME]
#   --url   default http://127.0.0.1:9153/health (ADDRESS must be an address literal: no DNS here)
#   --host  the Host header (default: ADDRESS), e.g. a lab site's name for the web server
set -u
url=http://127.0.0.1:9153/health
host=
while [ $# -gt 0 ]; do
  case $1 in
    --url) url=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    *) echo "health: unknown argument $1" >&2; exit 1 ;;
  esac
done
rest=${url#http://}
authority=${rest%%/*}
path=/
[ "$rest" != "$authority" ] && path=/${rest#*/}
address=${authority%:*}
port=80
[ "$address" != "$authority" ] && port=${authority##*:}
host=${host:-$address}

exec 3<>"/dev/tcp/$address/$port" || { echo "health: cannot connect to $address:$port"; exit 1; }
# RFC 9112: HTTP/1.0 without keep-alive, so the server closes after one response.
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: dnslab-health\r\n\r\n' "$path" "$host" >&3
IFS= read -r -t 4 status <&3 || { echo "health: no reply from $url"; exit 1; }
status=${status%$'\r'}
# The body's first line says why (e.g. "ok" or the failed question); docker inspect keeps it.
reason=
while IFS= read -r -t 1 line <&3; do
  line=${line%$'\r'}
  [ -z "$line" ] && { IFS= read -r -t 1 reason <&3; break; }
done
exec 3<&-
echo "health: $url (Host: $host): $status${reason:+: $reason}"
# RFC 9112 4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
case $status in
  HTTP/1.?" 2"??" "* | HTTP/1.?" 2"??) exit 0 ;;
  *) exit 1 ;;
esac
