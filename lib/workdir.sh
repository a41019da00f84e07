# shellcheck shell=bash
# The run's scratch (work) directory and its logs directory, and what is left
# of them at exit: after a success, a given --work-dir as it was (a temporary
# one goes); after a failure, no scratch file (the volume is not left full for
# the next run) but the logs, which the log names; --keep-work keeps all.
# The logs directory ($LOG_DIR, the stages' stderr and the failure records) is
# a new viewed-products-logs.* under TMPDIR, apart from a given work
# directory's volume. Sourced by lib/common.sh.

LOG_DIR=''
# What a given work directory held before the run (left alone at exit).
declare -gA WORK_BEFORE=()
# What the job writes in a work directory (also removed when an earlier run left
# it), besides the phases' output folders (the plan's).
readonly WORK_JOB_NAMES='counters.tsv timings.tsv memory.tsv hadoop views.tsv viewed_products.tsv mysqlimport.out emr-steps.json emr-logs emr-output logs'

# make_work_dir [DIR]: the run's scratch directory (removed at exit unless
# --keep-work, or a given DIR after a success) and its logs directory.
make_work_dir() {
  if [[ -n ${1:-} ]]; then
    mkdir -p -- "$1"
    WORK_DIR=$(cd -- "$1" && pwd)
    work_snapshot
  else
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/viewed-products.XXXXXX")
  fi
  LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/viewed-products-logs.XXXXXX")
  STAGE_FAILURES=$LOG_DIR/stage-failures
  : >"$STAGE_FAILURES"
  # Room for the failure records even when this volume fills up (best effort).
  [[ $(stat -c %d -- "$LOG_DIR") != "$(stat -c %d -- "$WORK_DIR")" ]] || STAGE_RESERVE=1
  ((STAGE_RESERVE == 0)) || fallocate -n -l 64KiB -- "$STAGE_FAILURES" 2>/dev/null || true
  : >"$WORK_DIR/counters.tsv"
  : >"$WORK_DIR/timings.tsv"
  : >"$WORK_DIR/memory.tsv"
}

# work_snapshot: records the entries of a given work directory before the run.
work_snapshot() {
  local f
  WORK_BEFORE=()
  for f in "$WORK_DIR"/* "$WORK_DIR"/.[!.]*; do
    [[ -e $f || -L $f ]] || continue
    WORK_BEFORE[${f##*/}]=1
  done
}

# logs_wanted: marks the logs to be kept (a failure report points at them); a
# file, so that a subshell can mark them too.
logs_wanted() {
  [[ -z $LOG_DIR ]] || : >"$LOG_DIR/.wanted" || true
}

# work_is_job_entry NAME: true when NAME in a given work directory is the job's to remove.
work_is_job_entry() {
  [[ ! -v "WORK_BEFORE[$1]" ]] && return 0
  [[ " $WORK_JOB_NAMES " == *" $1 "* || $1 == *__new_*.tsv || $1 == db-client.* || $1 == aws-err.* ]] && return 0
  [[ $'\n'$(plan_outputs)$'\n' == *$'\n'"$1"$'\n'* ]]
}

# work_remove_scratch: removes what the run wrote in the work directory.
work_remove_scratch() {
  if [[ -z $WORK_ARG ]]; then
    rm -rf -- "$WORK_DIR"
    # (A bare return in the EXIT trap would return the run's exit code.)
    return 0
  fi
  local f
  for f in "$WORK_DIR"/* "$WORK_DIR"/.[!.]*; do
    [[ -e $f || -L $f ]] || continue
    ! work_is_job_entry "${f##*/}" || rm -rf -- "$f"
  done
}

# work_logs_home: where the logs of a failed run stay: a given work directory's
# logs/ (moved there once the scratch is gone), else $LOG_DIR itself.
work_logs_home() {
  if [[ -n ${WORK_ARG:-} ]] && ((${KEEP_WORK:-0} == 0)); then
    printf '%s/logs' "$WORK_DIR"
  else
    printf '%s' "$LOG_DIR"
  fi
}

# work_keep_logs: moves the logs where work_logs_home says, and logs where they are.
work_keep_logs() {
  local home
  home=$(work_logs_home)
  rm -f -- "$STAGE_FAILURES" "$LOG_DIR/.wanted"
  if [[ $home != "$LOG_DIR" ]] && mv -- "$LOG_DIR" "$home" 2>/dev/null; then
    LOG_DIR=$home
  fi
  log "logs kept in $LOG_DIR"
}

# work_cleanup CODE: at exit with CODE, what stays of the work and logs directories.
work_cleanup() {
  local code=$1
  if [[ -n ${WORK_DIR:-} && -d $WORK_DIR ]]; then
    if ((KEEP_WORK == 1)) || [[ -n $WORK_ARG && $code == 0 ]]; then
      log "work directory kept: $WORK_DIR"
    else
      work_remove_scratch
      ((code == 0)) || log "scratch files removed from ${WORK_ARG:+the work directory }$WORK_DIR (--keep-work keeps them)"
    fi
  fi
  [[ -n $LOG_DIR && -d $LOG_DIR ]] || return 0
  if ((code != 0)) && [[ -e $LOG_DIR/.wanted || $KEEP_WORK == 1 ]]; then
    work_keep_logs
  else
    rm -rf -- "$LOG_DIR"
  fi
}
