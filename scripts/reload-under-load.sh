#!/usr/bin/env bash
# The long run of issue 18's reload under load: an authority server in its own JVM answers two UDP
# and two TCP clients without pause while its three zones (NSEC-signed, NSEC3-signed, unsigned) get
# a new serial and new contents every INTERVAL_MS, reloaded by SIGHUP and POST /reload in turn and
# re-signed each time. Fails on any failed query, any answer mixing two versions of a zone, any
# RRSIG that does not verify; prints versions, queries and signatures checked. The everyday build
# runs the same test (ReloadUnderLoadTest) for 12 s at 400 ms.
#
#   scripts/reload-under-load.sh [SECONDS] [INTERVAL_MS]      (defaults: 600 s, 1000 ms)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-600}"
INTERVAL_MS="${2:-1000}"
exec ./mvnw -B -q -pl core -am test -Dtest=ReloadUnderLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddnslab.reloadUnderLoad.seconds="$SECONDS_TO_RUN" -Ddnslab.reloadUnderLoad.intervalMillis="$INTERVAL_MS"
