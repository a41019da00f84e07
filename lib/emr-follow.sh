# shellcheck shell=bash
# The EMR runner's steps once uploaded: submission, following them to the end
# (polling their states), the part files' download and merge, and the job
# counters from the step logs. Part of the emr layer: sourced by lib/emr.sh.

# emr_submit STEPS_JSON: submits; sets EMR_CLUSTER and EMR_STEP_IDS (in phase order).
emr_submit() {
  local steps=$1 out
  if [[ -n $EMR_CLUSTER_ID ]]; then
    EMR_CLUSTER=$EMR_CLUSTER_ID
    out=$(emr_try "aws emr add-steps" emr add-steps --cluster-id "$EMR_CLUSTER" \
      --steps "file://$steps" --query 'StepIds' --output text)
    read -r -a EMR_STEP_IDS <<<"$out"
  else
    local log_uri=${EMR_LOG_URI:-$EMR_S3/logs} ec2="InstanceProfile=$EMR_EC2_PROFILE"
    [[ -z $EMR_SUBNET ]] || ec2+=",SubnetId=$EMR_SUBNET"
    EMR_CLUSTER=$(emr_try "aws emr create-cluster" emr create-cluster \
      --name "viewed-products ${EMR_LAYOUT[run]##*/}" \
      --release-label "$EMR_RELEASE_LABEL" --applications Name=Hadoop \
      --instance-type "$EMR_INSTANCE_TYPE" --instance-count "$EMR_INSTANCE_COUNT" \
      --log-uri "$log_uri" --service-role "$EMR_SERVICE_ROLE" --ec2-attributes "$ec2" \
      --bootstrap-actions "Path=${EMR_LAYOUT[bootstrap]},Name=install-nodejs-20" \
      --steps "file://$steps" --auto-terminate --tags app=viewed-products \
      --query 'ClusterId' --output text)
    # list-steps gives the newest first: reverse into phase order.
    out=$(emr_try "aws emr list-steps" emr list-steps --cluster-id "$EMR_CLUSTER" --query 'reverse(Steps)[].Id' --output text)
    read -r -a EMR_STEP_IDS <<<"$out"
  fi
  [[ $EMR_CLUSTER =~ ^j- ]] || die "$EXIT_UNEXPECTED" "EMR returned no cluster id (got '$EMR_CLUSTER')"
  ((${#EMR_STEP_IDS[@]} == ${#EMR_PHASES[@]})) ||
    die "$EXIT_UNEXPECTED" "expected ${#EMR_PHASES[@]} step ids from EMR, got: ${EMR_STEP_IDS[*]:-none}"
}

# emr_epoch TIMESTAMP: seconds since the epoch (the CLI prints epoch numbers or ISO 8601).
emr_epoch() {
  if [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; then printf '%s\n' "$1"; else date -u -d "$1" +%s.%N; fi
}

# emr_step_failed PHASE STEP_ID STATE: dies with the step's failure details.
emr_step_failed() {
  local phase=$1 id=$2 state=$3 reason message logfile
  IFS=$'\t' read -r reason message logfile < <(emr_aws emr describe-step --cluster-id "$EMR_CLUSTER" --step-id "$id" \
    --query 'Step.Status.FailureDetails.[Reason,Message,LogFile]' --output text 2>/dev/null || true)
  local detail=''
  [[ -z ${reason:-} || $reason == None ]] || detail+=" reason: $reason."
  [[ -z ${message:-} || $message == None ]] || detail+=" $message"
  [[ -z ${logfile:-} || $logfile == None ]] || detail+=" (log: $logfile)"
  [[ -n $detail ]] || detail=' No failure details from EMR; see the step logs.'
  die "$EXIT_PHASE" "phase $phase (EMR step $id on $EMR_CLUSTER) $state.$detail"
}

# emr_states: "phase P STATE" of each step, for the messages.
emr_states() {
  local i out=''
  for i in "${!EMR_PHASES[@]}"; do out+="${out:+, }phase ${EMR_PHASES[i]} ${last[i]}"; done
  printf '%s' "$out"
}

# emr_wait: follows the steps (one per phase of EMR_PHASES) until all completed;
# dies (exit 20) when one fails or is cancelled, or when the cluster ends before they complete.
emr_wait() {
  local -a last=()
  local i state cluster_state reason t0 beat out
  for i in "${!EMR_PHASES[@]}"; do last[i]=''; done
  t0=$(now)
  beat=$(date +%s)
  log "emr: waiting for the steps (every ${EMR_POLL_SECONDS}s)"
  while true; do
    local all_done=1
    for i in "${!EMR_PHASES[@]}"; do
      state=$(emr_try "aws emr describe-step" emr describe-step --cluster-id "$EMR_CLUSTER" \
        --step-id "${EMR_STEP_IDS[$i]}" --query 'Step.Status.State' --output text)
      if [[ $state != "${last[$i]}" ]]; then
        log "emr: phase ${EMR_PHASES[i]} (${EMR_STEP_IDS[$i]}): $state after $(elapsed "$t0") s"
        last[i]=$state
        if [[ $state == COMPLETED ]]; then emr_record_step_time "${EMR_PHASES[i]}" "${EMR_STEP_IDS[$i]}"; fi
      fi
      case $state in
        COMPLETED) ;;
        FAILED | CANCELLED | CANCEL_PENDING | INTERRUPTED) emr_step_failed "${EMR_PHASES[i]}" "${EMR_STEP_IDS[$i]}" "$state" ;;
        *) all_done=0 ;;
      esac
    done
    ((all_done == 0)) || return 0
    out=$(emr_try "aws emr describe-cluster" emr describe-cluster \
      --cluster-id "$EMR_CLUSTER" --query 'Cluster.Status.[State,StateChangeReason.Message]' --output text)
    IFS=$'\t' read -r cluster_state reason <<<"$out"
    case $cluster_state in
      TERMINATING | TERMINATED | TERMINATED_WITH_ERRORS)
        die "$EXIT_PHASE" "cluster $EMR_CLUSTER is $cluster_state before the steps completed ($(emr_states)): ${reason:-no reason given}" ;;
    esac
    if (($(date +%s) - beat >= 300)); then
      log "emr: still waiting: $(emr_states), cluster $cluster_state, $(elapsed "$t0") s"
      beat=$(date +%s)
    fi
    sleep "$EMR_POLL_SECONDS"
  done
}

