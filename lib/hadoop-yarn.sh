# shellcheck shell=bash
# The hadoop runner on a YARN cluster (--hadoop-conf DIR or HADOOP_CONF_DIR,
# when that configuration sets mapreduce.framework.name=yarn): the input is
# uploaded to a work directory on the cluster's file system (HDFS), both
# phases are submitted to YARN with the same streaming arguments as on the
# local job runner, the result is read back, and the HDFS work directory is
# removed unless --keep-work. A failed task's stderr comes from YARN's
# aggregated container logs (`yarn logs`). Part of the hadoop layer: sourced by
# lib/hadoop.sh (its functions keep the cluster_ prefix).

CLUSTER_CONF=''     # the configuration directory, when the runner submits to YARN
CLUSTER_BASE=''     # where runs keep their files on the cluster (--hdfs-dir), once validated
CLUSTER_WORK=''     # this run's directory on the cluster's file system, once made
CLUSTER_FS=''       # fs.defaultFS of the configuration, for the log
CLUSTER_LOG=''      # the client's log of the phase running now (its YARN application is killed on a signal)

# cluster_is_yarn DIR: true when DIR's mapred-site.xml sets mapreduce.framework.name=yarn.
cluster_is_yarn() {
  [[ -f $1/mapred-site.xml ]] &&
    tr -d ' \t\r\n' <"$1/mapred-site.xml" | grep -q '<name>mapreduce\.framework\.name</name><value>yarn</value>'
}

