# shellcheck shell=bash
# The hadoop runner: the plan's phases (lib/plan.sh) as real Hadoop Streaming
# jobs on Hadoop's LocalJobRunner and the local file system. Arguments come from
# src/job/phases.ts through `dist/job-plan.js hadoop-args` (the same definition
# the EMR steps are rendered from); the bundles travel with -files and run from
# the task's working directory. tools/hadoop/hadoop-streaming picks the Hadoop:
# an installed one (hadoop on PATH or HADOOP_HOME) or the pinned one of
# `npm run setup:hadoop`. With a YARN cluster's configuration (--hadoop-conf),
# lib/hadoop-yarn.sh moves the data to and from HDFS and the jobs run on YARN.
# Sourced by run-job.sh (uses lib/common.sh).

# shellcheck source=lib/hadoop-log.sh
source "${BASH_SOURCE[0]%/*}/hadoop-log.sh"
# shellcheck source=lib/hadoop-yarn.sh
source "${BASH_SOURCE[0]%/*}/hadoop-yarn.sh"

HADOOP_STREAMING=$ROOT/tools/hadoop/hadoop-streaming
HADOOP_CONF_ARG=''
HADOOP_HDFS_DIR=/tmp/viewed-products # --hdfs-dir
# The user's path of each input link (key: NNNNN-name under the work directory's
# hadoop/input), so that task warnings name a file that outlives the run.
declare -gA HADOOP_INPUT_NAMES=()

# hadoop_usage PART: its own section (no Job option lines).
hadoop_usage() {
  [[ $1 == section ]] || return 0
  cat <<'USAGE'

Hadoop runner (--runner hadoop): both phases as Hadoop Streaming jobs on
Hadoop's local job runner, or on a YARN cluster. Uses an installed Hadoop
(hadoop on PATH, or HADOOP_HOME), else the pinned one from `npm run setup:hadoop`
(`npm run setup:cluster` for a cluster).
  --hadoop-conf DIR        submit to the YARN cluster of this configuration
                           (mapreduce.framework.name=yarn; default
                           HADOOP_CONF_DIR when it sets yarn): input and output
                           go through HDFS (see docs/hadoop.md)
  --hdfs-dir DIR           where runs keep their files on the cluster's file
                           system (default /tmp/viewed-products; a run's own
                           folder is removed unless --keep-work)
  environment: VP_HADOOP=pinned      use the pinned Hadoop even if one is installed
               VP_HADOOP_HEAP=2g     heap of the (pinned) Hadoop JVM running the tasks
USAGE
}

# hadoop_parse_option ARGS...: --hadoop-conf DIR, --hdfs-dir DIR.
# shellcheck disable=SC2034 # OPT_USED is read by lib/contract.sh
hadoop_parse_option() {
  case $1 in
    --hadoop-conf) need_value "$1" $#; HADOOP_CONF_ARG=$2; OPT_USED=2 ;;
    --hdfs-dir) need_value "$1" $#; HADOOP_HDFS_DIR=${2%/}; OPT_USED=2 ;;
    *) OPT_USED=0 ;;
  esac
}

# hadoop_check_options: a cluster's configuration only for this runner (elsewhere it would be ignored).
hadoop_check_options() {
  [[ -z $HADOOP_CONF_ARG || $RUNNER == hadoop ]] || usage_error "--hadoop-conf needs --runner hadoop"
}

# hadoop_validate: local job runner or YARN cluster (lib/hadoop-yarn.sh); the other checks need the work directory.
hadoop_validate() {
  cluster_validate "$HADOOP_CONF_ARG" "$HADOOP_HDFS_DIR"
}

# hadoop_cleanup: at exit, the run's files on the cluster.
hadoop_cleanup() {
  cluster_cleanup
}

# hadoop_needs_result: the hadoop runner always leaves a result.
hadoop_needs_result() {
  return 0
}

