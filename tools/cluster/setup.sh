#!/usr/bin/env bash
# npm run setup:cluster: provisions the pinned Hadoop MiniCluster (HDFS + YARN
# in one JVM, tools/cluster/pom.xml) and the client jars that submit to a YARN
# cluster, from Maven Central into .cache/cluster/lib (git-ignored; the
# downloads stay cached in ~/.m2). tools/cluster/cluster.sh runs it before
# starting the cluster; tools/hadoop/hadoop-streaming uses the same jars as the
# client when HADOOP_CONF_DIR names a cluster and no Hadoop is installed.
#
#   tools/cluster/setup.sh [--force]
# Idempotent and quiet: nothing is fetched when the jars match the pom.
set -Eeuo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
POM=$ROOT/tools/cluster/pom.xml
DEST=$ROOT/.cache/cluster
readonly ROOT POM DEST

say() { printf 'setup:cluster: %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

stamp() {
  sha256sum <"$POM" | cut -d' ' -f1
}

up_to_date() {
  [[ -f $DEST/lib/STAMP && $(cat "$DEST/lib/STAMP") == "$(stamp)" ]]
}

fetch() {
  local tmp
  command -v java >/dev/null 2>&1 || [[ -x ${JAVA_HOME:-/nonexistent}/bin/java ]] ||
    die "java not found; on Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven"
  command -v mvn >/dev/null 2>&1 || die "mvn not found; on Debian/Ubuntu: apt-get install maven"
  say "fetching the Hadoop MiniCluster and YARN client jars with Maven"
  tmp=$(mktemp -d "$DEST/lib.XXXXXX")
  # shellcheck disable=SC2064  # expand now: the trap must remove this tmp
  trap "rm -rf -- '$tmp' '$tmp.log'" EXIT
  if ! mvn -q -B -ntp -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    die "Maven could not fetch the jars of $POM"
  fi
  compgen -G "$tmp/hadoop-mapreduce-client-jobclient-*-tests.jar" >/dev/null ||
    die "Maven did not fetch the MiniCluster (hadoop-mapreduce-client-jobclient tests jar)"
  stamp >"$tmp/STAMP"
  rm -rf -- "${DEST:?}/lib"
  mv -- "$tmp" "$DEST/lib"
  trap - EXIT
  rm -f -- "$tmp.log"
  say "ready in .cache/cluster/lib ($(find "$DEST/lib" -name '*.jar' | wc -l) jars)"
}

main() {
  local force=0
  case ${1:-} in
    --force) force=1 ;;
    -h | --help)
      sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      return 0
      ;;
    '') ;;
    *) die "unknown option: $1" ;;
  esac
  mkdir -p "$DEST/client"
  # One setup at a time (a test and a user may start the cluster together).
  exec 9>"$DEST/.setup.lock"
  flock 9
  if ((force == 1)) || ! up_to_date; then fetch; fi
  # The client's logging: job progress and counters at INFO on stderr.
  cp -- "$ROOT/tools/hadoop/log4j.properties" "$DEST/client/log4j.properties"
}

main "$@"