# emr_record_step_time PHASE STEP_ID: the step's run time from its timeline.
emr_record_step_time() {
  local start end
  IFS=$'\t' read -r start end < <(emr_aws emr describe-step --cluster-id "$EMR_CLUSTER" --step-id "$2" \
    --query 'Step.Status.Timeline.[StartDateTime,EndDateTime]' --output text 2>/dev/null || true)
  if [[ -n ${start:-} && $start != None && -n ${end:-} && $end != None ]]; then
    record_timing "phase $1" "$(awk -v a="$(emr_epoch "$start")" -v b="$(emr_epoch "$end")" 'BEGIN { printf "%.1f", b - a }')"
  fi
}

# emr_counters: the job counters of the phases from the steps' logs on S3
# (the hadoop-streaming client's output), appended to counters.tsv. A new
# cluster uploads its step logs as it terminates: wait for them up to
# EMR_LOG_WAIT_SECONDS. A running cluster uploads them every few minutes: no wait.
emr_counters() {
  local log_uri=${EMR_LOG_URI:-$EMR_S3/logs} dir=$WORK_DIR/emr-logs deadline i waited=0
  if [[ -n $EMR_CLUSTER_ID ]]; then
    log "emr: counters are in the step logs of $EMR_CLUSTER (its log URI, steps/{$(IFS=,; printf '%s' "${EMR_STEP_IDS[*]}")})"
    return 0
  fi
  mkdir -p "$dir"
  deadline=$(($(date +%s) + EMR_LOG_WAIT_SECONDS))
  local -a pending=("${!EMR_PHASES[@]}") still
  while true; do
    still=()
    for i in "${pending[@]}"; do
      emr_step_counters "$i" "$log_uri" "$dir" || still+=("$i")
    done
    ((${#still[@]} > 0)) || return 0
    pending=("${still[@]}")
    if (($(date +%s) >= deadline)); then
      local phases=''
      for i in "${pending[@]}"; do phases+=" ${EMR_PHASES[i]}"; done
      log "emr: no job counters for phase$phases in $log_uri/$EMR_CLUSTER/steps/ after ${EMR_LOG_WAIT_SECONDS}s; the summary lacks them"
      return 0
    fi
    if ((waited == 0)); then
      log "emr: waiting up to ${EMR_LOG_WAIT_SECONDS}s for the step logs (job counters)"
      waited=1
    fi
    sleep "$EMR_POLL_SECONDS"
  done
}

# emr_step_counters INDEX LOG_URI DIR: appends the counters of step INDEX (0, 1, ...)
# when its log holds them; fails otherwise. command-runner puts the client's
# output in the step's stderr (syslog on some releases).
emr_step_counters() {
  local i=$1 log_uri=$2 dir=$3 name f found rc
  for name in stderr syslog; do
    f=$dir/phase${EMR_PHASES[i]}-$name
    emr_aws s3 cp --only-show-errors "${log_uri%/}/$EMR_CLUSTER/steps/${EMR_STEP_IDS[$i]}/$name.gz" "$f.gz" >/dev/null 2>&1 || continue
    gzip -dc -- "$f.gz" >"$f" 2>/dev/null || continue
    rc=0
    found=$(node "$DIST/hadoop-counters.js" --phase "${EMR_PHASES[i]}" <"$f") || rc=$?
    # Exit 3 (no counters block yet) or nothing for our group: try the next log.
    ((rc == 0 || rc == 3)) || die "$EXIT_UNEXPECTED" "phase ${EMR_PHASES[i]}: hadoop-counters.js failed (exit $rc) on $f"
    if [[ -n $found ]]; then
      printf '%s\n' "$found" >>"$WORK_DIR/counters.tsv"
      return 0
    fi
  done
  return 1
}

# emr_download: the part files of the output (the result phase's), finished as
# the plan says for a key-sorted shuffle into WORK_DIR/viewed_products.tsv.
emr_download() {
  local dir=$WORK_DIR/emr-output t0 finish
  # EMR runs Hadoop: a reducer's input is sorted by key only.
  plan_finish finish key
  t0=$(now)
  emr_s3_exists "${EMR_LAYOUT[output]}/_SUCCESS" ||
    die "$EXIT_PHASE" "the steps completed but ${EMR_LAYOUT[output]}/_SUCCESS is missing"
  mkdir -p "$dir"
  emr_try "download of ${EMR_LAYOUT[output]}" s3 cp --only-show-errors --recursive \
    --exclude '*' --include 'part-*' "${EMR_LAYOUT[output]}/" "$dir/" >&2
  local -a parts=("$dir"/part-*)
  [[ -e ${parts[0]} ]] || die "$EXIT_PHASE" "no part files in ${EMR_LAYOUT[output]}"
  merge_parts "$finish" "$WORK_DIR/viewed_products.tsv" "${parts[@]}"
  rm -rf -- "$dir"
  record_timing "download+merge" "$(elapsed "$t0")"
  log "emr: result: $(wc -l <"$WORK_DIR/viewed_products.tsv") rows from ${#parts[@]} part file(s)"
}
