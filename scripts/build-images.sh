#!/usr/bin/env bash
# Builds the container lab's images on a machine that cannot pull from any registry and whose
# containers have no Internet (a user with Docker Hub access needs none of this: `docker compose up`).
#   1. two local base images, made from Debian packages with debootstrap + `docker import`
#      (Linux, root and the debootstrap package, about a minute each, once):
#        dnslab/local-jre:17      openjdk-17-jre-headless       (jar stage and runtime of the roles)
#        dnslab/local-client:12   dnsutils curl w3m ca-certificates  (the client)
#   2. the lab images from docker-compose.yml, with the build arguments that pick those bases and
#      the prebuilt cli/target/dnslab.jar (./mvnw -B -pl cli -am package -DskipTests first):
#      dnslab/<service>:dev, plus dnslab/lab:dev (the whole lab in one container, junit's
#      DnsLabContainer, not a compose service).
#   --unbound-base: only dnslab/local-unbound:12 (Debian's unbound), the resolver under test of
#      compose-it's PodCompositionIT (a user with Docker Hub runs the official images instead).
# Idempotent: bases are made only when missing; the rest is Docker's build cache.
#
# usage: scripts/build-images.sh [--bases-only | --unbound-base | --print-env]
#   --bases-only  only step 1 (CI runs this before Maven has built the jar)
#   --print-env   print the DNSLAB_* build variables, one NAME=VALUE a line, and exit; export them
#                 to run compose yourself: set -a; . <(scripts/build-images.sh --print-env); set +a
# env:   DNSLAB_BUILD_BASE, DNSLAB_RUNTIME_BASE, DNSLAB_CLIENT_BASE, DNSLAB_JAR override the defaults
#        below; DEBIAN_MIRROR / DEBIAN_SUITE for debootstrap (default: read from apt's sources)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "build-images: $*" >&2; }
die() { echo "build-images: ERROR: $*" >&2; exit 1; }

JAVA_BASE=dnslab/local-jre:17
JAVA_PACKAGES="openjdk-17-jre-headless"
CLIENT_BASE=dnslab/local-client:12
CLIENT_PACKAGES="dnsutils curl w3m ca-certificates"
UNBOUND_BASE=dnslab/local-unbound:12
UNBOUND_PACKAGES="unbound"

# The build arguments of docker-compose.yml (see its header) for local bases and the host's jar.
export DNSLAB_BUILD_BASE="${DNSLAB_BUILD_BASE:-$JAVA_BASE}"
export DNSLAB_RUNTIME_BASE="${DNSLAB_RUNTIME_BASE:-$JAVA_BASE}"
export DNSLAB_CLIENT_BASE="${DNSLAB_CLIENT_BASE:-$CLIENT_BASE}"
export DNSLAB_JAR="${DNSLAB_JAR:-prebuilt}"
if [ "${1:-}" = "--print-env" ]; then
  for name in DNSLAB_BUILD_BASE DNSLAB_RUNTIME_BASE DNSLAB_CLIENT_BASE DNSLAB_JAR; do
    echo "$name=${!name}"
  done
  exit 0
fi

docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed)"

# 1. base images ------------------------------------------------------------------------------
debian_mirror() {
  [ -n "${DEBIAN_MIRROR:-}" ] && { echo "$DEBIAN_MIRROR"; return; }
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '/^[[:space:]]*(URIs:|deb[[:space:]])/ {
      for (i = 2; i <= NF; i++) if ($i ~ /^(https?|ftp|file):/) { print $i; break } }' |
    grep -i debian | grep -v security | head -1 || true
}

make_base() { # IMAGE "PACKAGES"
  local image=$1 packages=$2 suite mirror rootfs java_home
  if docker image inspect "$image" >/dev/null 2>&1; then
    log "base $image present"
    return
  fi
  [ "$(id -u)" = 0 ] || die "$image is missing; making it needs root once: sudo $0"
  command -v debootstrap >/dev/null || die "$image is missing; making it needs debootstrap (apt-get install debootstrap)"
  # shellcheck disable=SC1091
  suite="${DEBIAN_SUITE:-$(. /etc/os-release && echo "$VERSION_CODENAME")}"
  mirror="$(debian_mirror)"
  [ -n "$mirror" ] || die "no Debian mirror in apt's sources; set DEBIAN_MIRROR"
  rootfs="$(mktemp -d /var/tmp/dnslab-base.XXXXXX)"
  log "making $image: debootstrap $suite + $packages (about a minute)"
  debootstrap --variant=minbase --include="${packages// /,}" "$suite" "$rootfs" "$mirror" \
    >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; rm -rf "$rootfs"; die "debootstrap failed"; }
  # What an image never needs: package caches, docs, manuals, locales, logs.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/*
  java_home="$(cd "$rootfs" && ls -d usr/lib/jvm/java-*-openjdk-* 2>/dev/null | head -1 || true)"
  tar -C "$rootfs" -c . | docker import ${java_home:+-c "ENV JAVA_HOME=/$java_home"} -c 'ENV LANG=C.UTF-8' \
    -c 'CMD ["bash"]' - "$image" >/dev/null || { rm -rf "$rootfs"; die "docker import of $image failed"; }
  rm -rf "$rootfs" "$rootfs.log"
  log "made $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%d MB", $1/1e6}'))"
}
if [ "${1:-}" = "--unbound-base" ]; then
  make_base "$UNBOUND_BASE" "$UNBOUND_PACKAGES"
  exit 0
fi
# Only the bases the build arguments name: someone who points them at images of their own needs none.
[ "$DNSLAB_BUILD_BASE" = "$JAVA_BASE" ] || [ "$DNSLAB_RUNTIME_BASE" = "$JAVA_BASE" ] && make_base "$JAVA_BASE" "$JAVA_PACKAGES"
[ "$DNSLAB_CLIENT_BASE" = "$CLIENT_BASE" ] && make_base "$CLIENT_BASE" "$CLIENT_PACKAGES"
[ "${1:-}" = "--bases-only" ] && exit 0

# 2. lab images --------------------------------------------------------------------------------
if [ "$DNSLAB_JAR" = prebuilt ] && [ ! -f cli/target/dnslab.jar ]; then
  die "cli/target/dnslab.jar is missing: run ./mvnw -B -pl cli -am package -DskipTests first"
fi
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  die "neither 'docker compose' (v2) nor 'docker-compose' (v1) found"
fi
log "building the lab images with ${compose[*]} (jar: $DNSLAB_JAR, bases: $DNSLAB_RUNTIME_BASE, $DNSLAB_CLIENT_BASE)"
start=$(date +%s)
"${compose[@]}" -f docker-compose.yml build
# The whole lab in one container, for junit's DnsLabContainer (not a compose service).
docker build -q -f docker/Dockerfile --target lab -t dnslab/lab:dev \
  --build-arg BUILD_BASE="$DNSLAB_BUILD_BASE" --build-arg RUNTIME_BASE="$DNSLAB_RUNTIME_BASE" \
  --build-arg JAR="$DNSLAB_JAR" . >/dev/null
log "built in $(( $(date +%s) - start )) s: $(docker images --format '{{.Repository}}:{{.Tag}}' --filter 'reference=dnslab/*:dev' | sort | tr '\n' ' ')"
