#!/usr/bin/env bash
# The full-size bad-traffic run of issue 18: PACKETS (default 1000000) hostile UDP packets and
# FRAMES (default 10000) hostile TCP frames at each DNS role of an embedded lab (root, TLD,
# authoritative, recursor, router), then checks every role still answers correctly over UDP and
# TCP and that dns_malformed_total accounts for the malformed ones. Prints per role: packets,
# frames, time, malformed sent and counted, kernel drops. The everyday build (verify) runs the
# same test, HostileTrafficIT, with 100,000 packets and 1,000 frames.
#
#   scripts/dns-flood.sh [PACKETS] [FRAMES] [PACKETS_PER_SECOND]
#
# Loopback only. Heavy: run it alone (flock /tmp/dnslab-heavy.lock scripts/dns-flood.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PACKETS="${1:-1000000}"; FRAMES="${2:-10000}"; RATE="${3:-50000}"
exec ./mvnw -B -q -pl lab -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HostileTrafficIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Ddnslab.flood.udpPackets="$PACKETS" -Ddnslab.flood.tcpFrames="$FRAMES" \
  -Ddnslab.flood.packetsPerSecond="$RATE"
