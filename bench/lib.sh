# Shared by every bench script (source it, do not run it): the peers' configs, the alternated
# rounds, the median with its spread and the report written to bench/results/ (ignored by git).
#
# Settings, all from the environment:
#   ROUNDS=5          measured rounds; each round runs every server once, in the same order (A B A B)
#   SECS=5            seconds per measured run
#   WARMUP_SECS=3     one unmeasured run per server first (the JVM compiles its hot code)
#   JAR=cli/target/dnslab.jar
#   JAVA_OPTS_DNSLAB  extra JVM options for our servers, after jvm.options (the argument file every
#                     user's JVM starts with: ./dnslab, the images) and, for the root, TLD and
#                     authoritative servers, jvm-authority.options, for the recursor jvm-recursor.options,
#                     for the web server jvm-web.options (see role_options); unset = the
#                     defaults a user gets. Any value is printed in the header and the results file name says "tuned".
#   CDS=role          a labelled variant (the header and the results file name say "cds-role"):
#                     each of our role JVMs maps a class-data archive of its own classes, as the
#                     Docker images' role JVMs do (docker/train-cds.sh); unset = no archive, what
#                     `java @jvm.options -cp dnslab.jar <role>` gets. See start_dnslab.
#
# Loopback only. Every daemon is started through start_daemon and stopped by its PID on exit.
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$BENCH_ROOT"
ROUNDS="${ROUNDS:-5}"
SECS="${SECS:-5}"
WARMUP_SECS="${WARMUP_SECS:-3}"
JAR="${JAR:-cli/target/dnslab.jar}"
JAVA_OPTS_DNSLAB="${JAVA_OPTS_DNSLAB:-}"
declare -A BENCH_PIDS=()

# bench_init NAME "what is measured" [header lines...]: temp folder, cleanup, header, and a copy
# of stdout in bench/results/NAME-<UTC time>.txt. The header's optional lines: `rounds` (the
# alternated rounds) and `jvm` (our JVM and its options); both unless others are named, `none`
# for neither (a bench of containers, whose JVMs the images start).
bench_init() {
  local name="$1" what="$2" variant=defaults
  local -a lines=("${@:3}")
  [ "${#lines[@]}" -gt 0 ] || lines=(rounds jvm)
  [ -n "$JAVA_OPTS_DNSLAB" ] && variant=tuned
  case "${CDS:-}" in
    "") ;;
    role) variant="$variant-cds-role" ;;
    *) echo "CDS=$CDS: unknown (CDS=role, or unset for no archive)" >&2; exit 1 ;;
  esac
  work="$(mktemp -d "/tmp/dnslab-bench-$name.XXXXXX")"
  trap bench_cleanup EXIT
  mkdir -p bench/results
  BENCH_RESULTS="bench/results/$name-$variant-$(date -u +%Y%m%dT%H%M%SZ).txt"
  exec > >(tee "$BENCH_RESULTS") 2>&1
  echo "== $name: $what"
  echo "machine: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores, $(uname -r)," \
    "$(date -u +%Y-%m-%dT%H:%MZ); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ " ${lines[*]} " == *" rounds "* ]]; then
    echo "rounds: warm-up ${WARMUP_SECS}s, then $ROUNDS alternated rounds of ${SECS}s; one worker per server"
  fi
  if [[ " ${lines[*]} " == *" jvm "* ]]; then
    echo "our JVM: $(java -version 2>&1 | head -1); options: jvm.options ($(grep -v '^#' jvm.options | tr '\n' ' '))," \
      "the authorities then jvm-authority.options ($(grep -v '^#' jvm-authority.options | tr '\n' ' '))," \
      "the recursor then jvm-recursor.options ($(grep -v '^#' jvm-recursor.options | tr '\n' ' '))," \
      "the web server then jvm-web.options ($(grep -v '^#' jvm-web.options | tr '\n' ' '))" \
      "${JAVA_OPTS_DNSLAB:-and nothing else (the defaults a user gets)}"
    if [ "${CDS:-}" = role ]; then
      echo "CDS=role: each role JVM maps a class-data archive of its own classes (trained by a start of" \
        "the same command until it is ready), as the Docker images' role JVMs do"
    fi
  fi
}

