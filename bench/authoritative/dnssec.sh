#!/usr/bin/env bash
# Authoritative answers with DO set (DNSSEC): dnslab's authoritative-ns signing zones/authoritative
# with the lab's policy, against NSD and Knot DNS serving the same zones exported signed by
# `dnslab zones export --signed` (same keys; both peers serve pre-signed zones). One worker each,
# rate limiting off, alternated rounds (see bench/lib.sh).
#   bench/authoritative/dnssec.sh          ROUNDS=5 SECS=5 WARMUP_SECS=3
source "$(dirname "$0")/../lib.sh"
need dnsperf nsd nsd-checkconf knotd knotc dig java
need_jar
PORT=5300
declare -A ADDR=([dnslab]=127.53.1.13 [NSD]=127.53.2.13 [Knot]=127.53.2.14)
bench_init authoritative-dnssec "authoritative answers with DO (dnsperf -D -c 8 -q 256), signed zones"

# A positive answer, a CNAME into an unsigned zone, an NSEC NXDOMAIN, an NSEC3 answer, an NS set,
# an NSEC3 wildcard: each response carries RRSIGs or denial proofs.
printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com NS\nx.blog.example.co.kr A\n' \
  >"$work/queries.txt"
java -jar "$JAR" zones export --signed "$work/signed" --state-dir "$work/state" --zones zones >/dev/null
mkdir -p "$work/signed-authoritative"
for f in zones/authoritative/*.zone; do cp "$work/signed/$(basename "$f")" "$work/signed-authoritative/"; done
start_dnslab dnslab dev.dnslab.authoritative.AuthoritativeNameServer --address "${ADDR[dnslab]}" --port "$PORT" \
  --admin-port 9253 --threads 1 --zones zones/authoritative --state-dir "$work/state"
start_nsd NSD "${ADDR[NSD]}" "$PORT" "$work/signed-authoritative"
start_knot Knot "${ADDR[Knot]}" "$PORT" "$work/signed-authoritative"
for s in dnslab NSD Knot; do wait_answer "${ADDR[$s]}" "$PORT" www.google.com 'RRSIG.*A 13 3' +dnssec; done
echo "peers: NSD $(nsd_version), Knot DNS $(knot_version)"

measure() { dnsperf_qps "$1" "${ADDR[$1]}" "$PORT" "$work/queries.txt" "$2" -D -c 8 -q 256; }
alternate measure dnslab NSD Knot
# Both must give the same answers, or the comparison measures an error path.
for s in dnslab NSD Knot; do
  echo "  $s last run: lost $(dnsperf_lost "$s"); rcodes $(dnsperf_rcodes "$s");" \
    "average response $(awk '/Average packet size/ {print $NF}' "$work/$s.dnsperf") bytes"
done
ratio_report dnslab NSD
ratio_report dnslab Knot
echo "RSS after: dnslab $(rss_with_peak dnslab), NSD $(rss_with_peak NSD), Knot $(rss_with_peak Knot)"
