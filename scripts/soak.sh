#!/usr/bin/env bash
# The full-length soak of issue 18: MINUTES (default 10) of steady mixed load (A, AAAA, MX, TXT,
# NXDOMAIN and wildcard names of the lab, four clients over UDP and TCP) through Unbound and our
# recursor, with RATE (default 20) queries a second per client, LOSS (default 0.05) of the packets
# to and from the authorities dropped by iptables and every authority answering DELAY_MS (default
# 20) late. Prints queries, answers, wrong answers (must be 0), SERVFAILs by reason, and the RSS of
# the lab and of Unbound and the lab's heap after a full GC, at start, during and at the end. The
# everyday build (verify) runs the same test, SoakIT, for 45 seconds.
#
#   scripts/soak.sh [MINUTES] [RATE] [LOSS] [DELAY_MS]
#
# Needs root (a network namespace of its own, port 53 inside it), iproute2, iptables and unbound.
# Heavy: run it alone (flock /tmp/dnslab-heavy.lock scripts/soak.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-10}"; RATE="${2:-20}"; LOSS="${3:-0.05}"; DELAY_MS="${4:-20}"
SECONDS_TOTAL="$(awk -v m="$MINUTES" 'BEGIN { printf "%d", m * 60 }')"
NAMESPACE="dnslab-soak-$$"
# The test removes its namespace itself; this is for a run cut short (Ctrl-C kills the test JVM
# before it can): stop what still runs in the namespace, by PID, then delete it.
cleanup() {
  if ip netns list 2>/dev/null | grep -qw "$NAMESPACE"; then
    for pid in $(ip netns pids "$NAMESPACE"); do kill "$pid" 2>/dev/null || true; done
    ip netns delete "$NAMESPACE" || true
  fi
}
trap cleanup EXIT INT TERM
./mvnw -B -q -pl lab -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SoakIT -Dfailsafe.failIfNoSpecifiedTests=false -Ddnslab.requireTools=true \
  -Ddnslab.soak.seconds="$SECONDS_TOTAL" -Ddnslab.soak.rate="$RATE" -Ddnslab.soak.loss="$LOSS" \
  -Ddnslab.soak.delayMillis="$DELAY_MS" -Ddnslab.soak.namespace="$NAMESPACE"
