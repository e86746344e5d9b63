#!/usr/bin/env bash
# Builds the container lab's images, locally and without any registry pull:
#   1. the base images, from Debian packages (../shared/docker/setup-engine.sh: debootstrap +
#      docker import; it also starts dockerd if none answers, so run it as root the first time):
#        dnslab/java-base:17     openjdk-17-jre-headless        (the Java roles)
#        dnslab/client-base:12   dnsutils curl w3m ca-certificates (the client)
#   2. the lab images from docker-compose.yml: dnslab/<service>:dev, one per service, all Java roles
#      sharing one layer with lab/target/dnslab.jar (build it first: ./mvnw -B -q install -DskipTests),
#      plus dnslab/lab:dev, the whole lab in one container (junit's DnsLabContainer).
# Idempotent: base images are made only when missing (about 40 s each); the rest is Docker's cache.
#
# usage: scripts/build-images.sh [--bases-only]
#   --bases-only  only step 1 (CI runs this before Maven, which has not built the jar yet)
# env:   DNSLAB_SHARED  where shared/docker lives (default: ../shared next to the project)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "build-images: $*"; }
die() { echo "build-images: ERROR: $*" >&2; exit 1; }

SHARED="${DNSLAB_SHARED:-../shared}"
SETUP="$SHARED/docker/setup-engine.sh"

# 1. base images ------------------------------------------------------------------------------
ensure_base() { # IMAGE "PACKAGES"
  if docker image inspect "$1" >/dev/null 2>&1; then
    log "base $1 present"
    return
  fi
  [ -f "$SETUP" ] || die "$1 is missing and $SETUP was not found (set DNSLAB_SHARED)"
  [ "$(id -u)" = 0 ] || die "$1 is missing; making it needs root once: sudo $0"
  log "making base $1 from Debian packages: $2"
  BASE_IMAGE="$1" BASE_PACKAGES="$2" bash "$SETUP"
}
docker info >/dev/null 2>&1 || {
  [ -f "$SETUP" ] && [ "$(id -u)" = 0 ] || die "no Docker engine answers (docker info failed)"
  bash "$SETUP"
}
ensure_base dnslab/java-base:17 "openjdk-17-jre-headless"
ensure_base dnslab/client-base:12 "dnsutils curl w3m ca-certificates"
[ "${1:-}" = "--bases-only" ] && exit 0

# 2. lab images --------------------------------------------------------------------------------
[ -f lab/target/dnslab.jar ] || die "lab/target/dnslab.jar is missing: run ./mvnw -B -q install -DskipTests first"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  die "neither 'docker compose' (v2) nor 'docker-compose' (v1) found"
fi
log "building the lab images with ${compose[*]}"
start=$(date +%s)
"${compose[@]}" -f docker-compose.yml build
# The whole lab in one container, for junit's DnsLabContainer (not a compose service).
docker build -q -f docker/Dockerfile --target lab -t dnslab/lab:dev . >/dev/null
log "built in $(( $(date +%s) - start )) s: $(docker images --format '{{.Repository}}:{{.Tag}}' --filter 'reference=dnslab/*:dev' | sort | tr '\n' ' ')"
