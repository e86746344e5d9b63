#!/usr/bin/env bash
# Every bench, one after the other, each writing its report to bench/results/. Run it under the
# machine's heavy-run lock where one exists:  flock /tmp/dnslab-heavy.lock bench/run-all.sh
#   ROUNDS=5 SECS=5 WARMUP_SECS=3 bench/run-all.sh     (about 15 min on 2 cores)
#   BENCHES="authoritative/run.sh startup.sh" bench/run-all.sh
set -uo pipefail
cd "$(dirname "$0")"
BENCHES="${BENCHES:-authoritative/run.sh authoritative/dnssec.sh recursor/run.sh web/run.sh startup.sh}"
failed=()
for b in $BENCHES; do
  ./"$b" || failed+=("$b")
done
echo
echo "== summary (medians, min-max; full reports in bench/results/)"
for f in $(ls -t results/*.txt | head -n "$(wc -w <<<"$BENCHES")"); do
  echo "$f"; grep -E 'RATIO|START|LAB RSS|^RSS' "$f"
done
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}" >&2; exit 1; }
