# shellcheck shell=bash
# The hadoop runner: both phases as real Hadoop Streaming jobs on Hadoop's
# LocalJobRunner and the local file system. Arguments come from
# src/job/phases.ts through `dist/job-plan.js hadoop-args` (the same definition
# the EMR steps are rendered from); the bundles travel with -files and run from
# the task's working directory. tools/hadoop/hadoop-streaming picks the Hadoop:
# an installed one (hadoop on PATH or HADOOP_HOME) or the pinned one of
# `npm run setup:hadoop`. Sourced by run-job.sh (uses lib/common.sh).

HADOOP_STREAMING=$ROOT/tools/hadoop/hadoop-streaming
# The user's path of each input link (key: NNNNN-name under the work directory's
# hadoop/input), so that task warnings name a file that outlives the run.
declare -gA HADOOP_INPUT_NAMES=()

hadoop_usage() {
  cat <<'USAGE'

Hadoop runner (--runner hadoop): both phases as Hadoop Streaming jobs on
Hadoop's local job runner. Uses an installed Hadoop (hadoop on PATH, or
HADOOP_HOME), else the pinned one from `npm run setup:hadoop`.
  environment: VP_HADOOP=pinned      use the pinned Hadoop even if one is installed
               VP_HADOOP_HEAP=2g     heap of the (pinned) Hadoop JVM running the tasks
USAGE
}

# hadoop_parse_option ARGS...: the runner has no options of its own (see hadoop_usage).
hadoop_parse_option() {
  # shellcheck disable=SC2034 # read by run-job.sh
  OPT_USED=0
}

# hadoop_validate: nothing to check before the run (its checks need the work directory).
hadoop_validate() {
  return 0
}

# hadoop_needs_result: the hadoop runner always leaves a result.
hadoop_needs_result() {
  return 0
}

# hadoop_check_path WHAT PATH: Hadoop splits -input and -files on commas and
# expands glob characters, and its local runner loses map output under a
# directory with a space; refuse such paths rather than fail or read wrong files.
hadoop_check_path() {
  case $2 in
    *[[:space:]]* | *[,*?{}\[\]\\]*)
      die "$EXIT_USAGE" "$1 path has a character Hadoop treats specially (, * ? { } [ ] \\ or a space): $2 (see --work-dir, TMPDIR)"
      ;;
  esac
}

# hadoop_work_kept: true when the work directory outlives the run (as run-job.sh's cleanup decides).
hadoop_work_kept() {
  ((KEEP_WORK == 1)) || [[ -n $WORK_ARG ]]
}

# hadoop_kept_log LOG: where LOG can be read after the run: LOG itself when the
# work directory is kept, else a copy in a new viewed-products-logs.* folder.
hadoop_kept_log() {
  if hadoop_work_kept; then
    printf '%s' "$1"
    return 0
  fi
  local dir
  if dir=$(mktemp -d "${TMPDIR:-/tmp}/viewed-products-logs.XXXXXX") && cp -- "$1" "$dir/"; then
    printf '%s' "$dir/$(basename -- "$1")"
  else
    printf '%s (could not keep it; rerun with --keep-work)' "$1"
  fi
}

# hadoop_job_counters LOG PHASE: the job counters of group viewed_products in
# the client's LOG (dist/hadoop-counters.js), appended to counters.tsv.
hadoop_job_counters() {
  local log=$1 phase=$2 found rc=0
  found=$(node "$DIST/hadoop-counters.js" --phase "$phase" <"$log") || rc=$?
  case $rc in
    0) ;;
    3) die "$EXIT_PHASE" "phase $phase: no job counters in Hadoop's log ($(hadoop_kept_log "$log"))" ;;
    *) die "$EXIT_UNEXPECTED" "phase $phase: hadoop-counters.js failed (exit $rc) on $(hadoop_kept_log "$log")" ;;
  esac
  if [[ -z $found ]]; then
    log "phase $phase: WARNING: Hadoop reported no viewed_products counters"
    return 0
  fi
  printf '%s\n' "$found" >>"$WORK_DIR/counters.tsv"
}

