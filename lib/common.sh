# shellcheck shell=bash
# Shared helpers for run-job.sh and its layers: logging, failures with exit
# codes, option values, input files and the final merge; lib/counters.sh adds
# counters, timings and the summary; lib/checks.sh the up-front checks of paths
# and option combinations, and the check after the job that the input was
# views; lib/stage.sh stages and their failure reports; lib/workdir.sh the work
# and logs directories; lib/space.sh the free-space check before each phase;
# lib/memory.sh the --memory budget; lib/contract.sh the calls of the layers.
# Sourced, not run.
#
# The layers (run-job.sh's LAYERS: lib/local.sh, lib/db.sh, lib/hadoop.sh,
# lib/emr.sh) follow the runner contract in docs/runners.md: the functions each
# defines, what they set, the globals they may read, checked by lib/contract.sh.

readonly EXIT_UNEXPECTED=1
readonly EXIT_USAGE=2
readonly EXIT_EXPORT=10
readonly EXIT_PHASE=20
readonly EXIT_IMPORT=30
readonly EXIT_GUARD=40
readonly EXIT_LOCKED=50
readonly EXIT_NOT_VIEWS=60
readonly EXIT_SPACE=70
export EXIT_UNEXPECTED EXIT_USAGE EXIT_EXPORT EXIT_PHASE EXIT_IMPORT EXIT_GUARD EXIT_LOCKED EXIT_NOT_VIEWS EXIT_SPACE

# shellcheck source=lib/counters.sh
source "${BASH_SOURCE[0]%/*}/counters.sh"
# shellcheck source=lib/checks.sh
source "${BASH_SOURCE[0]%/*}/checks.sh"
# shellcheck source=lib/window.sh
source "${BASH_SOURCE[0]%/*}/window.sh"
# shellcheck source=lib/stage.sh
source "${BASH_SOURCE[0]%/*}/stage.sh"
# shellcheck source=lib/workdir.sh
source "${BASH_SOURCE[0]%/*}/workdir.sh"
# shellcheck source=lib/space.sh
source "${BASH_SOURCE[0]%/*}/space.sh"
# shellcheck source=lib/memory.sh
source "${BASH_SOURCE[0]%/*}/memory.sh"
# shellcheck source=lib/contract.sh
source "${BASH_SOURCE[0]%/*}/contract.sh"
# shellcheck source=lib/plan.sh
source "${BASH_SOURCE[0]%/*}/plan.sh"

# log MESSAGE...: a timestamped line on stderr (stdout carries data only).
log() {
  # Bash's own strftime (no `date` process per line), in UTC.
  local TZ=UTC0
  printf '%(%Y-%m-%dT%H:%M:%SZ)T run-job: %s\n' -1 "$*" >&2
}

# die CODE MESSAGE...: logs the message and exits with CODE.
die() {
  local code=$1
  shift
  log "ERROR: $*"
  exit "$code"
}

# need_value OPTION ARGC: fails unless the option has a value after it.
need_value() {
  (($2 >= 2)) || usage_error "$1 needs a value"
}

usage_error() {
  printf 'run-job: %s\nrun-job: see ./run-job.sh --help\n' "$*" >&2
  exit "$EXIT_USAGE"
}

# now: microseconds since the epoch, for phase timings (bash 5's clock, no
# process; `date` on older bash).
now() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    printf '%s\n' "${EPOCHREALTIME/[.,]/}"
  else
    date +%s%6N
  fi
}

# elapsed START: seconds since START (from `now`), one decimal.
elapsed() {
  local t
  t=$(now)
  t=$(((t - $1 + 50000) / 100000))
  printf '%d.%d' $((t / 10)) $((t % 10))
}