bench_cleanup() {
  local p
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  # Only the daemons: a bare wait would also wait for the tee of bench_init, which waits for us.
  for p in "${BENCH_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${work:-}" ] && rm -rf "$work"
}

need() { # tool...: stop with the package to install
  local t
  for t in "$@"; do
    case "$t" in
      knotd | knotc) command -v "$t" >/dev/null || { echo "missing $t: apt-get install knot" >&2; exit 1; } ;;
      *) command -v "$t" >/dev/null || { echo "missing $t: run scripts/install-test-deps.sh" >&2; exit 1; } ;;
    esac
  done
}

need_jar() {
  [ -f "$JAR" ] || { echo "missing $JAR: ./mvnw -B -q -pl cli -am package -DskipTests" >&2; exit 1; }
}

start_daemon() { # label command...: runs it in the background, output in $work/label.log
  local label="$1"; shift
  "$@" >"$work/$label.log" 2>&1 &
  BENCH_PIDS[$label]=$!
}

stop_daemon() { # label
  local p="${BENCH_PIDS[$1]:-}"
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  unset "BENCH_PIDS[$1]"
}

# role_options main-class -> the argument files that role's JVM starts with, one a line, as the
# images' ENTRYPOINTs pass them: jvm.options, then jvm-authority.options for the root, TLD and
# authoritative servers, jvm-recursor.options for the recursor, jvm-web.options for the web server.
role_options() {
  echo "@$BENCH_ROOT/jvm.options"
  case "$1" in
    *.RootNameServer | *.TldNameServer | *.AuthoritativeNameServer) echo "@$BENCH_ROOT/jvm-authority.options" ;;
    *.RecursorMain) echo "@$BENCH_ROOT/jvm-recursor.options" ;;
    *.WebServerMain) echo "@$BENCH_ROOT/jvm-web.options" ;;
  esac
}

# start_dnslab label main-class args...: one of our role JVMs, from the fat jar, with the JVM
# options a user's JVM of that role gets (role_options, as ./dnslab and the images pass them).
# With CDS=role it maps the archive role_archive made for that label's command.
start_dnslab() {
  local label="$1" main="$2"; shift 2
  local cds=() options
  mapfile -t options < <(role_options "$main")
  if [ "${CDS:-}" = role ]; then
    role_archive "$label" "$main" "$@"
    cds=("-XX:SharedArchiveFile=$work/$label.jsa")
  fi
  # shellcheck disable=SC2086  # JAVA_OPTS_DNSLAB is a list of options
  start_daemon "$label" java "${options[@]}" "${cds[@]}" $JAVA_OPTS_DNSLAB -cp "$JAR" "$main" "$@"
}

