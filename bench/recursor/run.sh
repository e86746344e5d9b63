#!/usr/bin/env bash
# dnslab's recursor against Unbound, both iterating from the same lab root (our root, TLD and
# authoritative servers on port 53 of $LAB.0/24: Unbound only asks upstream servers on port 53),
# one worker each (our --threads 1, Unbound num-threads 1). Three parts, in this order:
#   hits  cache hits on a realistic mix: 10,000 names plus 2,000 that do not exist, asked with a
#         Zipf-like popularity (the k-th most popular name asked about 1/k as often), caches filled
#         first; the names live in a bench-only copy of zones/ (example.org gets h00001..h10000).
#   miss  the cache-miss path: every query a new name under the lab's wildcard *.blog.example.co.kr,
#         a fresh name list for each run (dnsperf -n 1: no name is asked twice). That zone is
#         signed: once a resolver holds the NSEC3 records that prove the wildcard's expansion, it
#         may answer further names itself (RFC 8198 aggressive use; ours does for NSEC3, Unbound's
#         aggressive-nsec only for NSEC), so after the first rounds this part measures that too.
#   miss-unsigned  the same under *.miss.example.org, a wildcard the bench copy adds to an unsigned
#         zone: no proof to reuse, so every query costs both resolvers one upstream query.
#   cold  cold walk latency: COLD_WALKS (20) times per server, flush the cache (our POST
#         /cache/flush; unbound-control flush_zone . and flush_infra all), then resolve WALK_NAMES
#         one after the other; the walk's time is dnsperf's average latency times the names.
#         What each flush forgets: ours the records, the DNSSEC verdicts, the validated DS/DNSKEY
#         sets with the verified signatures, and the NSEC/NSEC3 kept for aggressive answers;
#         Unbound's flush_zone . the RRsets, messages and key-cache entries, flush_infra all the
#         server RTTs and EDNS facts. Both thus fetch and validate every DS and DNSKEY again. Ours
#         keeps its server RTTs, 0x20 and cookie knowledge (the lab has one server per zone and
#         answers cookies at once, so neither changes a query) and does not prime again after a
#         flush (a flush is not an expiry, RFC 9609 3; priming would run beside the query anyway),
#         while Unbound primes (. NS) before its first query and sends its RFC 8145 key-tag query:
#         one round trip more on Unbound's walk. Upstream queries per walk (tshark on lo): ours
#         22, Unbound 23 (21 without those two).
#         Two figures, each with its pairs, ratio and CPU: walks 1-COLD_WALKS of this recursor (a
#         fresh JVM when cold is the first part, as with PARTS=cold), then, after COLD_WARMUP more
#         walks each, unmeasured, COLD_WALKS more: a recursor that has served a while, the issue's
#         "alternated after a warm-up". COLD_WARMUP defaults to 100 (~25 s): one JVM, 240 walks
#         in 20-walk blocks (2026-12-05, base b9ad4e3, helpers' builds beside it), median ours /
#         Unbound ms: 1-20 43.9 / 15.9 (2.76), 21-40 27.2 / 9.8, 61-80 20.0 / 7.4, 101-120 15.8 /
#         6.8 (2.32), 121-140 15.0 / 6.2 (2.43), 181-200 12.7 / 5.7, 221-240 12.4 / 5.8 (2.12); another
#         JVM: 1-20 47.7 / 15.1 (2.95), 121-140 18.2 / 6.6 (2.60), our CPU per walk 55 then 20 ms.
#         Unbound's walk too halves over the first ~60 walks: the lab's authorities are our JVMs,
#         warming up as well, so walks 1-20 are slow for both. By walk ~100 the ratio stops falling
#         faster than its walk-to-walk spread; ours still creeps down (our C1/C2 threads still held
#         55 % of the process's CPU at walks ~200-240, async-profiler), so the warm figure is a
#         recursor that has served a while, not a fully compiled one. The fresh-JVM figure stays
#         printed first: it is what a just-started recursor gives (the start-up goals' business).
#         With the warm-up, "RSS after cold" reads after 140 walks: 123 MiB against 90-93 after 20
#         (PARTS=cold, 2026-12-05), JIT code and metaspace growing with the walks.
#         Who walks first alternates (odd walks ours): walking right after ours, while our JIT
#         threads still compile, Unbound's walk was slower (2026-12-05, walks 1-20 of 7 JVMs, 70
#         walks each way: Unbound 15.2 ms after ours against 14.2 ms first; ours 46.6 first, 46.2
#         after Unbound), so the old ours-first order flattered our ratio by ~7 %.
#         Our JIT's warm-up outlasts any few walks, as each walk runs a path only a
#         few times (one JVM, 200 walks, 2026-12-05, -XX:+LogCompilation and JFR): walks 101-200
#         still cost ~24 ms of C2 compilation each, 40 % of it BouncyCastle's curve arithmetic
#         (Ed25519's scalarMultStraus128Var alone 0.6 s), while the event loop ran ~6 ms of Java
#         a walk. No deoptimise/recompile cycle feeds it (2026-12-05, -XX:+LogCompilation over 160
#         walks: 872 C2 compilations of 854 methods in the JVM's life, none of ours twice; 26 uncommon
#         traps and 15 C2 methods made not entrant in all 160 walks): it is first compilations of
#         methods a walk runs a few times, e.g. scalarMultStraus128Var reaching C2 only at walk ~140
#         (0.34 s for that one). Checked again by walk range (2026-12-06, 3410277, PARTS=cold
#         COLD_WARMUP=200, two JVMs, -XX:+LogCompilation against each walk's start time), walks 1-20 /
#         21-100 / 101-220 / 221-240: C2 code made not entrant 7/2/0/1 and 6/1/3/1 (10 more at the
#         metrics scrape and shutdown); C2 compiling again a method it had compiled 7/5/0/2 and
#         7/2/1/1 times. After walk 20 each trap is a one-off: BouncyCastle's implShamirsTrickWNaf
#         (loop predicate), a Netty and a Micrometer branch, RecordCache.queued's expiry comparison
#         (its other side first taken at walk ~216, one JVM), DnameRedirect.above's loop predicate
#         just after its C2 compile at walk ~224 (recompiled once, 10 ms). One method per
#         JVM went to C2 more than twice (dnsjava's base32.fromString OSR 4x, 0.09 s; CharacterData.of
#         3x): 2 % and 0 % of the 4.6 / 6.5 s of C2 tasks; all recompiles 0.14 / 0.10 s. At walks
#         101-220 the C2 thread used 12.1 / 13.0 of the process's 23.7 / 25.8 ms a walk, in 183 / 190
#         first compilations: BouncyCastle's curve code 0.66 / 0.95 s, ours 0.54 / 1.04 s
#         (RecordCache.putPositive alone 0.22 / 0.41 s, one 59 KB nmethod at walk ~154 in both,
#         ~35 calls a walk), dnsjava 0.19 / 0.26 s. No cycle to break; the authorities' JVMs
#         compiled next to nothing during the walks. Per-thread CPU (/proc/PID/task), walks 1-20:
#         event loops 27.5 ms a walk, C1 14, C2 19.5 (a loaded machine); walks 121-160: event loops
#         13, C1 1, C2 23.5. A
#         walk verifies 18 signatures (11 P-256, 4 Ed25519, 3 RSA), none twice; warm, P-256 is ~18 %
#         of the event loop. On the wire (tshark) our upstream queries already overlap where they
#         can (DS and DNSKEY fetches beside the referral chase); what lies between a reply and our
#         next query is the loop's CPU, stretched while the compiler threads hold the two cores.
#         Critical path (2026-12-05, tshark, one walk each): sequential round trips ours 13, Unbound
#         22 (it fetches every DS and DNSKEY after the answer, one after another); time with no
#         upstream query outstanding ours 143 of 220 ms (a loaded machine), Unbound 5 of 19 ms.
#         -XX:CompileThresholdScaling=0.25 (same jar beside the default, 160 walks alternated): walks
#         1-20 49.9 vs 50.3 ms at 90 vs 70 ms CPU a walk, 21-60 37.0 vs 37.1 ms, 61-100 28.8 vs
#         28.2; only walks 101-160 faster (12.2 vs 19.5 ms): no help for a 20-walk cold run.
#         Again on one lab, recursors with the defaults, 0.25 and 0.1 beside Unbound, walk order
#         rotating (2026-12-05, integ12, two runs, median ms, CPU ms a walk): walks 1-20 48.0 (50)
#         / 63.8 (50), 53.0 (70) / 66.4 (65), 64.6 (95) / 95.8 (115); walks 121-140 14.7 / 16.2,
#         11.0 / 15.6, 13.2 / 15.4 (Unbound 12.9 / 16.6 and 6.8 / 8.1); RSS after the walks
#         113/108, 126/125, 116/121 MiB. The compiling moves into the first walks; not set.
#         C2's thresholds alone at a quarter (Tier4*Threshold, one run): walks 1-20 63.9 vs 63.85
#         ms (faster in 8/20), 121-140 20.7 vs 18.9 (10/20): no effect beyond the spread.
#         Verifying ahead (2026-12-05, commit dd10bb3, reverted): each prefetched DNSKEY set's own
#         signature and the referral DS/NSEC3 it signed, verified as it came in on a later loop task
#         (after the walk's next query), left the validation after the answer 1-2 signatures of 6-8;
#         yet latency per walk vs the base, 360 walks alternated: median difference +0.2 ms, faster
#         in 178 of 360 (walks 1-20 -0.3 ms, 31 of 60), CPU unchanged; on a thread of its own +1.1
#         ms. The lab answers within a few hundred microseconds on loopback, less than the checks a
#         prefetched set brings, so the walk's next reply waits behind them: no idle loop to fill.
#         Again on b0c1595 (2026-12-06, the same change on the code of that day): timestamps around the final
#         validation (walks 41-80) put 2.0-3.7 ms per name between the answer's reply and its verdict,
#         5-7 signatures still to compute; verifying ahead left 1-4.5 and 0.8-2.0 ms, yet half its
#         work ended with a walk reply waiting behind it, and 7 fresh-JVM pairs (PARTS=cold
#         COLD_WARMUP=40, a shared machine) had it lower in 3 of 7 for walks 1-20 and 3 of 7 after.
#         The authorities' reply time to our queries (2026-12-06, 0569fdd, tshark on lo, 5 fresh
#         labs, walks 61-80): median 372-541 us against Unbound's 145-252, by the same code path.
#         Every query of ours carries DO and a COOKIE (client and valid server cookie, no CD;
#         Unbound's DO and CD, no option) and takes the authorities' template shortcut
#         (async-profiler on an authority: no decode or dnsjava frames; the cookie's check and issue
#         ~1 % of its CPU). The authority alone, the walk's queries one at a time: 79 vs 65 us on the
#         wire back to back, 285 vs 237 after a pause over 5 ms (an idle authority answers ~170-210
#         us later on this VM); -c 8, CPU per answer +0.2-0.9 us. In the walk, A queries to an
#         authority active within 2 ms, no other query of the walk outstanding and none sent while
#         waiting (3 of the labs): ours 177-249 us, Unbound's 135-183; with more of our sends during
#         the wait (the key fetches beside the chase) 279-360; sent while other queries were
#         outstanding 253-372, Unbound's too (303-384). Two thirds of our queries (all types) are
#         sent so, a tenth of Unbound's: three authority JVMs and our loop share 2 cores.
#         So the gap is how our walk shares out the 2 cores, not the authorities' path. Our
#         recursor's compiler threads at nice 19 (-XX:ThreadPriorityPolicy=1
#         -XX:CompilerThreadPriority=19, its JVM only; 5 pairs of fresh labs, default first in 3):
#         walks 1-20 37.4/40.1/61.5/38.7/35.5 -> 30.3/30.1/24.4/33.0/39.2 ms, ratio
#         3.10/3.23/3.72/3.02/3.38 -> 2.61/2.59/2.29/2.65/2.48 (lower in 5 of 5); after 40 more
#         23.8/19.2/17.4/15.9/20.2 -> 19.0/14.9/15.3/16.4/22.1 ms, ratio 1.80/1.70/1.78/1.82/1.71 ->
#         1.73/1.70/1.58/1.78/1.70 (within the spread); the authorities' reply to ours
#         541/421/466/326/505 -> 481/344/378/412/556 us; the hits part's CPU per answer 6.64/7.24 vs
#         7.50/6.71 us (2 pairs, within their spread). Not set: with that option a JVM not run by
#         root prints a warning at every start (the images run as dnslab), and what it costs a JIT
#         warm-up under full load (the hits, DoT and DoH parts' first rounds) was not measured.
#         The first query after a flush (2026-12-05, a debug build logging the flush, each client
#         query's read and each upstream send, tshark on lo): nothing waits on the flush. It ends on
#         the admin loop 6-8 ms before dnsperf's first query arrives (0.3 ms to clear the maps, 0.2-0.9
#         ms for the JSON). Warm (walks 41-52), that query's first upstream query leaves 0.6-1.0 ms
#         after it arrives: ~0.2 ms to wake the loop, ~0.2 for decoding and the handlers, ~0.2 to the
#         first send. The next names take 0.3-0.5 ms, as they arrive while the loop is still awake.
#         The long waits come from one full GC per JVM, "Metadata GC Threshold", 15-33 ms. It runs when
#         metaspace (classes and the JIT's profile data) reaches -XX:MetaspaceSize (21 MB by default),
#         at walk 15-16 of a fresh JVM in each of three runs, wherever the walk is at that moment. A
#         query that arrived during it waited 23.6 ms before the loop read it. With
#         -XX:MetaspaceSize=64m none came within 30 walks (jvm.options sets it since). That is one outlier
#         in 20 walks, so the median does not move. Its memory (2026-12-05, PARTS=cold, 3 starts
#         each alternated, walks 1-20): RSS idle 71-73 MiB without, 71 with; after the walks 92-93
#         without, 90-91 with: none. The full GC showed at walk 14 in 2 of 3 default starts (94, 57
#         ms), in none of 3 with 64m. The flush's own CPU (admin loop, walks 101-160,
#         async-profiler): ~7 % of the process, most of it the new HTTP connection per curl. The
#         JSON is ~7 % of that. The flush counts in CPU per walk, not in the walk's time.
#         Verifying the chain from the bottom up on a thread of its own while the loop validates
#         from the anchor down (2026-12-06, on 0569fdd; only for answers whose signer's keys the key
#         cache lacks, into the verified signatures only, verdicts unchanged): the loop's own
#         signature checks fell 1446 -> 1025 in 80 walks (479 on the thread, 58 done twice), its
#         CPU in 7 of 7 runs, the process's not at all; last upstream reply to the client's answer
#         (tshark, walks 41-80) 2.84/2.85/2.10 -> 2.37/2.56/2.08 ms (example.co.kr/google/naver).
#         7 fresh-JVM pairs (PARTS=cold COLD_WARMUP=40): walks 1-20 ratio to Unbound lower in 4 of
#         7 (3.05/3.02/3.11/3.29/3.12/3.43/2.76 -> 2.64/3.46/2.99/3.21/3.20/3.21/3.13), after the
#         warm-up in 3 of 7 (1.68-1.94 -> 1.81-1.97), though our ms were lower in 6 of 7 there
#         (Unbound's too): within the spread; signed misses' CPU per answer 56.5 vs 57.9 us (one
#         pair). The top of the chain is cheap RSA, the bottom P-256: the two meet at a third of
#         the checks, and the handover and the JIT share the second core. Not kept.
#         RecordCache.putPositive's C2 compile (2026-12-06, a70afee, 7 fresh-JVM pairs, PARTS=cold
#         COLD_WALKS=100 COLD_WARMUP=40, -XX:+LogCompilation): what it inlines depends on what C2
#         compiled first. At walk 154 (212 in 2 of 7) it took 0.12-0.23 s for a 30-60 KB nmethod,
#         inlining two ConcurrentHashMap.get (the key, then the name's NXDOMAIN), the entry's
#         constructor (three List.copyOf), ExpiryQueue.add with TreeMap's insertion and the counters;
#         where SharedRecords.shared had not been compiled first (1 of 7; 59.5 KB) also the proofs'
#         sharing, with dnsjava's Record.equals rendering SOA RDATA (DNSOutput), putNegative's
#         profile. Sharing proofs only when there are some left that out: 0.08-0.20 s,
#         30-50 KB, lower in 5 of 7 pairs, the ranges overlapping; our CPU per walk at walks 141-240
#         higher in 6 of 7 (Unbound's in 5 of 7): not kept. Costlier: in 3 of 7 JVMs, at walks
#         185-204, putPositive's code was discarded by a trap on a path first taken late (twice
#         ExpiryQueue.add after a sweep of the keys the flushes left had emptied its last bucket,
#         once RecordCache.queued's equal expiry), then compiled again through its 3-argument
#         overload (0.12-0.25 s) and inlined into Resolution.queryResponse (0.19-0.28 s). With no
#         empty-bucket state in ExpiryQueue (same branch) 2 of 3 JVMs still trapped, at walks 161
#         and 181 (queued's equal expiry; TreeMap.computeIfAbsent on a tree the sweep emptied):
#         rare paths taken late, not one shape of ours to fix.
#   dot   the hits mix over DNS over TLS (RFC 7858), dnsperf -m dot: each server's own DoT port
#         (ours --dot-port, Unbound tls-port), caches filled first, 8 connections.
#   doh   the same over DNS over HTTPS (RFC 8484), dnsperf -m doh (HTTP/2, DOH_METHOD=POST|GET):
#         ours --doh-port, Unbound https-port (Debian's Unbound is built with libnghttp2).
#         Both TLS peers get an ECDSA P-256 certificate, the kind the lab CA issues.
# Every part but cold also prints each server's CPU time per answered query (user + system,
# /proc/PID/stat), which holds steady when other jobs share the machine. Resident memory (VmRSS)
# of both is printed idle and after each part.
#   bench/recursor/run.sh                 ROUNDS=5 SECS=5 WARMUP_SECS=3 PARTS="hits miss miss-unsigned cold dot doh"
#   VALIDATE=1|0 (default: 1 when our recursor has --trust-anchor, else 0): DNSSEC validation on
#   for both, Unbound with the lab's trust anchor (dnslab trust-anchor).
#   JVM_DIAG=1: with each RSS line, our JVM's generations (jcmd GC.heap_info) and, when it runs
#   with JAVA_OPTS_DNSLAB=-XX:NativeMemoryTracking=summary, its NMT summary: what the RSS is.
#   JVM_DIAG=2: also heap histograms of every object and of the live ones (a full GC: diagnostic only).
source "$(dirname "$0")/../lib.sh"
need dnsperf unbound unbound-checkconf unbound-control dig curl java openssl
need_jar
PARTS="${PARTS:-hits miss miss-unsigned cold dot doh}"
LAB="${LAB:-127.53.3}"
PORT=5300
OURS=127.53.4.53 OURS_ADMIN=9254 UNBOUND_ADDR=127.53.5.53
DOT_PORT=8853 DOH_PORT=8443 DOH_METHOD="${DOH_METHOD:-POST}"
NAMES="${NAMES:-10000}" NXNAMES="${NXNAMES:-2000}" MIX_QUERIES="${MIX_QUERIES:-100000}"
COLD_WALKS="${COLD_WALKS:-20}" COLD_WARMUP="${COLD_WARMUP:-100}" WALK_NAMES="${WALK_NAMES:-www.google.com www.naver.com www.example.co.kr}"
declare -A ADDR=([dnslab]="$OURS" [Unbound]="$UNBOUND_ADDR")
ours_validates=0
java -cp "$JAR" dev.dnslab.recursor.RecursorMain --help 2>&1 | grep -q -- --trust-anchor && ours_validates=1
VALIDATE="${VALIDATE:-$ours_validates}"
bench_init recursor "recursor vs Unbound: $PARTS; validation $([ "$VALIDATE" = 1 ] && echo on || echo off)"
[ "$ours_validates" = 1 ] || echo "note: this tree's recursor has no --trust-anchor yet: VALIDATE=1 turns validation on for Unbound only"

