#!/bin/sh
# The image's class-data sharing archive (AppCDS, JDK 13+ dynamic archive, JEP 350): a training run
# of the whole lab (`dnslab up`: every role's classes in one JVM) until the recursor, the router and
# the web server have answered their health checks, then a clean stop, at which the JVM writes the
# classes it loaded to ARCHIVE (-XX:ArchiveClassesAtExit). Each role then maps them
# (-XX:SharedArchiveFile, added to the image's jvm.options) instead of parsing them from the jar.
# Measured (bench/jvm-options.sh, authoritative-ns): 4 MiB less resident memory idle and after load,
# same CPU per query.
# The archive is only valid for this jar and this JVM build, so it is made inside the image that
# runs it. A JVM without a base CDS archive cannot write one: then the image runs without it.
#
# usage: sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE   (as root, in the image being built)
set -u
jar=${1:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE}
archive=${2:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE}
options=${3:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE}
state=$(mktemp -d)
# Unprivileged ports, so the run needs no capability; the admin ports stay at 9153 (health's default).
java "@$options" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" up --port 5300 --http-port 8080 \
  --https-port 8443 --doh-port 1443 --dot-port 1853 --state-dir "$state" >"$state/up.log" 2>&1 &
pid=$!
ready=no
for _ in $(seq 1 240); do
  if /opt/dnslab/health --url http://127.53.0.53:9153/health >/dev/null 2>&1 \
    && /opt/dnslab/health --url http://127.53.0.254:9153/health >/dev/null 2>&1 \
    && /opt/dnslab/health --url http://127.53.0.80:8080/ --host www.google.com >/dev/null 2>&1; then
    ready=yes
    break
  fi
  sleep 0.25
done
kill -TERM "$pid"
wait "$pid"
if [ "$ready" = yes ] && [ -s "$archive" ]; then
  echo "-XX:SharedArchiveFile=$archive" >>"$options"
  echo "train-cds: $archive ($(wc -c <"$archive") bytes), added to $options"
else
  rm -f "$archive"
  echo "train-cds: no archive (lab ready: $ready); the image runs without one. The lab's log:" >&2
  tail -n 20 "$state/up.log" >&2
fi
rm -rf "$state"
