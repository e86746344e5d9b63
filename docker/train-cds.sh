#!/bin/sh
# The image's class-data sharing archive (AppCDS, JDK 13+ dynamic archive, JEP 350): a training run
# until the JVM has answered, then a clean stop, at which the JVM writes the classes it loaded to
# ARCHIVE (-XX:ArchiveClassesAtExit). The JVMs of the image then map them (-XX:SharedArchiveFile,
# added to the image's jvm.options) instead of parsing them from the jar.
#   - Without MAIN_CLASS: the whole lab (`dnslab up`: every role's classes in one JVM) until the
#     recursor, the router and the web server have answered their health checks. For the images
#     that run `dnslab` itself or a role that needs the lab to answer (recursor, router).
#   - With MAIN_CLASS: that role alone (its ARGS, and a state folder of its own), until its health
#     check passes (the health script with READY's arguments; default the admin /health).
#   - With MAIN_CLASS and LAB=authorities: that role, with the lab's root, TLD and authoritative
#     servers running beside it (`dnslab up --authorities-only` on 127.53.0.11-13 port 5300, same
#     state folder, so a validating recursor trusts their keys), for a role whose health check
#     resolves a name from the lab root (the recursor: ARGS then say --upstream-port 5300). Their
#     classes stay out of its archive.
#   - With MAIN_CLASS and LAB=all: that role, with the whole lab running beside it (`dnslab up` as
#     above, its recursor on 127.53.0.53 port 5300), for a role whose health check needs a recursor
#     to answer (the router: ARGS then say --upstream 127.53.0.53 --upstream-port 5300).
#   The role is given --state-dir and the training's state folder unless STATE_DIR_OPTION says
#   otherwise: empty for a role that keeps nothing on disk and has no such option (the router).
# Why a role's own archive: mapping an archive costs resident memory for all of it, not only for the
# classes the JVM uses. Measured 2026-12-05 (an idle role, --threads 1, 10 s after its first answer,
# 2 alternated starts each): authoritative-ns without an archive 71.1-71.3 MiB, with the lab's
# 72.8-74.8, with its own 65.5-67.0; web-server 70.9-71.2, 72.9, 65.6-66.1; first answer the same or
# sooner. The router (2026-12-06, 3 rounds, forwarding to a `dnslab up` on loopback): 66.0-66.2 MiB
# without, 70.2-70.4 with the lab's archive (what its image mapped until then), 62.3 with its own. The archive is only valid for this jar (path, size, time) and this JVM build, so it is made
# inside the image that runs it. A JVM without a base CDS archive cannot write one: then the image
# runs without one (or keeps the one it had).
#
# usage (as root, in the image being built):
#   sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE
#   READY="--url http://127.0.0.1:80/ --host www.google.com" \
#     sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE MAIN_CLASS [ARGS...]
#   LAB=authorities READY=... sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE MAIN_CLASS [ARGS...]
#   LAB=all STATE_DIR_OPTION= READY=... sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE MAIN_CLASS [ARGS...]
# HEALTH names the health script (default /opt/dnslab/health, docker/health.sh in the image).
set -u
jar=${1:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE [MAIN_CLASS ARGS...]}
archive=${2:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE [MAIN_CLASS ARGS...]}
options=${3:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE [MAIN_CLASS ARGS...]}
shift 3
health=${HEALTH:-/opt/dnslab/health}
state=$(mktemp -d)
# A dynamic archive cannot be written on top of another (JDK 17), so the training run leaves out an
# archive an earlier stage added; the new one replaces it below.
grep -v '^-XX:SharedArchiveFile=' "$options" >"$state/jvm.options"
if [ $# -eq 0 ]; then
  # Unprivileged ports, so the run needs no capability; the admin ports stay at 9153 (health's default).
  java "@$state/jvm.options" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" up --port 5300 --http-port 8080 \
    --https-port 8443 --doh-port 1443 --dot-port 1853 --state-dir "$state" >"$state/run.log" 2>&1 &
  ready() {
    "$health" --url http://127.53.0.53:9153/health >/dev/null 2>&1 \
      && "$health" --url http://127.53.0.254:9153/health >/dev/null 2>&1 \
      && "$health" --url http://127.53.0.80:8080/ --host www.google.com >/dev/null 2>&1
  }
else
  lab=
  case "${LAB:-}" in
    authorities) lab_args="--authorities-only" lab_ready=http://127.53.0.13:9153/health ;;
    all) lab_args="--http-port 8080 --https-port 8443 --doh-port 1443 --dot-port 1853"
      lab_ready=http://127.53.0.53:9153/health ;;
    *) lab_args="" lab_ready="" ;;
  esac
  if [ -n "$lab_ready" ]; then
    # shellcheck disable=SC2086  # lab_args is a list of arguments
    java "@$state/jvm.options" -jar "$jar" up $lab_args --port 5300 --state-dir "$state" \
      >"$state/lab.log" 2>&1 &
    lab=$!
    for _ in $(seq 1 240); do
      "$health" --url "$lab_ready" >/dev/null 2>&1 && break
      sleep 0.25
    done
  fi
  state_option=${STATE_DIR_OPTION---state-dir}
  [ -n "$state_option" ] && set -- "$@" "$state_option" "$state"
  java "@$state/jvm.options" -XX:ArchiveClassesAtExit="$archive" -cp "$jar" "$@" >"$state/run.log" 2>&1 &
  # shellcheck disable=SC2086  # READY is a list of the health script's arguments
  ready() { "$health" ${READY:-} >/dev/null 2>&1; }
fi
pid=$!
ok=no
for _ in $(seq 1 240); do
  if ready; then
    ok=yes
    break
  fi
  sleep 0.25
done
kill -TERM "$pid"
wait "$pid"
if [ -n "${lab:-}" ]; then
  kill -TERM "$lab"
  wait "$lab"
fi
if [ "$ok" = yes ] && [ -s "$archive" ]; then
  grep -v '^-XX:SharedArchiveFile=' "$options" >"$state/with-archive"
  echo "-XX:SharedArchiveFile=$archive" >>"$state/with-archive"
  cat "$state/with-archive" >"$options"
  echo "train-cds: $archive ($(wc -c <"$archive") bytes), in $options"
else
  rm -f "$archive"
  echo "train-cds: no archive (ready: $ok); $options unchanged. The training run's log:" >&2
  tail -n 20 "$state/run.log" >&2
fi
rm -rf "$state"