# --- a bench-only copy of the lab zones with the mix's names ---------------------------------------
cp -r zones "$work/zones"
awk -v n="$NAMES" 'BEGIN { printf "; bench names for the cache-hit mix\n";
  for (i = 1; i <= n; i++) printf "h%05d 300 IN A 127.53.0.80\n", i }' >>"$work/zones/authoritative/example.org.zone"
printf '; the miss-unsigned part: a wildcard in an unsigned zone\n*.miss 300 IN A 127.53.0.80\n' \
  >>"$work/zones/authoritative/example.org.zone"
# Popularity: the names (and the names that do not exist) shuffled once with a fixed seed, then
# sampled by rank with weight 1/rank (Zipf, s = 1) by inverse transform on the cumulative weights.
awk -v n="$NAMES" -v nx="$NXNAMES" -v q="$MIX_QUERIES" 'BEGIN {
  srand(16); t = n + nx
  for (i = 1; i <= n; i++) name[i] = sprintf("h%05d.example.org", i)
  for (i = 1; i <= nx; i++) name[n + i] = sprintf("nx%05d.example.org", i)
  for (i = t; i > 1; i--) { j = int(rand() * i) + 1; s = name[i]; name[i] = name[j]; name[j] = s }
  for (i = 1; i <= t; i++) { c += 1 / i; cum[i] = c }
  for (k = 0; k < q; k++) {
    u = rand() * c; lo = 1; hi = t
    while (lo < hi) { m = int((lo + hi) / 2); if (cum[m] < u) lo = m + 1; else hi = m }
    print name[lo], "A"
  }
  for (i = 1; i <= t; i++) print name[i], "A" > "/dev/stderr"
}' >"$work/mix.txt" 2>"$work/all-names.txt"