# hadoop_task_messages LOG [INPUTDIR]: what the tasks wrote on stderr (warnings),
# not Hadoop's own log; INPUTDIR's links (file:INPUTDIR/NNNNN-name or the plain
# path) read as the user's input path (HADOOP_INPUT_NAMES).
hadoop_task_messages() {
  local dir=${2:-} line out before key
  awk '
    /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T]/ || /^\t/ || /^(Caused by|java\.|org\.apache\.)/ || NF == 0 { next }
    { print; if (++n == 40) exit }
  ' "$1" | while IFS= read -r line; do
    out=''
    while [[ -n $dir && $line == *"$dir/"* ]]; do
      before=${line%%"$dir/"*}
      line=${line#*"$dir/"}
      key=${line%%[!A-Za-z0-9._-]*}
      if [[ -n $key && -v "HADOOP_INPUT_NAMES[$key]" ]]; then
        out+=${before%file:}${HADOOP_INPUT_NAMES[$key]}
        line=${line#"$key"}
      else
        out+=$before$dir/
      fi
    done
    printf '%s\n' "$out$line"
  done >&2
}

# hadoop_failure LOG: one line saying which task failed and how, for the error message.
hadoop_failure() {
  awk '
    /subprocess failed with code/ && reason == "" { reason = $0; sub(/.*PipeMapRed[^:]*: */, "", reason) }
    /streaming\.PipeReducer\./ && role == "" { role = "reducer" }
    /streaming\.PipeCombiner\./ && role == "" { role = "combiner" }
    /streaming\.PipeMapper\./ && role == "" { role = "mapper" }
    /ERROR streaming\.StreamJob: / && other == "" { other = $0; sub(/.*StreamJob: */, "", other) }
    /ClassNotFoundException/ && other == "" { other = $0 }
    /^Caused by: / { cause = substr($0, 12) }
    END {
      if (reason != "") printf "%s %s", (role == "" ? "a task" : role), reason
      else if (other != "") printf "%s%s", other, (cause == "" ? "" : " (" cause ")")
      else printf "the Hadoop job failed%s", (cause == "" ? "" : " (" cause ")")
    }
  ' "$1"
}

# hadoop_phase PHASE OUTPUT INPUT...: runs one phase as a streaming job into
# OUTPUT (phase 2 with a score ships the supports phase's output with -files).
hadoop_phase() {
  local phase=$1 output=$2
  shift 2
  local hw=$WORK_DIR/hadoop t0 secs rc=0 input
  local task_dir=$hw/phase$phase-task log=$hw/phase$phase.log
  local -a plan_cmd=(node "$DIST/job-plan.js" hadoop-args --phase "$phase" --output "$output"
    --files-dir "$DIST" "${JOB_ARGS[@]}")
  [[ $phase != 2 || ! -d $hw/supports ]] || plan_cmd+=(--supports-output "$hw/supports")
  for input in "$@"; do plan_cmd+=(--input "$input"); done
  local -a job_args local_args
  "${plan_cmd[@]}" >"$hw/phase$phase.args" || die "$EXIT_UNEXPECTED" "phase $phase: job-plan.js hadoop-args failed"
  mapfile -d '' job_args <"$hw/phase$phase.args"
  local arg reducers=''
  for arg in "${job_args[@]}"; do
    [[ $arg != mapreduce.job.reduces=* ]] || reducers=${arg#*=}
  done
  # Hadoop's local job runner on the local file system, isolated in the work dir.
  local cores
  cores=$(cores)
  local_args=(
    -D mapreduce.framework.name=local
    -D fs.defaultFS=file:///
    -D "hadoop.tmp.dir=$hw/tmp"
    -D "mapreduce.local.map.tasks.maximum=$cores"
    -D "mapreduce.local.reduce.tasks.maximum=$cores"
  )
  mkdir -p "$task_dir"
  t0=$(now)
  # Name the log only where it will stay: the work directory goes at exit.
  if hadoop_work_kept; then
    log "phase $phase: Hadoop Streaming job ($reducers reducer(s)), log in $log"
  else
    log "phase $phase: Hadoop Streaming job ($reducers reducer(s)), log kept on failure or with --keep-work"
  fi
  # The JVM's working directory is where the local runner links the -files,
  # and where the tasks run: not the repository.
  (cd "$task_dir" && "$HADOOP_STREAMING" "${local_args[@]}" "${job_args[@]}") >"$log" 2>&1 || rc=$?
  hadoop_task_messages "$log" "$hw/input"
  if ((rc != 0)); then
    local kept
    kept=$(hadoop_kept_log "$log")
    printf 'Hadoop job (exit %d): %s (log: %s)\n' "$rc" "$(hadoop_failure "$log")" "$kept" >>"$STAGE_FAILURES"
    log "phase $phase: last lines of $kept:"
    grep -v '^[[:space:]]at ' "$log" | tail -n 15 >&2 || true
    fail_stage "phase $phase"
  fi
  hadoop_job_counters "$log" "$phase"
  secs=$(elapsed "$t0")
  record_timing "phase $phase" "$secs"
  log "phase $phase: done in $secs s"
}

# hadoop_run INPUT WORKDIR: both phases, then the parts sorted into WORKDIR/viewed_products.tsv (RESULT_FILE).
hadoop_run() {
  local input=$1 hw=$2/hadoop f i=0 which t0 name
  local -a files inputs
  [[ -x $HADOOP_STREAMING ]] || die "$EXIT_UNEXPECTED" "missing $HADOOP_STREAMING"
  which=$("$HADOOP_STREAMING" --which 2>&1) ||
    die "$EXIT_UNEXPECTED" "$which (npm run setup:hadoop provisions the pinned Hadoop)"
  log "hadoop runner: $which"
  read_inputs files "$input"
  hadoop_check_path "work directory" "$2"
  hadoop_check_path "dist" "$DIST"
  rm -rf -- "$hw"
  mkdir -p "$hw/input"
  # Each input under a plain name, so commas or glob characters in the user's
  # file names cannot change what Hadoop reads; a plain name is kept, for the warnings.
  for f in "${files[@]}"; do
    name=${f##*/}
    [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || name=views
    inputs+=("$hw/input/$(printf '%05d' "$i")-$name")
    HADOOP_INPUT_NAMES[${inputs[-1]##*/}]=${INPUT_LABELS[$f]:-$f}
    i=$((i + 1))
    if [[ -f $f ]]; then
      ln -s -- "$(cd -- "$(dirname -- "$f")" && pwd)/$(basename -- "$f")" "${inputs[-1]}"
    else
      cat -- "$f" >"${inputs[-1]}" || die "$EXIT_USAGE" "cannot read $f"
    fi
  done
  hadoop_phase 1 "$hw/phase1" "${inputs[@]}"
  # The supports phase, when the job has one (a score other than count).
  if node "$DIST/job-plan.js" phases "${JOB_ARGS[@]}" | grep -qx supports; then
    hadoop_phase supports "$hw/supports" "$hw/phase1"
  fi
  hadoop_phase 2 "$hw/phase2" "$hw/phase1"
  t0=$(now)
  # Hadoop sorts each part by key (source<TAB>target), which is not whole-line
  # byte order for ids with bytes below TAB: a full sort, not a merge.
  merge_parts sort "$2/viewed_products.tsv" "$hw"/phase2/part-*
  record_timing "merge" "$(elapsed "$t0")"
  rm -rf -- "$hw/phase1" "$hw/supports" "$hw/tmp"
  # shellcheck disable=SC2034 # read by run-job.sh
  RESULT_FILE=$2/viewed_products.tsv
}