# group_digits N: 1234567 -> 1,234,567.
group_digits() {
  local n=$1 out=''
  while ((${#n} > 3)); do
    out=",${n:${#n}-3}$out"
    n=${n:0:${#n}-3}
  done
  printf '%s%s\n' "$n" "$out"
}

# descendants PID: the processes under PID, deepest first (read from /proc).
descendants() {
  local c kids=''
  if [[ -r /proc/$1/task/$1/children ]]; then
    read -r kids <"/proc/$1/task/$1/children" || true # no final newline
  fi
  for c in $kids; do
    [[ $c == "$BASHPID" ]] && continue
    descendants "$c"
    printf '%s\n' "$c"
  done
}

SPARE_PID=''
# stop_children: ends this run's remaining processes (a phase interrupted by a
# signal or a failure), so none outlives the run or writes into a removed
# directory; all but SPARE_PID (a layer's lock connection, ended by its cleanup).
# Each is stopped (SIGSTOP) until no new one appears, since a stopped process
# cannot start another: none forked meanwhile escapes. It waits for them
# (SIGKILL after 5 s): one still writing its log would leave the logs behind.
stop_children() {
  local pid more=1
  local -a pids=() all
  local -A seen=()
  while ((more)); do
    more=0
    mapfile -t all < <(descendants "$$")
    for pid in "${all[@]}"; do
      [[ $pid == "$SPARE_PID" || -v "seen[$pid]" ]] && continue
      seen[$pid]=1
      pids+=("$pid")
      more=1
      kill -STOP "$pid" 2>/dev/null || true
    done
  done
  ((${#pids[@]} > 0)) || return 0
  log "stopping ${#pids[@]} leftover process(es) of this run"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  kill -CONT "${pids[@]}" 2>/dev/null || true
  wait_gone 50 "${pids[@]}" && return 0
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait_gone 20 "${pids[@]}" || true
}

# pid_running PID: true while PID runs (a zombie has ended; its parent reaps it).
pid_running() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# wait_gone TENTHS PID...: true once every PID has ended, false after TENTHS tenths of a second.
wait_gone() {
  local tries=$1 pid
  shift
  for pid in "$@"; do
    while pid_running "$pid"; do
      ((tries-- > 0)) || return 1
      sleep 0.1
    done
  done
}

# What warnings and messages call an input file, when not its path (a database
# export: its file goes with the work directory); set by run-job.sh.
# shellcheck disable=SC2034 # read by the runners
declare -gA INPUT_LABELS=()

# input_files INPUT: the files of INPUT (a file, or every regular file of a directory, sorted).
input_files() {
  local input=$1
  if [[ -d $input ]]; then
    find "$input" -maxdepth 1 -type f ! -name '.*' ! -name '_*' -print | LC_ALL=C sort
  else
    printf '%s\n' "$input"
  fi
}

# read_inputs ARRAY INPUT: sets ARRAY to INPUT's files (input_files); none is a usage error.
read_inputs() {
  local -n files_=$1
  # Checked here, not in input_files: a die inside the process substitution would not end the run.
  [[ -d $2 || -f $2 || -p $2 || $2 == /dev/stdin ]] || die "$EXIT_USAGE" "input not found: $2"
  mapfile -t files_ < <(input_files "$2")
  ((${#files_[@]} > 0)) || die "$EXIT_USAGE" "no input files in $2"
}

# cores: the processors this run may use.
cores() {
  nproc 2>/dev/null || echo 2
}

# merge_parts MODE OUT PART...: the result file OUT from a phase's part files,
# in LC_ALL=C byte order of whole lines. MODE merge: each part is in that order
# already (sort -m; one part is moved); MODE sort: parts in another order (such
# as Hadoop's, by key), so a full sort, in all of --memory (it runs alone);
# MODE concat: each part in order and after the one before (cat). A
# failure fails the run (exit 20).
merge_parts() {
  local mode=$1 out=$2
  shift 2
  local -a how=()
  [[ -z ${MEMORY_KIB:-} ]] || how=(-S "${MEMORY_KIB}K")
  if [[ $mode == concat ]]; then
    # Parts in order already, each after the one before (source ranges): the first one moved,
    # the others appended to it, so only they are copied.
    mv -- "$1" "$out"
    shift
    (($# == 0)) || stage "merge" cat -- "$@" >>"$out" || fail_stage "merge"
    return 0
  fi
  if [[ $mode == merge ]]; then
    if (($# == 1)); then
      mv -- "$1" "$out"
      return 0
    fi
    # A merge's buffers stay small unless -S asks for more.
    how=(-m)
  fi
  stage "merge" env LC_ALL=C sort "${how[@]}" -T "$WORK_DIR" -o "$out" -- "$@" || fail_stage "merge"
}
