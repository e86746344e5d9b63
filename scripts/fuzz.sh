#!/usr/bin/env bash
# Runs every Jazzer fuzz test in fuzzing mode, one after the other, MINUTES each (default 2), and
# prints each target's executions per second and findings. A normal `./mvnw verify` only replays
# the regression inputs under src/test/resources/**/<Test>Inputs/<method>/; a crash found here is
# written there by Jazzer: fix the bug and commit the input with the fix.
#
#   scripts/fuzz.sh [MINUTES] [TARGET...]     TARGET: module:Class#method (default: all below)
#
# The corpus Jazzer grows while fuzzing stays in <module>/.cifuzz-corpus (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-2}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(
    core:AuthorityChainFuzzTest#answersWithValidWireFormatOrCountsTheDrop
    core:ZoneFileLoaderFuzzTest#loadsOrNamesFileAndLine
    core:ScenarioReaderFuzzTest#readsOrNamesFileAndLine
    recursor:UpstreamReplyFuzzTest#cachesOnlyInBailiwickDataThatReencodes
    router:ForwardingPathFuzzTest#answersWithValidWireFormatOrNothing
    web-server:WebRequestFuzzTest#neverServesAFileOutsideTheSiteFolder
    recursor:DohRequestFuzzTest#answersDnsMessageOrClientError
  )
fi
SECONDS_EACH="$(awk -v m="$MINUTES" 'BEGIN { printf "%d", m * 60 }')"
logs="$(mktemp -d /tmp/dnslab-fuzz.XXXXXX)"
summary=()
for target in "${TARGETS[@]}"; do
  module="${target%%:*}"; test="${target#*:}"
  log="$logs/${test%%#*}.log"
  echo "== fuzzing $target for $MINUTES min (log: $log)"
  status=0
  # Coverage of the parsers we lean on (dnsjava, SnakeYAML, Netty's HTTP codec) guides the fuzzer
  # too, not only our own classes (Jazzer's default).
  JAZZER_FUZZ=1 JAZZER_INSTRUMENT="${JAZZER_INSTRUMENT:-dev.dnslab.**,org.xbill.**,org.yaml.**,io.netty.handler.codec.http.**}" \
    JAZZER_MAX_DURATION="${SECONDS_EACH}s" ./mvnw -B -o -pl "$module" -am test \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
    -Dsurefire.redirectTestOutputToFile=false >"$log" 2>&1 || status=$?
  stats="$(grep -a -E '^#[0-9]+.*exec/s' "$log" | tail -1 || true)"
  finding="$(grep -a -E '== Java Exception|FuzzTestFindingException|crash-[0-9a-f]+' "$log" | head -3 || true)"
  summary+=("$target: ${stats:-no libFuzzer stats (see log)}; exit $status; ${finding:-no finding}")
done
echo
echo "== summary (logs in $logs)"
printf '%s\n' "${summary[@]}"