start_lab_authorities "$LAB" "$work/zones" --state-dir "$work/state"
validation_args=() unbound_validation=('module-config: "iterator"')
if [ "$VALIDATE" = 1 ]; then
  # The root's keys are in the state dir once the root answers for them; asked earlier,
  # trust-anchor would make keys of its own there, which the root then does not sign with.
  wait_answer "$LAB.11" 53 . 'DNSKEY.257' -t DNSKEY
  java -jar "$JAR" trust-anchor --format ds --state-dir "$work/state" --zones "$work/zones" >"$work/trust-anchor.ds"
  [ "$ours_validates" = 1 ] && validation_args=(--trust-anchor "$work/trust-anchor.ds")
  unbound_validation=('module-config: "validator iterator"' "trust-anchor-file: \"$work/trust-anchor.ds\"")
elif [ "$ours_validates" = 1 ]; then
  # Off means off for ours too: by default it validates from the keys in its own state dir, which
  # are not the keys this lab signs with.
  validation_args=(--no-dnssec)
fi
unbound_encrypted=()
if [[ " $PARTS " == *" dot "* || " $PARTS " == *" doh "* ]]; then
  start_dnslab_recursor_encrypted dnslab "$OURS" "$PORT" "$OURS_ADMIN" "$LAB" "$DOT_PORT" "$DOH_PORT" \
    --state-dir "$work/state" "${validation_args[@]}"
  self_signed_p256 "$work/unbound-tls" unbound
  unbound_encrypted=("interface: $UNBOUND_ADDR@$DOT_PORT" "interface: $UNBOUND_ADDR@$DOH_PORT"
    "tls-port: $DOT_PORT" "https-port: $DOH_PORT" "http-endpoint: \"/dns-query\""
    "tls-service-key: \"$work/unbound-tls.key\"" "tls-service-pem: \"$work/unbound-tls.pem\"")
