#!/usr/bin/env sh
# The lab's class-data sharing archive for the ./dnslab launcher, made right after it builds the jar,
# so a learner's very first `./dnslab up` maps it instead of parsing ~4,000 classes from the jar.
# A training start of the lab: `dnslab up` on ports of its own until its recursor has answered
# www.google.com (the hidden `up --stop-after-first-answer`: the jar asks it, the launcher needs no
# DNS client), then a clean stop, at which the JVM writes the classes it loaded on top of the JDK's
# archive (-XX:ArchiveClassesAtExit, JDK 13+: the dynamic archive the launcher recorded at the first
# lab's stop until then). Its state folder is the jar's choice (cli's TrainingStateDir): the default
# one ($DNSLAB_STATE_DIR or ~/.dnslab) when that holds no lab keys yet, so the first `up` finds the
# lab's DNSSEC keys and CA made (the root's RSA keys alone take 0.4-1.0 s of a cold start), else a
# throw-away one, so keys a user has are never touched. Either way the training makes keys, and
# the archive holds the classes of making them. The default lab network, so it works on macOS once
# the lab's addresses are on lo0; other ports, so a lab running beside a rebuild is not in its way.
# A training that fails (an address missing, a port taken) leaves no archive: the launcher then
# records one at the first lab's stop as before.
#   scripts/train-lab-archive.sh JAR ARCHIVE     (JAVA_OPTS_DNSLAB as the launcher passes them)
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
jar=${1:?usage: train-lab-archive.sh JAR ARCHIVE}
jsa=${2:?usage: train-lab-archive.sh JAR ARCHIVE}
log="$(mktemp)"
rm -f "$jsa"
# shellcheck disable=SC2086  # JAVA_OPTS_DNSLAB is a list of options (maybe empty)
if java "@$here/jvm.options" "-XX:ArchiveClassesAtExit=$jsa" ${JAVA_OPTS_DNSLAB:-} -jar "$jar" up \
  --port 25353 --admin-port 29153 --http-port 28080 --https-port 28443 --doh-port 28444 --dot-port 28853 \
  --stop-after-first-answer >"$log" 2>&1 && [ -s "$jsa" ]; then
  echo "dnslab: class-data archive $jsa made (a training start of the lab)" >&2
  sed -n 's/^training start: /dnslab: training start: /p' "$log" >&2
else
  echo "dnslab: no class-data archive from the training start (the first lab records one at its stop):" >&2
  tail -n 5 "$log" >&2
  rm -f "$jsa"
fi
rm -f "$log"