# cluster_validate ARG HDFS_DIR: picks the cluster mode from --hadoop-conf ARG
# (checked: exit 2) or HADOOP_CONF_DIR (used only when it names a YARN
# cluster); on a cluster, runs keep their files under HDFS_DIR (--hdfs-dir).
cluster_validate() {
  local dir=$1
  if [[ -n $dir ]]; then
    [[ -d $dir ]] || usage_error "--hadoop-conf: no such directory: $dir"
    cluster_is_yarn "$dir" ||
      usage_error "--hadoop-conf $dir: its mapred-site.xml does not set mapreduce.framework.name=yarn"
  elif [[ -n ${HADOOP_CONF_DIR:-} ]] && cluster_is_yarn "$HADOOP_CONF_DIR"; then
    dir=$HADOOP_CONF_DIR
  else
    # The local job runner reads no cluster configuration (nor the pinned client's jars for one).
    unset HADOOP_CONF_DIR
    return 0
  fi
  [[ $2 == /?* ]] || usage_error "--hdfs-dir must be an absolute path"
  hadoop_check_path "--hdfs-dir" "$2"
  CLUSTER_BASE=$2
  CLUSTER_CONF=$(cd -- "$dir" && pwd)
  export HADOOP_CONF_DIR=$CLUSTER_CONF
  CLUSTER_FS=$(tr -d ' \t\r\n' <"$CLUSTER_CONF/core-site.xml" 2>/dev/null |
    sed -n 's:.*<name>fs\.defaultFS</name><value>\([^<]*\)</value>.*:\1:p') || true
  # Paths on the cluster are named (in -files and the log) with it: fs.defaultFS is needed.
  [[ $CLUSTER_FS == *://* ]] || usage_error "--hadoop-conf $dir: its core-site.xml does not set fs.defaultFS to a URI"
  CLUSTER_FS=${CLUSTER_FS%/}
}

cluster_mode() {
  [[ -n $CLUSTER_CONF ]]
}

# cluster_fs ARGS...: `hadoop fs ARGS` on the cluster (its chatter goes to the work directory's fs.log).
cluster_fs() {
  "$HADOOP_STREAMING" --fs "$@" 2>>"$WORK_DIR/hadoop/fs.log"
}

# cluster_upload DIR: the input links of DIR onto the cluster's file system (CLUSTER_WORK/input).
cluster_upload() {
  local t0
  t0=$(now)
  CLUSTER_WORK=$CLUSTER_BASE/run-$(date -u +%Y%m%dT%H%M%SZ)-$$
  # The run's folder is private (mode 700), made new (never one someone else made first).
  if ! { cluster_fs -mkdir -p "$CLUSTER_BASE" && cluster_fs -D fs.permissions.umask-mode=077 -mkdir "$CLUSTER_WORK" &&
    cluster_fs -chmod 700 "$CLUSTER_WORK" && cluster_fs -mkdir "$CLUSTER_WORK/input" &&
    cluster_fs -put "$1"/* "$CLUSTER_WORK/input/"; }; then
    die "$EXIT_PHASE" "could not upload the input to $CLUSTER_FS$CLUSTER_WORK/input: $(tail -n 3 "$WORK_DIR/hadoop/fs.log")"
  fi
  record_timing "upload" "$(elapsed "$t0")"
  log "input uploaded to $CLUSTER_FS$CLUSTER_WORK/input"
}

# cluster_download FROM DIR: the result phase's output FROM (on the cluster) into DIR.
cluster_download() {
  cluster_fs -get "$1" "$2" ||
    die "$EXIT_PHASE" "could not read the result from $CLUSTER_FS$1"
  log "result read from $CLUSTER_FS$1"
}

# cluster_app_ids LOG: the YARN application ids of the jobs in a client LOG.
cluster_app_ids() {
  grep -o 'Running job: job_[0-9]*_[0-9]*' "$1" | sed 's/.*job_/application_/' | sort -u | paste -sd ' '
}

# cluster_container_stderr APP: the non-empty stderr of APP's task containers, from
# YARN's aggregated logs (retried: aggregation finishes after the application).
cluster_container_stderr() {
  local app=$1 out i
  for ((i = 0; i < 15; i++)); do
    out=$("$HADOOP_STREAMING" --logs -applicationId "$app" -log_files stderr 2>/dev/null) || true
    if [[ $out == *LogContents:* ]]; then
      awk '
        /^Container: / { c = $2; am = (c ~ /_000001$/) } # container 1: the application master
        am { next }
        /^LogContents:/ { inlog = 1; next }
        /^End of LogType:/ { inlog = 0 }
        inlog && NF > 0 && !/^reporter:/ { print c ": " $0; if (++n == 20) exit }
      ' <<<"$out"
      return 0
    fi
    sleep 2
  done
  return 1
}

# cluster_failure PHASE LOG: what YARN says about a failed phase: why, and the task containers' stderr.
cluster_failure() {
  local phase=$1 log=$2 app why excerpt
  app=$(cluster_app_ids "$log")
  why=$(grep -m 1 '^Job failed as tasks failed' "$log") || why='see the log'
  log "phase $phase: YARN application ${app:-(none submitted)} failed: $why"
  [[ -n $app ]] || return 0
  if excerpt=$(cluster_container_stderr "${app%% *}"); then
    log "phase $phase: the containers' stderr (yarn logs -applicationId ${app%% *} -log_files stderr):"
    printf '%s\n' "${excerpt:-(empty)}" >&2
  else
    log "phase $phase: no aggregated container logs (is yarn.log-aggregation-enable on?); the NodeManagers' log dirs hold them"
  fi
}

# cluster_kill_running: kills the YARN application of the phase a signal or
# failure interrupted (its id from the client's log), before its folder goes.
cluster_kill_running() {
  local app
  [[ -n $CLUSTER_LOG ]] || return 0
  # YarnClientImpl's "Submitted application application_N_M", or mapreduce.Job's "Running job: job_N_M".
  app=$(grep -oE '(Submitted application application|Running job: job)_[0-9]+_[0-9]+' "$CLUSTER_LOG" 2>/dev/null | tail -n 1) || true
  app=${app##* }
  [[ -z $app ]] || app=application_${app#*_}
  CLUSTER_LOG=''
  if [[ -z $app ]]; then
    log "no YARN application in the client's log yet (the phase was not submitted)"
  elif "$HADOOP_STREAMING" --yarn application -kill "$app" >>"$WORK_DIR/hadoop/fs.log" 2>&1; then
    log "killed YARN application $app"
  else
    log "WARNING: could not kill YARN application $app: yarn application -kill $app"
  fi
}

# cluster_cleanup: kills an interrupted phase's application; removes this run's HDFS work directory unless --keep-work.
cluster_cleanup() {
  cluster_kill_running
  [[ -n $CLUSTER_WORK ]] || return 0
  if ((KEEP_WORK == 1)); then
    log "HDFS work directory kept: $CLUSTER_FS$CLUSTER_WORK"
  elif "$HADOOP_STREAMING" --fs -rm -r -f -skipTrash "$CLUSTER_WORK" >/dev/null 2>&1; then
    log "HDFS work directory removed: $CLUSTER_FS$CLUSTER_WORK"
  else
    log "WARNING: could not remove the HDFS work directory $CLUSTER_FS$CLUSTER_WORK"
  fi
  CLUSTER_WORK=''
}