# hadoop_tasks_where: where the tasks ran, for the summary's memory line (lib/counters.sh).
hadoop_tasks_where() {
  if cluster_mode; then echo "in YARN containers"; else echo "in Hadoop's local job runner, under its JVM"; fi
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

# hadoop_work_kept: true when the work directory outlives a failed run (lib/workdir.sh).
hadoop_work_kept() {
  ((${KEEP_WORK:-0} == 1))
}

# hadoop_kept_log LOG: where LOG can be read after the run: LOG itself when the
# work directory is kept, else a copy among the run's kept logs (lib/workdir.sh).
hadoop_kept_log() {
  if hadoop_work_kept; then
    printf '%s' "$1"
    return 0
  fi
  logs_wanted
  if [[ -n ${LOG_DIR:-} ]] && cp -- "$1" "$LOG_DIR/"; then
    printf '%s' "$(work_logs_home)/$(basename -- "$1")"
  else
    printf '%s (could not keep it; rerun with --keep-work)' "$1"
  fi
}

# hadoop_phase PHASE BASE SIDE_BASE VIEWS...: runs phase PHASE as a streaming job
# into BASE/<its output>, reading the VIEWS or earlier outputs under BASE, as the
# plan says; SIDE_BASE is BASE as -files names its side files.
hadoop_phase() {
  local phase=$1 base=$2 side_base=$3
  shift 3
  local hw=$WORK_DIR/hadoop t0 secs rc=0 input output
  local task_dir=$hw/phase$phase-task log=$hw/phase$phase.log
  plan_get output "$phase" output
  output=$base/$output
  local -a plan_cmd=(node "$DIST/job-plan.js" hadoop-args --phase "$phase" --base "$base" --side-base "$side_base"
    --files-dir "$DIST" "${JOB_ARGS[@]}")
  for input in "$@"; do plan_cmd+=(--input "$input"); done
  local -a job_args local_args
  "${plan_cmd[@]}" >"$hw/phase$phase.args" || die "$EXIT_UNEXPECTED" "phase $phase: job-plan.js hadoop-args failed"
  mapfile -d '' job_args <"$hw/phase$phase.args"
  local arg reducers=''
  for arg in "${job_args[@]}"; do
    [[ $arg != mapreduce.job.reduces=* ]] || reducers=${arg#*=}
  done
  # Hadoop's local job runner on the local file system, isolated in the work
  # dir; on a cluster, what its configuration says.
  local cores where=''
  cores=$(cores)
  local_args=(
    -D mapreduce.framework.name=local
    -D fs.defaultFS=file:///
    -D "hadoop.tmp.dir=$hw/tmp"
    -D "mapreduce.local.map.tasks.maximum=$cores"
    -D "mapreduce.local.reduce.tasks.maximum=$cores"
  )
  if cluster_mode; then
    local_args=()
    where=" on YARN"
  fi
  mkdir -p "$task_dir"
  t0=$(now)
  # Name the log only where it will stay: the work directory goes at exit.
  if hadoop_work_kept; then
    log "phase $phase: Hadoop Streaming job$where ($reducers reducer(s)), log in $log"
  else
    log "phase $phase: Hadoop Streaming job$where ($reducers reducer(s)), log kept on failure or with --keep-work"
  fi
  # The JVM's working directory is where the local runner links the -files,
  # and where the tasks run: not the repository.
  # In the background, waited for: a signal's trap runs at once, and kills the YARN application (cluster_cleanup).
  ! cluster_mode || CLUSTER_LOG=$log
  (cd "$task_dir" && exec "$HADOOP_STREAMING" "${local_args[@]}" "${job_args[@]}") >"$log" 2>&1 &
  wait "$!" || rc=$?
  CLUSTER_LOG=''
  hadoop_task_messages "$log" "$hw/input"
  if cluster_mode && ((rc != 0)); then cluster_failure "$phase" "$log"; fi
  if ((rc != 0)); then
    local kept
    kept=$(hadoop_kept_log "$log")
    printf 'Hadoop job (exit %d): %s (log: %s)\n' "$rc" "$(hadoop_failure "$log")" "$kept" >>"$STAGE_FAILURES"
    log "phase $phase: last lines of $kept:"
    grep -v '^[[:space:]]at ' "$log" | tail -n 15 >&2 || true
    fail_stage "phase $phase"
  fi
  hadoop_job_counters "$log" "$phase"
  if cluster_mode; then log "phase $phase: YARN application $(cluster_app_ids "$log"), output $CLUSTER_FS$output"; fi
  secs=$(elapsed "$t0")
  record_timing "phase $phase" "$secs"
  log "phase $phase: done in $secs s"
}

# hadoop_run INPUT WORKDIR: the plan's phases in order, then the result phase's
# parts finished (sorted: the plan says) into WORKDIR/viewed_products.tsv (RESULT_FILE).
hadoop_run() {
  local phase input=$1 hw=$2/hadoop f i=0 which t0 name factor out
  local -a files inputs ids
  local result finish
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
  local base=$hw side_base=$hw
  if cluster_mode; then
    cluster_upload "$hw/input"
    base=$CLUSTER_WORK
    inputs=("$CLUSTER_WORK/input")
    # -files takes a path without a scheme as a local one: side files by their full URI.
    side_base=$CLUSTER_FS$CLUSTER_WORK
  fi
  plan_phases ids
  for phase in "${ids[@]}"; do
    # On a cluster the phases write to HDFS: only the local work directory is checked, off-cluster.
    if ! cluster_mode; then
      plan_input_files files "$phase" "$hw" "${inputs[@]}"
      plan_get factor "$phase" space-factor
      space_check "$phase" "$factor" "${files[@]}"
    fi
    hadoop_phase "$phase" "$base" "$side_base" "${inputs[@]}"
  done
  plan_get result '' result
  plan_get out "$result" output
  if cluster_mode; then cluster_download "$base/$out" "$hw/$out"; fi
  t0=$(now)
  # Hadoop sorts a reducer's input by key only.
  plan_finish finish key
  merge_parts "$finish" "$2/viewed_products.tsv" "$hw/$out"/part-*
  record_timing "merge" "$(elapsed "$t0")"
  for phase in "${ids[@]}"; do
    [[ $phase == "$result" ]] || rm -rf -- "${hw:?}/$(plan_word "$phase" output)"
  done
  rm -rf -- "$hw/tmp"
  # shellcheck disable=SC2034 # read by run-job.sh
  RESULT_FILE=$2/viewed_products.tsv
}
