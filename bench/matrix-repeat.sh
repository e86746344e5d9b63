#!/usr/bin/env bash
# Runs one resolver's matrix row for one scenario RUNS times, each in a fresh JVM with a fresh lab
# and a fresh resolver (empty cache), and counts the runs that failed: how a flaky row's rate is
# measured (Knot Resolver's ns-cycle-way-out: 0 of 40 runs failed with the matrix's stub retry,
# kresd's own rate being about 1 try in 40). Needs what the matrix needs (the resolver, port 53).
#   bench/matrix-repeat.sh [RUNS] [MatrixIT class] [scenario]
#   bench/matrix-repeat.sh 40 KnotResolverMatrixIT ns-cycle-way-out
# Each run's table rows go to OUT/summary.txt; a failed run keeps its folder (lab journal in
# out.txt, the resolver's log and config under tmp/).
set -euo pipefail
runs=${1:-40}; it=${2:-KnotResolverMatrixIT}; scenario=${3:-ns-cycle-way-out}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$(mktemp -d /tmp/matrix-repeat.XXXXXX)}
cd "$root"
./mvnw -B -q -o -pl junit -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test
cp="$root/junit/target/test-classes:$root/junit/target/classes:$(cat "$out/cp.txt")"
cat > "$out/RunRow.java" <<'JAVA'
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** One matrix class's shipped scenarios (filtered by dnslab.matrix.scenarios); exit 1 if one failed. */
public class RunRow {
  public static void main(String[] args) throws Exception {
    var request = LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectMethod(Class.forName(args[0]), "shippedScenarios"))
        // keep the resolver's folder (its log) for the runs that fail
        .configurationParameter("junit.jupiter.tempdir.cleanup.mode.default", "never").build();
    var listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    System.exit(listener.getSummary().getTotalFailureCount() > 0 ? 1 : 0);
  }
}
JAVA
failed=0
for i in $(seq 1 "$runs"); do
  dir="$out/run$i"; mkdir -p "$dir/tmp"
  rc=0
  (cd "$dir" && java -Djava.io.tmpdir="$dir/tmp" -Ddnslab.matrix.scenarios="$scenario" -cp "$cp" \
    "$out/RunRow.java" "dev.dnslab.junit.matrix.$it" > out.txt 2>&1) || rc=$?
  [ "$rc" = 0 ] && rm -rf "$dir/tmp" || failed=$((failed + 1))
  echo "run $i rc=$rc $(grep -h "| $scenario |" "$dir/target/resolver-matrix.md" 2>/dev/null | tr -d '\n')" >> "$out/summary.txt"
done
echo "$it $scenario: $failed of $runs runs failed ($out/summary.txt)"
