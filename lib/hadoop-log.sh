# shellcheck shell=bash
# What the hadoop runner reads from the Hadoop client's log (stdout and stderr
# of one streaming job): the job counters, the tasks' own messages, and why a
# job failed. Sourced by lib/hadoop.sh (uses HADOOP_INPUT_NAMES and hadoop_kept_log).

# hadoop_job_counters LOG PHASE: the job counters of group viewed_products in
# the client's LOG (dist/hadoop-counters.js), appended to counters.tsv.
hadoop_job_counters() {
  local phase=$2 log=$1 found rc=0
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
    /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T]/ || /^packageJobJar: / || /^\t/ || /^(Caused by|java\.|org\.apache\.)/ || NF == 0 { next }
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
