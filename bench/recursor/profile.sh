#!/usr/bin/env bash
# Where our recursor's CPU goes under run.sh's cache-miss load: one recursor started as run.sh
# starts it (start_dnslab_recursor, validating, in front of a lab of our root, TLD and authoritative
# servers), WARMUP_RUNS (4) unmeasured runs of WARMUP_SECS (8) for the JIT, then one run of SECS (15)
# measured, each a fresh name list under the part's wildcard (dnsperf -n 1 -c 8 -q 100, as run.sh).
# During the measured run, as PROFILE says (a list):
#   jfr   a JFR recording (JFC, default the JDK's profile settings) to $OUT_DIR/recursor.jfr: its
#         jdk.ExecutionSample (Java frames of the event loop; system calls do not show), its
#         jdk.ObjectAllocationSample and GC events. JFR's own cost slows the recursor (2026-12-07:
#         ~11,000 qps with a 1 ms sample period against ~22,000 without): read its shares, not its rate.
#   gc    the GC log (gc, gc+heap=debug, gc+age=trace, switched on with jcmd VM.log) to
#         $OUT_DIR/gc.log, and the young and full collections' count and pause time printed.
#         2026-12-07, a2ce98d, 25,119 qps: a young collection per ~440 answers, 1.94 ms each, a
#         full one per ~30,000, 38.7 ms: 5.7 us of GC an answer of 34.7 (perf: half of each young
#         collection scans the old generation's dirty cards, the cache's tables written at random).
#   perf  perf record -g of the whole JVM to $OUT_DIR/recursor.perf, and its split by thread and
#         shared object printed: the kernel's part (the system calls) and the GC's (the VM thread),
#         which JFR's Java samples do not see. JIT code shows as [JIT] without method names.
# Printed: the measured run's rate and the recursor's CPU time per answer (user + system, as run.sh
# prints it) and each thread's CPU ticks over the JVM's life.
#   bench/recursor/profile.sh            PART=miss-unsigned (or miss) PROFILE="gc perf" OUT_DIR=...
# The numbers of one run move with what else runs: compare shares, or alternate two jars (JAR).
# Set before lib.sh, whose defaults (5 and 3 s) are for alternated rounds.
SECS="${SECS:-15}" WARMUP_SECS="${WARMUP_SECS:-8}"
source "$(dirname "$0")/../lib.sh"
need dnsperf dig java jcmd
need_jar
PART="${PART:-miss-unsigned}" PROFILE="${PROFILE:-gc}" WARMUP_RUNS="${WARMUP_RUNS:-4}"
LAB="${LAB:-127.53.3}" PORT=5300 OURS=127.53.4.53
case "$PART" in
  miss-unsigned) wildcard=miss.example.org ;;
  miss) wildcard=blog.example.co.kr ;;
  *) echo "PART=$PART (expected: miss-unsigned or miss)" >&2; exit 64 ;;
esac
bench_init recursor-profile "our recursor alone under the $PART load ($PROFILE)" jvm
OUT_DIR="$(realpath -m "${OUT_DIR:-bench/results/recursor-profile-$(date -u +%Y%m%dT%H%M%SZ)}")"
mkdir -p "$OUT_DIR"

cp -r zones "$work/zones"
printf '; the miss-unsigned part: a wildcard in an unsigned zone\n*.miss 300 IN A 127.53.0.80\n' \
  >>"$work/zones/authoritative/example.org.zone"
start_lab_authorities "$LAB" "$work/zones" --state-dir "$work/state"
wait_answer "$LAB.11" 53 . 'DNSKEY.257' -t DNSKEY
java -jar "$JAR" trust-anchor --format ds --state-dir "$work/state" --zones "$work/zones" >"$work/trust-anchor.ds"
start_dnslab_recursor dnslab "$OURS" "$PORT" 9254 "$LAB" --trust-anchor "$work/trust-anchor.ds"
wait_answer "$OURS" "$PORT" www.google.com "$LAB.80" +short
pid="${BENCH_PIDS[dnslab]}"

names() { # run-label: a fresh name list, as run.sh's measure
  awk -v p="$1" -v w="$wildcard" 'BEGIN { for (i = 0; i < 1000000; i++) printf "%s-%d.%s A\n", p, i, w }' >"$work/names.txt"
}
for ((r = 1; r <= WARMUP_RUNS; r++)); do
  names "w$r"
  echo "warm-up $r: $(dnsperf_qps "warm-$r" "$OURS" "$PORT" "$work/names.txt" "$WARMUP_SECS" -n 1 -c 8 -q 100) qps"
done

names m
[[ " $PROFILE " == *" gc "* ]] &&
  jcmd "$pid" VM.log output="$OUT_DIR/gc.log" what=gc,gc+heap=debug,gc+age=trace decorators=uptime >/dev/null
[[ " $PROFILE " == *" jfr "* ]] &&
  jcmd "$pid" JFR.start name=profile settings="${JFC:-profile}" filename="$OUT_DIR/recursor.jfr" >/dev/null
perf_pid=
if [[ " $PROFILE " == *" perf "* ]]; then
  perf record -F 999 -g -p "$pid" -o "$OUT_DIR/recursor.perf" -- sleep "$SECS" >/dev/null 2>&1 &
  perf_pid=$!
fi
before="$(cpu_seconds dnslab)"
qps="$(dnsperf_qps measured "$OURS" "$PORT" "$work/names.txt" "$SECS" -n 1 -c 8 -q 100)"
after="$(cpu_seconds dnslab)"
[[ " $PROFILE " == *" jfr "* ]] && jcmd "$pid" JFR.stop name=profile >/dev/null
[[ " $PROFILE " == *" gc "* ]] && jcmd "$pid" VM.log disable >/dev/null
[ -z "$perf_pid" ] || wait "$perf_pid" || true
answered="$(awk '/Queries completed/ {print $3}' "$work/measured.dnsperf")"
echo "measured: $qps qps, $answered answers, lost $(dnsperf_lost measured); rcodes $(dnsperf_rcodes measured)"
awk -v a="$before" -v b="$after" -v n="$answered" 'BEGIN { printf "CPU per answer: %.2f us (user + system)\n", (b - a) * 1e6 / n }'
echo "CPU ticks by thread over the JVM's life:"
for t in /proc/"$pid"/task/*; do echo "$(awk '{print $14 + $15}' "$t/stat") $(cat "$t/comm")"; done |
  sort -nr | head -6 | sed 's/^/  /'
if [[ " $PROFILE " == *" gc "* ]]; then
  # Per answer rather than per second: dnsperf -n 1 may run out of names before SECS.
  awk -v answers="$answered" '/Pause (Young|Full)/ { kind = $4; ms = $NF; sub(/ms/, "", ms); n[kind]++; t[kind] += ms }
    END { for (k in n) printf "  %s collections: %d (one per %d answers), %.2f ms each, %.1f ms in all (%.2f us an answer)\n",
      k, n[k], answers / n[k], t[k] / n[k], t[k], t[k] * 1000 / answers }' "$OUT_DIR/gc.log"
fi
if [ -n "$perf_pid" ]; then
  echo "perf, share of the samples by thread and object:"
  perf report -i "$OUT_DIR/recursor.perf" --no-children --sort comm,dso -g none -q 2>/dev/null | head -8 | sed 's/^/ /'
fi
echo "files: $OUT_DIR"
