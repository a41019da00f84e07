#!/usr/bin/env bash
# npm run setup:hadoop: provisions the pinned Apache Hadoop for the hadoop
# runner and its tests. Maven fetches the hadoop-streaming jar and what it needs
# to run with the LocalJobRunner (tools/hadoop/pom.xml) from Maven Central into
# .hadoop/lib (git-ignored; the artifacts stay cached in ~/.m2), then a tiny
# streaming job checks that it runs on this machine's Java.
#
#   tools/setup-hadoop.sh [--force] [--no-check]
#     --force     fetch again even when .hadoop/ is up to date, or when an
#                 installed Hadoop (hadoop on PATH / HADOOP_HOME) makes it unneeded
#     --no-check  skip the smoke job
# Idempotent and quiet: a second run with nothing changed only runs the check.
set -Eeuo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
POM=$ROOT/tools/hadoop/pom.xml
DEST=$ROOT/.hadoop
readonly ROOT POM DEST

say() { printf 'setup:hadoop: %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

pom_version() {
  sed -n 's:.*<hadoop.version>\(.*\)</hadoop.version>.*:\1:p' "$POM" | head -n 1
}

pom_digest() {
  sha256sum <"$POM" | cut -d' ' -f1
}

need_tools() {
  local missing=()
  command -v java >/dev/null 2>&1 || [[ -x ${JAVA_HOME:-/nonexistent}/bin/java ]] || missing+=('java (a JDK or JRE 17)')
  command -v mvn >/dev/null 2>&1 || missing+=('mvn (Apache Maven)')
  ((${#missing[@]} == 0)) ||
    die "missing: ${missing[*]}; on Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven"
}

fetch() {
  local version tmp
  version=$(pom_version)
  [[ -n $version ]] || die "no <hadoop.version> in $POM"
  say "fetching Apache Hadoop $version (streaming + LocalJobRunner) with Maven"
  mkdir -p "$DEST"
  tmp=$(mktemp -d "$DEST/lib.XXXXXX")
  # shellcheck disable=SC2064  # expand now: the trap must remove this tmp
  trap "rm -rf -- '$tmp'" EXIT
  if ! mvn -q -B -ntp -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -f -- "$tmp.log"
    die "Maven could not fetch Hadoop $version"
  fi
  rm -f -- "$tmp.log"
  [[ -f $tmp/hadoop-streaming-$version.jar ]] || die "Maven did not fetch hadoop-streaming-$version.jar"
  rm -rf -- "${DEST:?}/lib"
  mv -- "$tmp" "$DEST/lib"
  trap - EXIT
  printf '%s\n' "$version" >"$DEST/VERSION"
  pom_digest >"$DEST/STAMP"
  say "Hadoop $version ready in .hadoop/ ($(find "$DEST/lib" -name '*.jar' | wc -l) jars)"
}

up_to_date() {
  [[ -f $DEST/STAMP && -f $DEST/VERSION && -d $DEST/lib && $(cat "$DEST/STAMP") == "$(pom_digest)" ]] &&
    [[ -f $DEST/lib/hadoop-streaming-$(cat "$DEST/VERSION").jar ]]
}

# smoke: a two-reducer streaming job with shell commands, through the launcher.
smoke() {
  local dir rc=0
  dir=$(mktemp -d "${TMPDIR:-/tmp}/setup-hadoop.XXXXXX")
  printf 'b\t1\na\t2\nb\t3\n' >"$dir/in.tsv"
  (
    cd "$dir"
    "$ROOT/tools/hadoop/hadoop-streaming" \
      -D mapreduce.framework.name=local -D fs.defaultFS=file:/// -D hadoop.tmp.dir="$dir/tmp" \
      -D mapreduce.job.reduces=2 \
      -input "$dir/in.tsv" -output "$dir/out" -mapper cat -reducer 'uniq -c -w 1' >"$dir/log" 2>&1
  ) || rc=$?
  # Two keys over two reducers; the reducer sees both lines of key b together.
  if ((rc != 0)) || [[ $(cat "$dir"/out/part-* | cut -f1 | tr -s ' ' | LC_ALL=C sort | tr '\n' ';') != ' 1 a; 2 b;' ]]; then
    tail -n 40 "$dir/log" >&2
    rm -rf -- "$dir"
    die "the smoke job failed on $("$ROOT/tools/hadoop/hadoop-streaming" --which 2>&1)"
  fi
  rm -rf -- "$dir"
  say "smoke job ok on $("$ROOT/tools/hadoop/hadoop-streaming" --which)"
}

main() {
  local force=0 check=1
  while (($# > 0)); do
    case $1 in
      --force) force=1 ;;
      --no-check) check=0 ;;
      -h | --help)
        sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        return 0
        ;;
      *) die "unknown option: $1" ;;
    esac
    shift
  done
  if ((force == 0)) && [[ ${VP_HADOOP:-} != pinned ]] &&
    { command -v hadoop >/dev/null 2>&1 || [[ -x ${HADOOP_HOME:-/nonexistent}/bin/hadoop ]]; }; then
    say "an installed Hadoop will be used ($("$ROOT/tools/hadoop/hadoop-streaming" --which)); nothing to fetch (--force fetches the pinned one anyway)"
  else
    need_tools
    # One setup at a time (test files may call it concurrently).
    mkdir -p "$DEST"
    exec 9>"$DEST/.lock"
    flock 9
    if ((force == 0)) && up_to_date; then
      say "Hadoop $(cat "$DEST/VERSION") already in .hadoop/"
    else
      fetch
    fi
  fi
  if [[ -d $DEST/lib ]]; then
    mkdir -p "$DEST/conf"
    cp -- "$ROOT/tools/hadoop/log4j.properties" "$DEST/conf/log4j.properties"
  fi
  exec 9>&-
  if ((check == 1)); then smoke; fi
}

main "$@"