else
  start_dnslab_recursor dnslab "$OURS" "$PORT" "$OURS_ADMIN" "$LAB" "${validation_args[@]}"
fi
start_unbound Unbound "$UNBOUND_ADDR" "$PORT" "$LAB" "${unbound_validation[@]}" "${unbound_encrypted[@]}"
for s in dnslab Unbound; do wait_answer "${ADDR[$s]}" "$PORT" www.google.com "$LAB.80" +short; done
if [ "$VALIDATE" = 1 ]; then
  # Proof that each one validates: AD on the signed www.google.com for a client that sets AD
  # (RFC 6840 5.7); a server that does not validate never sets it.
  validators=(Unbound); [ "$ours_validates" = 1 ] && validators=(dnslab Unbound)
  for s in "${validators[@]}"; do
    wait_answer "${ADDR[$s]}" "$PORT" www.google.com 'flags:[^;]* ad[ ;]' +adflag
    echo "validating: $s sets AD on www.google.com A ($(dig +adflag +noall +comments @"${ADDR[$s]}" -p "$PORT" \
      www.google.com | sed -n 's/^;; flags: \([^;]*\);.*/\1/p'))"
  done
fi
echo "peer: Unbound $(unbound_version); lab authorities on $LAB.11-13 port 53"
# resident_by_mapping pid: what NMT cannot say. NMT counts what the JVM asked for (committed);
# the kernel counts what is resident, and glibc's malloc heaps hold more than the JVM's mallocs
# (freed chunks not yet trimmed, fragmentation): the JIT's arenas, Netty's direct memory and
# symbols live there. So: the rollup (Pss: shared pages split between the JVMs that map them),
# the files resident (libjvm, the JDK's CDS archive), and the largest anonymous mappings, resident
# of size (the heap's generations, code cache and metaspace, and malloc's heaps, 64 MiB apart).
# The threads by name: each event loop group adds one per --threads.
resident_by_mapping() {
  local pid="$1"
  awk '/^(Rss|Pss|Anonymous):/ {printf "%s %d MiB  ", $1, $2 / 1024} END {print ""}' "/proc/$pid/smaps_rollup" |
    sed 's/^/    /'
  awk '/^[0-9a-f]+-[0-9a-f]+ / {name = $6} /^Size:/ {size = $2} /^Rss:/ {
      if (name == "") { anon += $2; if ($2 > 1024) printf "%d    anonymous mapping %6.1f of %6.1f MiB resident\n", $2, $2 / 1024, size / 1024 }
      else file[name] += $2 }
    END { printf "%d    anonymous %6.1f MiB in all\n", 1e9, anon / 1024
      for (f in file) if (file[f] > 1024) printf "%d    file %6.1f MiB %s\n", 1e9 - 1, file[f] / 1024, f }' "/proc/$pid/smaps" |
    sort -k1,1nr | awk 'NR <= 16 {sub(/^[0-9]*/, ""); print}'
  echo "    threads $(ls "/proc/$pid/task" | wc -l): $(cat /proc/"$pid"/task/*/comm | sed 's/-*[0-9]*$//' | sort | uniq -c |
    awk '{n = $1; $1 = ""; printf "%s%s x%d", sep, substr($0, 2), n; sep = ", "}')"
}
rss_line() {
  echo "RSS $1: dnslab $(rss_with_peak dnslab), Unbound $(rss_with_peak Unbound)"
  # JVM_DIAG=1: where our resident memory is, per generation (committed vs used) and, when the JVM
  # runs with JAVA_OPTS_DNSLAB=-XX:NativeMemoryTracking=summary, per NMT category.
  if [ "${JVM_DIAG:-0}" -ge 1 ]; then
    jcmd "${BENCH_PIDS[dnslab]}" GC.heap_info 2>&1 | sed -n '2,$s/^/    /p'
    jcmd "${BENCH_PIDS[dnslab]}" VM.native_memory summary 2>&1 |
      awk '/^Total|^-  *[A-Z]/ {print "    " $0}'
    resident_by_mapping "${BENCH_PIDS[dnslab]}"
  fi
  # JVM_DIAG=2: how much of the heap is live: the classes holding most of it, every object
  # (GC.class_histogram -all: no GC, dead ones counted), then the live ones only (a full GC, which
  # the parts after this one then run without: diagnostic runs only).
  if [ "${JVM_DIAG:-0}" -ge 2 ]; then
    local which
    for which in -all live; do
      echo "    heap histogram, $([ "$which" = -all ] && echo "every object (no GC)" || echo "live objects (after a full GC)"):"
      jcmd "${BENCH_PIDS[dnslab]}" GC.class_histogram $([ "$which" = -all ] && echo -all) 2>&1 |
        awk 'NR > 3 && NR <= 15 {printf "      %8.1f MiB %9d %s\n", $3 / 1048576, $2, $4} /^Total/ {printf "      %8.1f MiB %9d total\n", $3 / 1048576, $2}'
    done
    jcmd "${BENCH_PIDS[dnslab]}" GC.heap_info 2>&1 | sed -n '2,$s/^/    after the full GC: /p'
  fi
  # Our verdicts so far (dns_recursor_validations_total by security and source): the parts did validate.
  [ "${#validation_args[@]}" -gt 0 ] && echo "  dnslab validations: $(curl -fsS "http://$OURS:$OURS_ADMIN/metrics" |
    awk '/^dns_recursor_validations_total/ {sub(/^dns_recursor_validations_total/, ""); printf "%s=%d ", $1, $2}')"
  # What became of the cache hits kept rendered (given past the chain, kept, dropped by reason),
  # where this tree counts it.
  curl -fsS "http://$OURS:$OURS_ADMIN/metrics" | awk '/^dns_recursor_rendered_answers_total/ {
    sub(/^dns_recursor_rendered_answers_total/, ""); s = s $1 "=" int($2) " " } END { if (s) print "  dnslab rendered answers: " s }'
  return 0
}
settle_idle
rss_line idle
filled=0
fill_once() { # every name of the mix once into both caches, over plain DNS, before dot and doh
  [ "$filled" = 1 ] && return 0
  for s in dnslab Unbound; do
    dnsperf -s "${ADDR[$s]}" -p "$PORT" -d "$work/all-names.txt" -n 1 -Q 4000 -c 4 >"$work/fill-$s.dnsperf" 2>&1
  done
  filled=1
}
# part_report part: lost queries and response codes of each server's last run, the rate ratio and
# each server's CPU time per answer over the measured rounds
part_report() {
  for s in dnslab Unbound; do echo "  $s last run: lost $(dnsperf_lost "$s-$1"); rcodes $(dnsperf_rcodes "$s-$1")"; done
  ratio_report dnslab Unbound
  cpu_report dnslab Unbound
}

