#!/bin/sh
# The Dockerfile's jar stage: puts the lab's fat jar at OUT, one of two ways.
#   build     build it from the sources with the Maven wrapper (Maven Central must be reachable;
#             this is what `docker compose up` does on a user's machine). Maven's own MAVEN_ARGS
#             variable adds flags, e.g. -o for an offline run against a filled ~/.m2
#             (compose-it's BuildJarScriptIT runs this script so on the host).
#   prebuilt  take cli/target/dnslab.jar from the build context (offline machines: run
#             ./mvnw -B -pl cli -am package -DskipTests on the host first).
# The one place that says how the image's jar is built, so a test can run this very command.
#
# usage: sh docker/build-jar.sh build|prebuilt OUT      (run from the project root)
set -eu
mode=${1:?usage: build-jar.sh build|prebuilt OUT}
out=${2:?usage: build-jar.sh build|prebuilt OUT}
mkdir -p "$(dirname "$out")"
case $mode in
  build)
    # sh, not ./mvnw: a checkout may have lost the executable bit (Windows, zip downloads).
    sh ./mvnw -B -pl cli -am package -DskipTests
    cp cli/target/dnslab.jar "$out"
    ;;
  prebuilt)
    [ -f cli/target/dnslab.jar ] || {
      echo "build-jar: cli/target/dnslab.jar is not in the build context:" \
        "run ./mvnw -B -pl cli -am package -DskipTests first, or build with JAR=build" >&2
      exit 1
    }
    cp cli/target/dnslab.jar "$out"
    ;;
  *)
    echo "build-jar: mode: $mode (expected: build or prebuilt)" >&2
    exit 1
    ;;
esac
echo "build-jar: $mode -> $out ($(wc -c <"$out") bytes)"
