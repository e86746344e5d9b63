#!/usr/bin/env bash
# Installs the Debian packages dnslab's tests and benchmarks use: real DNS clients (dig, kdig,
# drill), real resolvers and servers to compare with (unbound, nsd, knot-resolver, bind9,
# pdns-recursor: the resolver matrix of dnslab-junit; knot: bench/authoritative's second peer), load tools
# (dnsperf, wrk, h2load), nginx, curl, tshark, iproute2 and iptables (the soak's namespace and its
# packet loss), kubectl (compose-it renders deploy/kubernetes with
# `kubectl kustomize`), and Chromium for the browser tests with a Hangul
# font (fonts-nanum; without one, screenshots draw Korean text as boxes).
# Idempotent: installs only what is missing. Run as root (CI does).
set -euo pipefail

PACKAGES=(dnsutils knot-dnsutils ldnsutils unbound nsd knot knot-resolver bind9 pdns-recursor dnsperf wrk nghttp2-client
  nginx-light curl tshark iproute2 iptables chromium fontconfig fonts-nanum libnss3-tools procps kubernetes-client)

missing=()
for p in "${PACKAGES[@]}"; do
  # kubectl from another source (Google's SDK, a kubectl package) renders `kubectl kustomize` too.
  [ "$p" = kubernetes-client ] && command -v kubectl >/dev/null && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-test-deps: all present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-test-deps: missing ${missing[*]}; run as root: sudo $0" >&2
  exit 1
fi
echo "install-test-deps: installing ${missing[*]}"
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
  >/tmp/dnslab-apt.log 2>&1 || { tail -30 /tmp/dnslab-apt.log >&2; exit 1; }
# Debian's postinst scripts may enable services; none can start without systemd, and we start
# our own instances with our own configs on loopback in the tests.
echo "install-test-deps: done"