parts_before=""
for part in $PARTS; do parts_before+="${part_done:+ $part_done}"; part_done="$part"; case "$part" in
hits)
  echo "-- hits: $NAMES names + $NXNAMES NXDOMAIN names, $MIX_QUERIES queries Zipf(1), dnsperf -c 8 -q 256"
  for s in dnslab Unbound; do   # fill: every name once, at a pace the lab authorities keep up with
    dnsperf -s "${ADDR[$s]}" -p "$PORT" -d "$work/all-names.txt" -n 1 -Q 4000 -c 4 >"$work/fill-$s.dnsperf" 2>&1
    echo "  filled $s: $(awk '/Queries completed/ {print $3}' "$work/fill-$s.dnsperf") answers, rcodes $(sed -n 's/^ *Response codes: *//p' "$work/fill-$s.dnsperf")"
  done
  measure() { with_cpu "$1" "$1-hits" dnsperf_qps "$1-hits" "${ADDR[$1]}" "$PORT" "$work/mix.txt" "$2" -c 8 -q 256; }
  alternate measure dnslab Unbound
  part_report hits
  rss_line "after hits" ;;
miss|miss-unsigned)
  wildcard=blog.example.co.kr
  [ "$part" = miss-unsigned ] && wildcard=miss.example.org
  echo "-- $part: every query a new name under *.$wildcard, dnsperf -n 1 -c 8 -q 100"
  # alternate calls measure in a subshell for the measured rounds, so the run number that keeps
  # every run's names new lives in a file, not in a shell variable.
  echo 0 >"$work/miss.run"
  measure() {
    local run=$(($(cat "$work/miss.run") + 1))
    echo "$run" >"$work/miss.run"
    awk -v p="$1-$run" -v w="$wildcard" 'BEGIN { for (i = 0; i < 300000; i++) printf "%s-%d.%s A\n", p, i, w }' >"$work/miss.txt"
    with_cpu "$1" "$1-$part" dnsperf_qps "$1-$part" "${ADDR[$1]}" "$PORT" "$work/miss.txt" "$2" -n 1 -c 8 -q 100
  }
  alternate measure dnslab Unbound
  part_report "$part"
  rss_line "after $part" ;;
