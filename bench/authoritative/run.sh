#!/usr/bin/env bash
# dnsperf against dnslab's authoritative-ns and, in the same run, NSD serving the same zone files.
# Both get one worker (our --threads 1, NSD's server-count 1) and response rate limiting is off in
# NSD, so the numbers compare servers, not limiters. Loopback only; every daemon is stopped by PID.
#   bench/authoritative/run.sh [SECONDS]        (default 10 s per measured run, after a warm-up)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-10}"
PORT=5300
OURS=127.53.1.13
NSD_ADDR=127.53.2.13
work="$(mktemp -d /tmp/dnslab-bench-auth.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in dnsperf nsd java; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-test-deps.sh" >&2; exit 1; }
done
[ -f cli/target/dnslab.jar ] || ./mvnw -B -q install -DskipTests

cat > "$work/queries.txt" <<'Q'
www.google.com A
www.naver.com A
nosuch.google.com A
www.example.co.kr A
google.com NS
Q

# --- dnslab ---------------------------------------------------------------------------------
java -Xms256m -Xmx256m -cp cli/target/dnslab.jar dev.dnslab.authoritative.AuthoritativeNameServer \
  --address "$OURS" --port "$PORT" --admin-port 9253 --threads 1 --zones zones/authoritative \
  >"$work/ours.log" 2>&1 &
pids+=($!)

# --- NSD --------------------------------------------------------------------------------------
{
  echo "server:"
  echo "  ip-address: $NSD_ADDR@$PORT"
  echo "  server-count: 1"
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  database: \"\""
  echo "  zonelistfile: \"$work/zone.list\""
  echo "  xfrdfile: \"$work/xfrd.state\""
  echo "  pidfile: \"$work/nsd.pid\""
  echo "  logfile: \"$work/nsd.log\""
  echo "  rrl-ratelimit: 0"
  echo "  verbosity: 0"
  echo "remote-control:"
  echo "  control-enable: no"
  for f in zones/authoritative/*.zone; do
    z="$(basename "$f" .zone)"
    echo "zone:"
    echo "  name: \"$z\""
    echo "  zonefile: \"$PWD/$f\""
  done
} >"$work/nsd.conf"
nsd-checkconf "$work/nsd.conf"
nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
pids+=($!)

wait_for() { # addr
  for _ in $(seq 1 100); do
    dig +short +time=1 +tries=1 @"$1" -p "$PORT" www.google.com 2>/dev/null | grep -q 127.53.0.80 && return 0
    sleep 0.1
  done
  echo "server on $1 did not answer" >&2; cat "$work"/*.log "$work"/*.out >&2 || true; exit 1
}
wait_for "$OURS"
wait_for "$NSD_ADDR"

qps() { # addr seconds -> queries per second
  dnsperf -s "$1" -p "$PORT" -d "$work/queries.txt" -l "$2" -c 8 -q 256 2>&1 | tee "$work/dnsperf-$1.txt" |
    awk '/Queries per second/ {print int($4)}'
}
lost() { awk '/Queries lost/ {print $3, $4}' "$work/dnsperf-$1.txt"; }

qps "$OURS" 5 >/dev/null   # JIT warm-up for the JVM, same for both below
qps "$NSD_ADDR" 2 >/dev/null
ours="$(qps "$OURS" "$SECONDS_PER_RUN")"; ours_lost="$(lost "$OURS")"
nsd="$(qps "$NSD_ADDR" "$SECONDS_PER_RUN")"; nsd_lost="$(lost "$NSD_ADDR")"
ratio="$(awk -v a="$ours" -v b="$nsd" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
rss="$(ps -o rss= -p "${pids[0]}" | awk '{printf "%d MiB", $1/1024}')"

echo "dnsperf, ${SECONDS_PER_RUN}s, 8 clients, 256 outstanding, one server worker each, $(nproc) cores shared with dnsperf"
printf '%-26s %10s qps  lost %s\n' "dnslab authoritative-ns" "$ours" "$ours_lost"
printf '%-26s %10s qps  lost %s\n' "NSD $(nsd -v 2>&1 | awk 'NR==1{print $3}')" "$nsd" "$nsd_lost"
echo "ratio dnslab/NSD: $ratio (goal >= 0.50); dnslab RSS after the run: $rss"
