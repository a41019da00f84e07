# shellcheck shell=bash
# Stages of a run and how their failures are reported: each stage's stderr is
# captured in a log of its own in $LOG_DIR (lib/workdir.sh: outside a given
# work directory, so a full work volume cannot swallow the message), copied on
# to the stage's stderr when it ends (warnings still reach the log as before),
# and on failure its last lines are logged with the stage's name; a stage
# killed by a signal is reported as killed, SIGKILL with the memory in force
# and a hint. Each stage's peak RSS is measured by GNU time into memory.tsv in
# the work directory, for the summary (lib/counters.sh). Sourced by lib/common.sh.

# Lines of a failed stage's stderr that the log shows.
readonly STAGE_TAIL_LINES=5
# 1 when $LOG_DIR is on the work directory's file system (lib/workdir.sh).
STAGE_RESERVE=0
# GNU time, which measures a stage's peak RSS; '' when not installed (the summary says so).
STAGE_TIME=/usr/bin/time
[[ -x $STAGE_TIME ]] || STAGE_TIME=''

# stage_log VAR NAME: sets VAR to the file that holds stage NAME's stderr (no subshell: stages are many).
stage_log() {
  local slug=${2//[^A-Za-z0-9._]/-}
  while [[ $slug == *--* ]]; do slug=${slug//--/-}; done
  printf -v "$1" '%s/%s.log' "${LOG_DIR:-${WORK_DIR:-${TMPDIR:-/tmp}}}" "${slug%-}"
}

# stage_copy FILE: FILE's lines on stderr (in bash: stage logs are short, a cat process costs more).
stage_copy() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    printf '%s\n' "$line"
  done <"$1" >&2
}

# stage NAME COMMAND...: runs COMMAND with its stderr in stage_log NAME, then
# copies that to our stderr; on failure records "NAME (exit N)<TAB>LOG" in
# $STAGE_FAILURES so a pipeline's failure is reported by the stage that failed.
stage() {
  local name=$1 rc=0 own
  shift
  stage_log own "$name"
  : >"$own"
  # Room for its last words when the logs share the work directory's volume, which may fill up.
  ((STAGE_RESERVE == 0)) || fallocate -n -l 64KiB -- "$own" 2>/dev/null || true
  if [[ -n $STAGE_TIME && -n ${WORK_DIR:-} ]]; then
    stage_timed "$name" "$own" "$@" || rc=$?
  else
    "$@" 2>>"$own" || rc=$?
  fi
  [[ ! -s $own ]] || stage_copy "$own" || true
  if ((rc != 0)); then
    printf '%s (exit %d)\t%s\n' "$name" "$rc" "$own" >>"$STAGE_FAILURES"
  fi
  return "$rc"
}

# stage_timed NAME LOG COMMAND...: COMMAND under GNU time, its stderr appended
# to LOG, its peak RSS recorded; returns COMMAND's exit code (GNU time exits
# with it, 128 + N after signal N, and writes its own words to its -o file).
stage_timed() {
  local name=$1 own=$2 rc=0
  shift 2
  "$STAGE_TIME" -f %M -o "$own.rss" "$@" 2>>"$own" || rc=$?
  if ((rc == 126 || rc == 127)); then
    # It could not start, as GNU time said ("time: cannot run X: ..."): the report names X alone.
    rm -f -- "$own.rss"
    sed -i "s|^$STAGE_TIME: ||" -- "$own" 2>/dev/null || true
  else
    stage_record_rss "$name" "$own.rss"
  fi
  return "$rc"
}

# stage_record_rss NAME FILE: GNU time's peak RSS (KiB) of stage NAME, from
# FILE, as "NAME<TAB>KiB" in memory.tsv (none when the stage did not finish).
stage_record_rss() {
  local line kib=''
  [[ -f $2 ]] || return 0
  while IFS= read -r line; do
    [[ ! $line =~ ^[0-9]+$ ]] || kib=$line
  done <"$2"
  rm -f -- "$2"
  # Best effort: a full volume loses a number, never the stage.
  [[ -z $kib ]] || { printf '%s\t%s\n' "$1" "$kib" >>"$WORK_DIR/memory.tsv"; } 2>/dev/null || true
}

# stage_memory: the memory limits in force for the job's processes, for a kill report.
stage_memory() {
  if [[ ${RUNNER:-local} != local ]]; then
    printf "the tasks' memory is the cluster's (mapreduce.map.memory.mb, mapreduce.reduce.memory.mb): raise it, or give more --reducers"
  elif ! { declare -F memory_in_force >/dev/null && memory_in_force; }; then
    printf 'no memory budget set: sort uses its default buffer, Node its default heap; run with fewer --reducers or more free memory'
  fi
}

# stage_signal CODE: the signal's name (KILL, TERM...) when exit CODE means a death by signal.
stage_signal() {
  local sig
  ((${1} > 128 && ${1} < 128 + 65)) || return 1
  sig=$(kill -l $(($1 - 128)) 2>/dev/null) || sig=$(($1 - 128))
  printf '%s' "${sig#SIG}"
}

# stage_ending CODE: how a stage that exited with CODE ended: "exit N" or "killed by SIGX".
stage_ending() {
  local sig
  if sig=$(stage_signal "$1"); then
    printf 'killed by SIG%s' "$sig"
  else
    printf 'exit %d' "$1"
  fi
}

# stage_kill_hint: what a SIGKILL usually means, the memory in force, and what to do.
stage_kill_hint() {
  printf 'out of memory? the kernel'\''s OOM killer sends SIGKILL; see dmesg or journalctl -k; %s' "$(stage_memory)"
}

# stage_tail LOG: the last STAGE_TAIL_LINES lines of a stage's stderr, counters left out.
stage_tail() {
  [[ -s $1 ]] || return 0
  grep -av '^reporter:' -- "$1" | tail -n "$STAGE_TAIL_LINES" || true
}

# stage_report NAME CODE LOG: logs how stage NAME failed, with its own last words.
stage_report() {
  local name=$1 code=$2 file=$3 first='' line how
  local -a lines=()
  mapfile -t lines < <(stage_tail "$file")
  ((${#lines[@]} == 0)) || first=": ${lines[0]}"
  how="failed ($(stage_ending "$code"))"
  ((code != 137)) || how="was killed by SIGKILL ($(stage_kill_hint))"
  log "$name $how$first"
  for line in "${lines[@]:1}"; do log "  $line"; done
}

# fail_stage WHAT: logs each stage that failed (leaving out those killed by
# SIGPIPE, exit 141, because a later stage failed) with its stderr's last lines,
# then exits with EXIT_PHASE naming WHAT and those stages.
fail_stage() {
  local what=$1 failed='' entry name code file
  local -a entries=()
  if [[ -s $STAGE_FAILURES ]]; then
    mapfile -t entries < <(grep -v '(exit 141)'$'\t' "$STAGE_FAILURES" || cat "$STAGE_FAILURES")
  fi
  : >"$STAGE_FAILURES"
  for entry in "${entries[@]}"; do
    name=${entry%%$'\t'*}
    file=${entry#*$'\t'}
    [[ $file != "$entry" ]] || file=''
    code=${name##*(exit }
    code=${code%)}
    if [[ $code =~ ^[0-9]+$ ]]; then
      name=${name% (exit *}
      stage_report "$name" "$code" "$file"
      name+=" ($(stage_ending "$code"))"
    fi
    # Hadoop names a task killed by a signal by its exit code: 128 + 9.
    [[ $name != *'failed with code 137'* ]] || log "a task was killed by SIGKILL ($(stage_kill_hint))"
    failed+="${failed:+; }$name"
  done
  logs_wanted
  die "$EXIT_PHASE" "$what failed${failed:+: $failed}"
}