cold)
  words=($WALK_NAMES)
  echo "-- cold: $COLD_WALKS walks of ${words[*]} (A), one after the other, cache flushed before each, who walks first alternating; then $COLD_WALKS more after $COLD_WARMUP unmeasured"
  for w in "${words[@]}"; do echo "$w A"; done >"$work/walk.txt"
  flush() {
    case "$1" in
      dnslab) curl -fsS -X POST "http://$OURS:$OURS_ADMIN/cache/flush" >/dev/null ;;
      Unbound) unbound_control Unbound flush_zone . >/dev/null; unbound_control Unbound flush_infra all >/dev/null ;;
    esac
  }
  walk_ms() { # label -> milliseconds for the whole walk; the daemon's CPU for it (flush included) to label.cpu
    local before
    before="$(cpu_seconds "$1")"
    flush "$1"
    dnsperf -s "${ADDR[$1]}" -p "$PORT" -d "$work/walk.txt" -n 1 -c 1 -q 1 >"$work/$1-cold.dnsperf" 2>&1
    awk -v a="$before" -v b="$(cpu_seconds "$1")" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >>"$work/$1.cpu"
    awk -v n="${#words[@]}" '/Average Latency/ {printf "%.2f", $4 * 1000 * n}' "$work/$1-cold.dnsperf"
  }
  # Who walks first alternates (odd walks ours, even walks Unbound's): the first of a pair walks
  # while the other's process is idle, the second right after it.
  walk_pair() { # walk number -> "ours-ms peer-ms"
    local a b
    if (($1 % 2)); then a="$(walk_ms dnslab)"; b="$(walk_ms Unbound)"; else b="$(walk_ms Unbound)"; a="$(walk_ms dnslab)"; fi
    echo "$a $b"
  }
  walks() { # first-walk-number title: COLD_WALKS alternated pairs, every pair printed, the ratio and CPU
    local i a b
    echo "  $2"
    : >"$work/dnslab.values"; : >"$work/Unbound.values"; : >"$work/dnslab.cpu"; : >"$work/Unbound.cpu"
    for ((i = $1; i < $1 + COLD_WALKS; i++)); do
      read -r a b < <(walk_pair "$i")
      echo "$a" >>"$work/dnslab.values"; echo "$b" >>"$work/Unbound.values"
      echo "  walk $i ($( ((i % 2)) && echo dnslab || echo Unbound) first):  dnslab $a ms  Unbound $b ms"
    done
    ratio_report dnslab Unbound ms "lower is better"
    # CPU time per walk, the whole process (our JIT compiler threads included): steadier than the
    # latency when other jobs share the machine, and it shows how much of our walk is warm-up.
    for s in dnslab Unbound; do
      printf '  %-24s CPU per walk: median %s ms (user + system, flush included)\n' "$s" "$(summarise "$work/$s.cpu")"
    done
  }
  walks 1 "walks 1-$COLD_WALKS of this recursor${parts_before:+ (after the parts$parts_before)}"
  if [ "$COLD_WARMUP" -gt 0 ]; then
    for ((i = COLD_WALKS + 1; i <= COLD_WALKS + COLD_WARMUP; i++)); do walk_pair "$i" >/dev/null; done
    walks $((COLD_WALKS + COLD_WARMUP + 1)) "after $COLD_WARMUP more walks each, unmeasured: a recursor that has served a while"
  fi
  rss_line "after cold" ;;