# role_archive label main-class args...: makes $work/label.jsa, a class-data archive of that
# command's classes (a static archive, which the JVM maps instead of the JDK's), with the recipe the
# role images are trained with, docker/train-cds.sh: two starts of the same command, each until its
# admin /health answers (the authorities, the recursor and the router ask themselves a DNS question
# first), the archive dumped from the class list of the second one, a start that finds the state
# folder's keys and CA as the measured
# start does (see that script for why). Same ports and the same state folder as the measured start
# (the args name it; STATE_DIR_OPTION empty: no folder of the script's own), so the args must give a
# fixed --admin-port; ROLE_READY, when set, is the health script's arguments instead (the web
# server's image trains until it serves a page, not until /health). jvm.options and
# JAVA_OPTS_DNSLAB, without the role's own options, as the images
# train: those change which code is compiled, not which classes load, and the archive maps with them.
# TRAIN_CDS: the training script (default docker/train-cds.sh; another commit's, to measure a change
# of the recipe, see idle_start). Once per label and run. The script runs as a daemon of the bench,
# so an interrupted bench stops it, and it its JVMs.
role_archive() {
  local label="$1" main="$2"; shift 2
  local jsa="$work/$label.jsa" training="$label-cds" address=127.0.0.1 admin=9153 i
  local -a args=("$@")
  [ -s "$jsa" ] && return 0
  for ((i = 0; i + 1 < ${#args[@]}; i++)); do
    case "${args[i]}" in
      --address) address="${args[i + 1]}" ;;
      --admin-port) admin="${args[i + 1]}" ;;
    esac
  done
  [ "$admin" != 0 ] || { echo "CDS=role: $label needs a fixed --admin-port (its /health says when it is ready)" >&2; exit 1; }
  cp "$BENCH_ROOT/jvm.options" "$work/$training.options"
  # shellcheck disable=SC2086  # JAVA_OPTS_DNSLAB is a list of options
  [ -z "$JAVA_OPTS_DNSLAB" ] || printf '%s\n' $JAVA_OPTS_DNSLAB >>"$work/$training.options"
  start_daemon "$training" env HEALTH="$BENCH_ROOT/docker/health.sh" READY="${ROLE_READY:---url http://$address:$admin/health}" \
    STATE_DIR_OPTION= sh "${TRAIN_CDS:-$BENCH_ROOT/docker/train-cds.sh}" "$JAR" "$jsa" "$work/$training.options" "$main" "$@"
  wait "${BENCH_PIDS[$training]}" || true
  unset "BENCH_PIDS[$training]"
  [ -s "$jsa" ] || { echo "CDS training of $label wrote no archive" >&2; tail "$work/$training.log" >&2; exit 1; }
}

# "Idle" memory is read after SETTLE_SECS (10) quiet seconds: twice jvm.options' native-heap
# trim interval (5 s), so the C heap that start-up freed is back with the kernel, as on a lab left
# idle (an authoritative JVM read 2 s after its first answer showed 92 MiB, 86 after 6 s, 80 after 10).
settle_idle() { sleep "${SETTLE_SECS:-10}"; }

pid_mib() { # pid field -> that field of /proc/PID/status (VmRSS, VmHWM, ...), MiB
  awk -v field="$2:" '$1 == field {printf "%d", $2 / 1024}' "/proc/$1/status"
}

rss_mib() { # label -> resident set size of that daemon, MiB (VmRSS in /proc/PID/status)
  pid_mib "${BENCH_PIDS[$1]}" VmRSS
}

# A reading at a moment is not the most a process held: between readings a JVM's resident memory
# rises with the JIT's working memory and the garbage of a load, and falls at the next native-heap
# trim (5 s) or GC. The kernel keeps the high-water mark since the process started (VmHWM), so every
# "RSS" line gives both: "101 MiB (peak 118)".
pid_rss_with_peak() { # pid -> "<VmRSS> MiB (peak <VmHWM>)"
  echo "$(pid_mib "$1" VmRSS) MiB (peak $(pid_mib "$1" VmHWM))"
}

rss_with_peak() { # label -> the same for that daemon
  pid_rss_with_peak "${BENCH_PIDS[$1]}"
}

wait_answer() { # addr port name expected-text [dig options...]: polls up to 30 s
  local addr="$1" port="$2" name="$3" expect="$4"; shift 4
  local deadline=$((SECONDS + 30))
  until dig +time=1 +tries=1 "$@" @"$addr" -p "$port" "$name" 2>/dev/null | grep -q -- "$expect"; do
    if (( SECONDS >= deadline )); then
      echo "no answer with '$expect' for $name from $addr:$port" >&2
      tail -n 20 "$work"/*.log >&2 || true
      exit 1
    fi
    sleep 0.05
  done
}

# --- peers --------------------------------------------------------------------------------------

nsd_version() { nsd -v 2>&1 | awk 'NR==1 {print $3}'; }
knot_version() { knotd -V 2>&1 | awk 'NR==1 {print $NF}'; }
unbound_version() { unbound -V | awk 'NR==1 {print $2}'; }

# start_nsd label addr port zone-dir: NSD 4 with one server process and response rate limiting
# off (Debian's default RRL measures the limiter, not the server).
start_nsd() {
  local label="$1" addr="$2" port="$3" dir="$4" f
  {
    printf 'server:\n  ip-address: %s@%s\n  server-count: 1\n  username: ""\n  chroot: ""\n' "$addr" "$port"
    printf '  database: ""\n  zonelistfile: "%s/%s.zone.list"\n  xfrdfile: "%s/%s.xfrd"\n' "$work" "$label" "$work" "$label"
    printf '  pidfile: "%s/%s.pid"\n  logfile: "%s/%s.nsd.log"\n  rrl-ratelimit: 0\n  verbosity: 0\n' \
      "$work" "$label" "$work" "$label"
    printf 'remote-control:\n  control-enable: no\n'
    for f in "$dir"/*.zone; do
      printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$(basename "$f" .zone)" "$(realpath "$f")"
    done
  } >"$work/$label.conf"
  nsd-checkconf "$work/$label.conf"
  start_daemon "$label" nsd -d -c "$work/$label.conf"
}

# start_knot label addr port zone-dir: Knot DNS with one UDP and one TCP worker, no RRL (off
# unless configured), zone files read as they are (no journal, no zone-file rewrite).
start_knot() {
  local label="$1" addr="$2" port="$3" dir="$4" f
  mkdir -p "$work/$label.run" "$work/$label.db"
  {
    printf 'server:\n  listen: %s@%s\n  rundir: "%s/%s.run"\n  udp-workers: 1\n  tcp-workers: 1\n' \
      "$addr" "$port" "$work" "$label"
    printf '  background-workers: 1\n'
    printf 'database:\n  storage: "%s/%s.db"\n' "$work" "$label"
    printf 'log:\n  - target: stderr\n    any: error\n'
    printf 'template:\n  - id: default\n    storage: "%s"\n    zonefile-sync: -1\n    journal-content: none\n' \
      "$(realpath "$dir")"
    printf 'zone:\n'
    for f in "$dir"/*.zone; do
      printf '  - domain: "%s"\n    file: "%s"\n' "$(basename "$f" .zone)" "$(basename "$f")"
    done
  } >"$work/$label.conf"
  knotc -c "$work/$label.conf" conf-check >/dev/null
  start_daemon "$label" knotd -c "$work/$label.conf"
}

# start_unbound label addr port lab-prefix [conf lines...]: Unbound with one thread iterating
# from the lab root at lab-prefix.11 (port 53: Unbound only asks upstream servers on 53), and a
# control socket for unbound_control.
start_unbound() {
  local label="$1" addr="$2" port="$3" lab="$4"; shift 4
  printf '. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A %s.11\n' "$lab" >"$work/$label.hints"
  {
    printf 'server:\n  interface: %s@%s\n  port: %s\n  num-threads: 1\n  do-daemonize: no\n' "$addr" "$port" "$port"
    printf '  chroot: ""\n  username: ""\n  directory: "%s"\n  pidfile: "%s/%s.pid"\n' "$work" "$work" "$label"
    printf '  use-syslog: no\n  logfile: "%s/%s.unbound.log"\n  verbosity: 0\n  do-ip6: no\n' "$work" "$label"
    printf '  do-not-query-localhost: no\n  access-control: 127.0.0.0/8 allow\n  root-hints: "%s/%s.hints"\n' \
      "$work" "$label"
    local line
    for line in "$@"; do printf '  %s\n' "$line"; done
    printf 'remote-control:\n  control-enable: yes\n  control-interface: "%s/%s.ctl"\n  control-use-cert: no\n' \
      "$work" "$label"
  } >"$work/$label.conf"
  unbound-checkconf "$work/$label.conf" >/dev/null
  start_daemon "$label" unbound -d -c "$work/$label.conf"
}

unbound_control() { # label command...
  local label="$1"; shift
  unbound-control -c "$work/$label.conf" "$@"
}

# start_lab_authorities lab-prefix zones-dir [args...]: our root (.11), TLD (.12) and authoritative
# (.13) servers on port 53 of lab-prefix, as the recursors' upstreams.
start_lab_authorities() {
  local lab="$1" zones="$2" role pkg main dir; shift 2
  for role in root:RootNameServer:root tld:TldNameServer:tld authoritative:AuthoritativeNameServer:authoritative; do
    IFS=: read -r pkg main dir <<<"$role"
    start_dnslab "lab-$pkg" "dev.dnslab.$pkg.$main" --lab-network "$lab.0/24" --port 53 --admin-port 0 \
      --threads 1 --zones "$zones/$dir" "$@"
  done
  wait_answer "$lab.13" 53 www.google.com "$lab.80"
}

# start_dnslab_recursor label addr port admin-port lab-prefix [args...]
start_dnslab_recursor() {
  local label="$1" addr="$2" port="$3" admin="$4" lab="$5"; shift 5
  start_dnslab "$label" dev.dnslab.recursor.RecursorMain --address "$addr" --port "$port" --upstream-port 53 \
    --lab-network "$lab.0/24" --admin-port "$admin" --doh-port -1 --dot-port -1 --threads 1 "$@"
}

# --- load and numbers ---------------------------------------------------------------------------

# dnsperf_qps label addr port queries seconds [dnsperf options...] -> queries per second; the
# whole report stays in $work/label.dnsperf for lost queries and response codes.
dnsperf_qps() {
  local label="$1" addr="$2" port="$3" queries="$4" secs="$5"; shift 5
  dnsperf -s "$addr" -p "$port" -d "$queries" -l "$secs" "$@" >"$work/$label.dnsperf" 2>&1 || true
  awk '/Queries per second/ {print int($4)} ' "$work/$label.dnsperf"
}
dnsperf_lost() { awk '/Queries lost/ {print $3, $4}' "$work/$1.dnsperf"; }
dnsperf_rcodes() { sed -n 's/^ *Response codes: *//p' "$work/$1.dnsperf"; }

# alternate measure-function label... : a warm-up run of each, then ROUNDS rounds running
# `measure-function label seconds` for each label in the given order (A B A B ...). Prints every
# round; the numbers are kept in $work/label.values for summarise and ratio_report.
alternate() {
  local fn="$1" r l v line; shift
  for l in "$@"; do "$fn" "$l" "$WARMUP_SECS" >/dev/null; : >"$work/$l.values"; done
  for ((r = 1; r <= ROUNDS; r++)); do
    line="  round $r:"
    for l in "$@"; do
      v="$("$fn" "$l" "$SECS")"
      echo "${v:-0}" >>"$work/$l.values"
      line+="  $l ${v:-0}"
    done
    echo "$line"
  done
}

# median (min-max) of the numbers in a file
summarise() {
  sort -g "$1" | awk '{v[NR]=$1} END { m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2;
    printf "%s (%s-%s, %d runs)", m, v[1], v[NR], NR }'
}

# ratio_report ours peer [unit] [note]: each round's ratio ours/peer, their median and min-max.
ratio_report() {
  local ours="$1" peer="$2" unit="${3:-qps}" note="${4:-higher is better}"
  printf '  %-24s median %s %s\n' "$ours" "$(summarise "$work/$ours.values")" "$unit"
  printf '  %-24s median %s %s\n' "$peer" "$(summarise "$work/$peer.values")" "$unit"
  paste "$work/$ours.values" "$work/$peer.values" | awk '{printf "%.3f\n", ($2 > 0 ? $1 / $2 : 0)}' >"$work/ratio.values"
  printf '  ratio %s / %s per round: %s\n' "$ours" "$peer" "$(paste -sd' ' "$work/ratio.values")"
  printf '  RATIO %s / %s: median %s (%s)\n' "$ours" "$peer" "$(summarise "$work/ratio.values")" "$note"
}

# start_dnslab_recursor_encrypted label addr port admin-port lab-prefix dot-port doh-port [args...]:
# start_dnslab_recursor's recursor with DNS over TLS and over HTTPS on (RFC 7858, RFC 8484), its
# certificate issued by the lab CA of its --state-dir.
start_dnslab_recursor_encrypted() {
  local label="$1" addr="$2" port="$3" admin="$4" lab="$5" dot="$6" doh="$7"; shift 7
  start_dnslab "$label" dev.dnslab.recursor.RecursorMain --address "$addr" --port "$port" --upstream-port 53 \
    --lab-network "$lab.0/24" --admin-port "$admin" --dot-port "$dot" --doh-port "$doh" --threads 1 "$@"
}

# self_signed_p256 file-prefix cn: a throw-away certificate and key (prefix.pem, prefix.key) of the
# kind the lab CA issues (ECDSA P-256), for a peer's TLS port; load generators do not verify it.
self_signed_p256() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$2" \
    -keyout "$1.key" -out "$1.pem" 2>/dev/null
}

