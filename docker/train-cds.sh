#!/bin/sh
# The image's class-data sharing archive (AppCDS, a static archive, JEP 310): a training run until
# the JVM has answered, then a clean stop, at which the JVM has written the name of every class it
# loaded to a class list (-XX:DumpLoadedClassList); then `java -Xshare:dump` writes exactly those
# classes (the JDK's and the jar's, and the lambda proxies the list names) to ARCHIVE. The training
# run is the second start of its command: the first makes the state folder's lab CA and keys (see
# "Two starts" below). The JVMs of the image then map that one archive (-XX:SharedArchiveFile,
# added to the image's jvm.options) instead of the JDK's own plus parsing the rest from the jar.
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
# without, 70.2-70.4 with the lab's archive (what its image mapped until then), 62.3 with its own.
# Why a static archive, not a dynamic one on top of the JDK's (-XX:ArchiveClassesAtExit, JEP 350,
# what this script wrote until 2026-12-06): JDK 17's dynamic archive leaves out every class of a
# class file older than Java 6 (major version 49: all of picocli's 169 classes at a role's start), so
# the JVM parses those into metaspace; a static archive holds them (JDK 17 stores old class files in
# a static archive only). Measured 2026-12-06 (each role idle 12 s after its first answer, 6
# starts each alternated in two sessions, 3 for the web server; VmRSS, MiB, dynamic -> static):
# recursor (DoT and DoH on) 73.8/74.7/73.7/73.9/73.4/73.7 -> 72.6/72.6/72.9/72.7/72.7/72.8;
# authoritative-ns 64.1/64.5/65.0/65.0/64.0/64.2 -> 64.1/63.7/63.5/63.6/64.2/64.3 (its anonymous
# memory, Pss_Anon, lower in 6 of 6 by 0.5-1.6); web-server 63.6/63.9/63.8 -> 61.4/61.5/61.0. The
# archives' resident pages the same (recursor 28.3 against 28.6 MiB, the JDK's 12 included in the
# first): what goes is the metaspace the parsed classes took. First answers within the starts'
# spread. A static base of only the role's JDK classes with the dynamic archive on top: recursor
# 73.1/73.6/73.2, authoritative-ns 63.6/63.4/64.7, between the two. The authoritative-ns image
# (JDK 17.0.19, idle 12 s after its health check passed, 3 alternated pairs): 64.9/65.7/65.2 ->
# 64.2/64.0/64.3 MiB, the JDK's classes.jsa no longer mapped beside the role's archive.
# What the recursor's archive leaves out (2026-12-06, trained as its image's stage trains it, then
# started likewise, its health check passed and the root's SOA asked once more, from its cache, as
# the router's and its own health checks ask it; 12 s idle, -Xlog:class+load): 3,985 classes
# loaded, 3,858 from the archive; the other 127 are 95 LambdaForms and ~30 classes that the first
# answer from the cache spins or loads. The archive holds 4,050: the dump also archives what
# verifying the listed classes loads (Netty's OpenSsl classes, BouncyCastle's ASN.1) and 16 classes
# of the training's stop. A training that also asks that cached question (the script's ready()
# followed by `dig . SOA`), 3 alternated starts against this one: 69.1/70.9/69.4 MiB against
# 70.2/70.1/69.9, Pss_Anon 45.3/46.4/45.5 against 45.9/46.0/45.6: within the starts' spread, not
# done. The ~170 BouncyCastle EC classes a recursor loads when it answers www.google.com come with
# that name's validation, which an idle recursor never does; an archive holding them would cost
# every start their pages.
# The archive is only valid for this jar (path, size, time) and this JVM build, so it is made inside
# the image that runs it. A JVM that cannot write one (no -Xshare:dump, or the list or the dump
# fails): then the image runs without one (or keeps the one it had).
#
# usage (as root, in the image being built):
#   sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE
#   READY="--url http://127.0.0.1:80/ --host www.google.com" \
#     sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE MAIN_CLASS [ARGS...]
#   LAB=authorities READY=... sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE MAIN_CLASS [ARGS...]
#   LAB=all STATE_DIR_OPTION= READY=... sh docker/train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE MAIN_CLASS [ARGS...]
# HEALTH names the health script (default /opt/dnslab/health, docker/health.sh in the image).
# The benches' CDS=role runs this recipe too (bench/lib.sh's role_archive: HEALTH=docker/health.sh,
# a copy of jvm.options, the bench's own state folder), so a bench maps what an image maps.
set -u
pid= lab=
jar=${1:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE [MAIN_CLASS ARGS...]}
archive=${2:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE [MAIN_CLASS ARGS...]}
options=${3:?usage: train-cds.sh JAR ARCHIVE JVM_OPTIONS_FILE [MAIN_CLASS ARGS...]}
shift 3
health=${HEALTH:-/opt/dnslab/health}
state=$(mktemp -d)
# Stopped early (an interrupted bench, a cancelled build): its JVMs stop with it, and it returns
# once they have (a JVM's clean stop takes a second or two), so their ports are free again.
trap 'kill -TERM $pid $lab 2>/dev/null; wait; rm -rf "$state"; exit 143' TERM INT HUP
# The training run leaves out an archive an earlier stage added (the lab's, in a role's image), so it
# starts as a JVM without one would; the new one replaces it below.
grep -v '^-XX:SharedArchiveFile=' "$options" >"$state/jvm.options"
if [ $# -eq 0 ]; then
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
  # shellcheck disable=SC2086  # READY is a list of the health script's arguments
  ready() { "$health" ${READY:-} >/dev/null 2>&1; }
fi
# Two starts of the same command, each until it is ready: the first makes the state a role keeps in
# its state folder (the lab CA, the zones' DNSSEC keys), the second, the training, finds it there,
# as every start but the first on a compose volume does. Why: a start that creates the lab CA loads
# BouncyCastle's certificate builder and its ASN.1 model, one that finds it does not (the recursor
# and the web server issue their own certificates at their first TLS connection), and an archive
# holding those classes costs every start that maps it their resident pages. Measured 2026-12-06
# (3 alternated rounds, each role 12 s idle after its first answer, on a state folder holding
# ca.pem): web-server archive 14 -> 12-13 MiB, RSS 65.7/66.4/66.1 -> 64.1/64.6/64.1 MiB; the
# recursor (DoT and DoH on) 18 -> 16 MiB, 72.4/72.7/73.2 -> 70.9/73.0/70.7. The same jar before its
# certificates waited for their first connection, trained either way: 66-67 MiB both.
for pass in state archive; do
  share=-Xshare:auto # the JVM's default: the JDK's archive, none written
  [ "$pass" = archive ] && share="-XX:DumpLoadedClassList=$state/classes"
  if [ $# -eq 0 ]; then
    # Unprivileged ports, so the run needs no capability; the admin ports stay at 9153 (health's default).
    java "@$state/jvm.options" "$share" -jar "$jar" up --port 5300 --http-port 8080 --https-port 8443 \
      --doh-port 1443 --dot-port 1853 --state-dir "$state" >"$state/$pass.log" 2>&1 &
  else
    java "@$state/jvm.options" "$share" -cp "$jar" "$@" >"$state/$pass.log" 2>&1 &
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
  [ "$ok" = yes ] || break
done
if [ -n "${lab:-}" ]; then
  kill -TERM "$lab"
  wait "$lab"
fi
rm -f "$archive"
if [ "$ok" = yes ] && [ -s "$state/classes" ]; then
  # The same class path as the JVMs that map it (-cp or -jar of the same jar); the same options too,
  # so the dump does not archive what those JVMs could not map.
  java "@$state/jvm.options" -Xshare:dump -XX:SharedClassListFile="$state/classes" \
    -XX:SharedArchiveFile="$archive" -cp "$jar" >"$state/dump.log" 2>&1 || rm -f "$archive"
  pass=dump
fi
if [ "$ok" = yes ] && [ -s "$archive" ]; then
  grep -v '^-XX:SharedArchiveFile=' "$options" >"$state/with-archive"
  echo "-XX:SharedArchiveFile=$archive" >>"$state/with-archive"
  cat "$state/with-archive" >"$options"
  echo "train-cds: $archive ($(wc -c <"$archive") bytes), in $options"
else
  rm -f "$archive"
  echo "train-cds: no archive (ready: $ok; the step that stopped it: $pass); $options unchanged. Its log:" >&2
  tail -n 20 "$state/$pass.log" >&2
fi
rm -rf "$state"
