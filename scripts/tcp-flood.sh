#!/usr/bin/env bash
# The full-size TCP flood of issue 18: CONNECTIONS (default 10000) idle TCP connections at an
# authoritative server with the default cap of 256, while new TCP and UDP clients keep asking.
# Prints the connections opened, answers served during the flood and evictions
# (dns_tcp_evicted_total). The everyday build runs the same test with 2,000 connections.
#
#   scripts/tcp-flood.sh [CONNECTIONS]
#
# Needs about CONNECTIONS + 1000 file descriptors (client and server share one JVM).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-10000}"
need=$((CONNECTIONS + 1000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" || { echo "needs ulimit -n >= $need" >&2; exit 1; }
fi
exec ./mvnw -B -q -pl core -am test -Dtest=TcpFloodTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddnslab.tcpFlood.connections="$CONNECTIONS"