# cpu_seconds label -> user + system CPU time the daemon and its live child processes have used so
# far (/proc/PID/stat fields 14 and 15; NSD and nginx answer from a child process, found through
# /proc/PID/task/TID/children). CPU per query stays comparable when other jobs load the machine;
# qps does not.
cpu_seconds() {
  local -a pids=("${BENCH_PIDS[$1]}")
  local i=0 c
  while ((i < ${#pids[@]})); do
    for c in $(cat /proc/"${pids[i]}"/task/*/children 2>/dev/null); do pids+=("$c"); done
    i=$((i + 1))
  done
  for c in "${pids[@]}"; do cat "/proc/$c/stat" 2>/dev/null || true; done |
    awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); t += $12 + $13} END {printf "%.3f", t / hz}'
}

# with_cpu label dnsperf-run-label command...: runs the command (a dnsperf_qps call that prints a
# rate), prints its output, and appends the daemon's CPU microseconds per answer of that dnsperf
# run to $work/label.cpu, a line per run (the warm-up's too).
with_cpu() {
  local label="$1" run="$2" before out; shift 2
  before="$(cpu_seconds "$label")"
  out="$("$@")"
  awk -v a="$before" -v b="$(cpu_seconds "$label")" -v n="$(dnsperf_completed "$run")" \
    'BEGIN { printf "%.2f\n", (n > 0 ? (b - a) * 1e6 / n : 0) }' >>"$work/$label.cpu"
  echo "$out"
}

# cpu_report label...: each daemon's median CPU time per answer over the last ROUNDS runs (the
# measured rounds of the alternate call just made)
cpu_report() {
  local l
  for l in "$@"; do
    [ -s "$work/$l.cpu" ] || continue
    tail -n "$ROUNDS" "$work/$l.cpu" >"$work/$l.cpu.measured"
    printf '  %-24s CPU per answer: median %s us (user + system, lower is better)\n' "$l" \
      "$(summarise "$work/$l.cpu.measured")"
  done
}

# dnsperf_completed label -> queries answered in that dnsperf run
dnsperf_completed() { awk '/Queries completed/ {print $3}' "$work/$1.dnsperf"; }

# alternate_sides run-function label-prefix: ROUNDS rounds of `run-function side SECS` (a with_cpu
# dnsperf run that prints the rate answered) for the daemons label-prefix-A and label-prefix-B, who
# goes first alternating (A in odd rounds); prints every round with each side's rate, CPU
# microseconds per answer and response codes, then each side's median rate, its memory after the
# load and the CPU report.
alternate_sides() {
  local fn="$1" prefix="$2" round side qps line order
  : >"$work/A.qps"; : >"$work/B.qps"
  for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then order=(A B); else order=(B A); fi
    line="  round $round:"
    for side in "${order[@]}"; do
      qps="$("$fn" "$side" "$SECS")"
      echo "${qps:-0}" >>"$work/$side.qps"
      line+="  $side ${qps:-0} qps, $(tail -1 "$work/$prefix-$side.cpu") us/answer, rcodes $(dnsperf_rcodes "$prefix-$side")"
    done
    echo "$line"
  done
  for side in A B; do
    echo "  $side answered qps: median $(summarise "$work/$side.qps"); after the load $(rss_with_peak "$prefix-$side")"
  done
  cpu_report "$prefix-A" "$prefix-B"
}

# --- idle JVMs, two sides alternated (bench/recursor/idle.sh, bench/authoritative/idle.sh) -------

# idle_side_options side main-class -> that side's JVM options, one a line: OPTIONS_A / OPTIONS_B
# when given ("@jvm..." names this tree's files), else the role's own (role_options)
idle_side_options() {
  local given="OPTIONS_$1"
  if [ -n "${!given:-}" ]; then
    # shellcheck disable=SC2086  # a list of options
    printf '%s\n' ${!given//@jvm/@$BENCH_ROOT/jvm}
  else
    role_options "$2"
  fi
}

# idle_start label side main-class health-url args...: that side's JVM (the jar JAR_side, the
# options idle_side_options gives) started as its image starts it, with a class-data archive of its
# own (role_archive; TRAIN_CDS_A / TRAIN_CDS_B: that side's training script, e.g. the commit
# before's, `git show REV:docker/train-cds.sh`), until its /health answers
idle_start() {
  local label="$1" side="$2" main="$3" url="$4" jar="JAR_$2" train="TRAIN_CDS_$2" options i; shift 4
  mapfile -t options < <(idle_side_options "$side" "$main")
  JAR="${!jar}" TRAIN_CDS="${!train:-}" role_archive "$label" "$main" "$@"
  # shellcheck disable=SC2086  # JAVA_OPTS_DNSLAB is a list of options
  start_daemon "$label" java "${options[@]}" "-XX:SharedArchiveFile=$work/$label.jsa" $JAVA_OPTS_DNSLAB \
    -cp "${!jar}" "$main" "$@"
  for ((i = 0; i < 600; i++)); do
    bash "$BENCH_ROOT/docker/health.sh" --url "$url" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$label: not healthy within 60 s" >&2; tail "$work/$label.log" >&2; exit 1
}

# idle_reading side pid: that JVM's VmRSS, Pss_Anon, threads and loaded classes (jstat reads the
# JVM's performance counters file: no attach, nothing started in it), appended to $work/side.idle
# and printed; JVM_DIAG=1: its NMT summary (with JAVA_OPTS_DNSLAB=-XX:NativeMemoryTracking=summary)
# and its threads by name
idle_reading() {
  local side="$1" pid="$2"
  printf '%s %s %s %s\n' "$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")" \
    "$(awk '/^Pss_Anon:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/smaps_rollup")" "$(ls "/proc/$pid/task" | wc -l)" \
    "$(jstat -class "$pid" 2>/dev/null | awk 'NR == 2 {print $1}')" >>"$work/$side.idle"
  echo "  start $start $side: VmRSS $(tail -1 "$work/$side.idle" | awk '{print $1 " MiB, Pss_Anon " $2 " MiB, threads " $3 ", classes " $4}')"
  if [ "${JVM_DIAG:-0}" -ge 1 ]; then
    jcmd "$pid" VM.native_memory summary 2>&1 | awk '/^Total|^-  *[A-Z]/ {print "    " $0}'
    echo "    $(cat /proc/"$pid"/task/*/comm | sed 's/-*[0-9]*$//' | sort | uniq -c | awk '{n = $1; $1 = ""; printf "%s x%d, ", substr($0, 2), n}')"
  fi
}

# idle_sides: STARTS starts of idle_side A and idle_side B (the script's), who starts first
# alternating, then each side's median VmRSS and Pss_Anon
idle_sides() {
  : >"$work/A.idle"; : >"$work/B.idle"
  for ((start = 1; start <= STARTS; start++)); do
    if ((start % 2)); then idle_side A; idle_side B; else idle_side B; idle_side A; fi
  done
  for side in A B; do
    awk '{print $1}' "$work/$side.idle" >"$work/$side.rss"; awk '{print $2}' "$work/$side.idle" >"$work/$side.anon"
    echo "  $side IDLE VmRSS MiB: median $(summarise "$work/$side.rss"); Pss_Anon $(summarise "$work/$side.anon")"
  done
}