dot)
  echo "-- dot: the hits mix over DNS over TLS (dnsperf -m dot -c 8 -q 256), port $DOT_PORT, caches filled"
  fill_once
  measure() { with_cpu "$1" "$1-dot" dnsperf_qps "$1-dot" "${ADDR[$1]}" "$DOT_PORT" "$work/mix.txt" "$2" -c 8 -q 256 -m dot; }
  alternate measure dnslab Unbound
  part_report dot
  rss_line "after dot" ;;
doh)
  echo "-- doh: the hits mix over DNS over HTTPS/2 (dnsperf -m doh, $DOH_METHOD /dns-query, -c 8 -q 256), port $DOH_PORT"
  fill_once
  measure() {
    with_cpu "$1" "$1-doh" dnsperf_qps "$1-doh" "${ADDR[$1]}" "$DOH_PORT" "$work/mix.txt" "$2" -c 8 -q 256 -m doh \
      -O "doh-uri=https://${ADDR[$1]}:$DOH_PORT/dns-query" -O "doh-method=$DOH_METHOD"
  }
  alternate measure dnslab Unbound
  part_report doh
  rss_line "after doh" ;;
*) echo "unknown part $part (expected: hits miss miss-unsigned cold dot doh)" >&2; exit 64 ;;
esac; done
