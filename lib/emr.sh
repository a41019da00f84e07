# shellcheck shell=bash
# The EMR runner: both phases as Amazon EMR steps (hadoop-streaming through
# command-runner.jar), on an existing cluster or on a new auto-terminating one.
# Sourced by run-job.sh; uses the AWS CLI (v1 or v2) and honours
# AWS_ENDPOINT_URL (passed on as --endpoint-url), so it can talk to an emulator.
#
#   runner_emr INPUT WORKDIR
#     uploads the dist/ bundles, the bootstrap action and INPUT (a views file or
#     a directory of them; an s3:// URI is used in place) under a new run prefix
#     S3/runs/RUN_ID/, submits the steps rendered by `job-plan.js emr-steps`
#     (src/job/emr-steps.ts), follows them, and on success downloads the part
#     files and merges them (LC_ALL=C sort) into WORKDIR/viewed_products.tsv.

EMR_S3=''
EMR_CLUSTER_ID=''
EMR_SUBMIT_ONLY=0
EMR_RELEASE_LABEL=emr-7.10.0
EMR_INSTANCE_TYPE=m5.xlarge
EMR_INSTANCE_COUNT=3
EMR_LOG_URI=''
EMR_SERVICE_ROLE=EMR_DefaultRole
EMR_EC2_PROFILE=EMR_EC2_DefaultRole
EMR_SUBNET=''
EMR_POLL_SECONDS=30
EMR_LOG_WAIT_SECONDS=600

emr_usage() {
  cat <<'USAGE'

Amazon EMR (--runner emr; needs the AWS CLI and credentials; see README.md):
  --s3 s3://BUCKET/PREFIX  where the run's files go (required); each run uses
                           PREFIX/runs/RUN_ID/{dist,input,phase1,output}
  --cluster-id j-XXXX      add the steps to this running cluster (default: create
                           a new cluster that terminates after the steps)
  --submit-only            stop once the steps are accepted; prints the cluster
                           and step ids and the output location on stdout
  --release-label LABEL    new cluster: EMR release (default emr-7.10.0)
  --instance-type TYPE     new cluster: instance type (default m5.xlarge)
  --instance-count N       new cluster: instances incl. the primary (default 3)
  --log-uri s3://…         new cluster: log location (default S3/logs)
  --emr-role NAME          new cluster: service role (default EMR_DefaultRole)
  --ec2-profile NAME       new cluster: instance profile (default EMR_EC2_DefaultRole)
  --ec2-subnet subnet-…    new cluster: subnet (default: the default VPC's)
  --emr-poll-seconds N     how often to check the steps (default 30)
  --emr-log-wait-seconds N new cluster: how long to wait for the step logs
                           that hold the job counters (default 600)
  With --runner emr, --reducers sets the reduce tasks of each phase on the
  cluster: give about the number of vCPUs of the core nodes.
USAGE
}

# emr_parse_option ARGS...: consumes one of our options; returns how many
# arguments it used (0 = not ours).
emr_parse_option() {
  local opt=$1
  case $opt in
    --submit-only) EMR_SUBMIT_ONLY=1; return 1 ;;
    --s3 | --cluster-id | --release-label | --instance-type | --instance-count | --log-uri | \
      --emr-role | --ec2-profile | --ec2-subnet | --emr-poll-seconds | --emr-log-wait-seconds) ;;
    *) return 0 ;;
  esac
  (($# >= 2)) || usage_error "$opt needs a value"
  case $opt in
    --s3) EMR_S3=${2%/} ;;
    --cluster-id) EMR_CLUSTER_ID=$2 ;;
    --release-label) EMR_RELEASE_LABEL=$2 ;;
    --instance-type) EMR_INSTANCE_TYPE=$2 ;;
    --instance-count) EMR_INSTANCE_COUNT=$2 ;;
    --log-uri) EMR_LOG_URI=$2 ;;
    --emr-role) EMR_SERVICE_ROLE=$2 ;;
    --ec2-profile) EMR_EC2_PROFILE=$2 ;;
    --ec2-subnet) EMR_SUBNET=$2 ;;
    --emr-poll-seconds) EMR_POLL_SECONDS=$2 ;;
    --emr-log-wait-seconds) EMR_LOG_WAIT_SECONDS=$2 ;;
  esac
  return 2
}

# emr_submit_only_input: true for `--runner emr --submit-only --input …`, a run
# that needs no database (it ends once the steps are accepted).
emr_submit_only_input() {
  [[ $RUNNER == emr && $EMR_SUBMIT_ONLY == 1 && -n $INPUT ]]
}

emr_validate() {
  [[ -n $EMR_S3 ]] || usage_error "--runner emr needs --s3 s3://BUCKET/PREFIX"
  [[ $EMR_S3 =~ ^s3://[a-z0-9][a-z0-9.-]+[a-z0-9](/[^][[:space:],#*?{}\\]*)?$ ]] ||
    usage_error "--s3 must look like s3://BUCKET/PREFIX (no spaces, ',', '#' or glob characters): $EMR_S3"
  [[ -z $EMR_CLUSTER_ID || $EMR_CLUSTER_ID =~ ^j-[A-Z0-9]+$ ]] || usage_error "--cluster-id must look like j-XXXXXXXX"
  [[ $EMR_INSTANCE_COUNT =~ ^[1-9][0-9]*$ ]] || usage_error "--instance-count must be a positive whole number"
  [[ $EMR_POLL_SECONDS =~ ^[0-9]+$ ]] || usage_error "--emr-poll-seconds must be a whole number"
  [[ $EMR_LOG_WAIT_SECONDS =~ ^[0-9]+$ ]] || usage_error "--emr-log-wait-seconds must be a whole number"
  [[ $EMR_RELEASE_LABEL =~ ^emr-[0-9]+\.[0-9]+\.[0-9]+$ ]] || usage_error "--release-label must look like emr-7.10.0"
  command -v aws >/dev/null 2>&1 || die "$EXIT_USAGE" "--runner emr needs the AWS CLI (pip install awscli, or AWS CLI v2)"
}

# emr_aws ARGS...: the AWS CLI, pointed at AWS_ENDPOINT_URL when it is set.
emr_aws() {
  if [[ -n ${AWS_ENDPOINT_URL:-} ]]; then
    aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
  else
    aws "$@"
  fi
}

# emr_try WHAT ARGS...: runs `aws ARGS`, dying with EXIT_UNEXPECTED and the CLI's
# message when it fails; stdout is the CLI's.
emr_try() {
  local what=$1 err rc=0
  shift
  err=$(mktemp "$WORK_DIR/aws-err.XXXXXX")
  emr_aws "$@" 2>"$err" || rc=$?
  if ((rc != 0)); then
    sed 's/^/  aws: /' "$err" >&2
    die "$EXIT_UNEXPECTED" "$what failed (aws exit $rc)"
  fi
  rm -f -- "$err"
}

# emr_layout RUN_URI: fills the EMR_LAYOUT map (run, bootstrap, input, phase1,
# output, dist/<bundle>) from src/job/emr-steps.ts.
emr_layout() {
  declare -gA EMR_LAYOUT=()
  local k v
  while IFS=$'\t' read -r k v; do
    EMR_LAYOUT[$k]=$v
  done < <(node "$DIST/job-plan.js" emr-layout --run-uri "$1")
  [[ -n ${EMR_LAYOUT[output]:-} ]] || die "$EXIT_UNEXPECTED" "job-plan.js emr-layout gave no layout for $1"
}

# emr_upload INPUT: uploads bundles, bootstrap action and views; sets
# EMR_PHASE1_INPUT to the phase-1 input URI.
emr_upload() {
  local input=$1 key f
  for key in "${!EMR_LAYOUT[@]}"; do
    [[ $key == dist/* ]] || continue
    emr_try "upload of $key" s3 cp --only-show-errors "$ROOT/$key" "${EMR_LAYOUT[$key]}" >&2
  done
  if [[ -z $EMR_CLUSTER_ID ]]; then
    emr_try "upload of the bootstrap action" s3 cp --only-show-errors \
      "$ROOT/emr/bootstrap-node.sh" "${EMR_LAYOUT[bootstrap]}" >&2
  fi
  if [[ $input == s3://* ]]; then
    log "emr: phase 1 reads $input in place"
    EMR_PHASE1_INPUT=${input%/}
    return 0
  fi
  local -a files
  mapfile -t files < <(input_files "$input")
  ((${#files[@]} > 0)) || die "$EXIT_USAGE" "no input files in $input"
  for f in "${files[@]}"; do
    log "emr: uploading $(basename -- "$f") ($(du -h -- "$f" | cut -f1))"
    emr_try "upload of $f" s3 cp --only-show-errors "$f" "${EMR_LAYOUT[input]}/$(basename -- "$f")" >&2
  done
  EMR_PHASE1_INPUT=${EMR_LAYOUT[input]}
}

# emr_s3_exists s3://BUCKET/KEY: true when that exact object exists.
emr_s3_exists() {
  local rest=${1#s3://}
  emr_aws s3api head-object --bucket "${rest%%/*}" --key "${rest#*/}" >/dev/null 2>&1
}

# emr_check_objects STEPS_JSON: every object the steps ship with -files must exist.
emr_check_objects() {
  local uri n=0
  while IFS= read -r uri; do
    emr_s3_exists "$uri" || die "$EXIT_UNEXPECTED" "missing on S3 after upload: $uri"
    n=$((n + 1))
  done < <(node -e '
    const steps = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const seen = new Set();
    for (const s of steps) s.Args.forEach((a, i) => {
      if (a === "-files") for (const u of s.Args[i + 1].split(",")) if (!seen.has(u)) { seen.add(u); console.log(u); }
    });' "$1")
  ((n > 0)) || die "$EXIT_UNEXPECTED" "the steps in $1 ship no files (job-plan.js emr-steps output?)"
}

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
  ((${#EMR_STEP_IDS[@]} == 2)) || die "$EXIT_UNEXPECTED" "expected 2 step ids from EMR, got: ${EMR_STEP_IDS[*]:-none}"
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

# emr_wait: follows the steps until both completed; dies (exit 20) when one
# fails or is cancelled, or when the cluster ends before they complete.
emr_wait() {
  local -a last=('' '')
  local i state cluster_state reason t0 beat out
  t0=$(now)
  beat=$(date +%s)
  log "emr: waiting for the steps (every ${EMR_POLL_SECONDS}s)"
  while true; do
    local all_done=1
    for i in 0 1; do
      state=$(emr_try "aws emr describe-step" emr describe-step --cluster-id "$EMR_CLUSTER" \
        --step-id "${EMR_STEP_IDS[$i]}" --query 'Step.Status.State' --output text)
      if [[ $state != "${last[$i]}" ]]; then
        log "emr: phase $((i + 1)) (${EMR_STEP_IDS[$i]}): $state after $(elapsed "$t0") s"
        last[i]=$state
        if [[ $state == COMPLETED ]]; then emr_record_step_time $((i + 1)) "${EMR_STEP_IDS[$i]}"; fi
      fi
      case $state in
        COMPLETED) ;;
        FAILED | CANCELLED | CANCEL_PENDING | INTERRUPTED) emr_step_failed $((i + 1)) "${EMR_STEP_IDS[$i]}" "$state" ;;
        *) all_done=0 ;;
      esac
    done
    ((all_done == 0)) || return 0
    out=$(emr_try "aws emr describe-cluster" emr describe-cluster \
      --cluster-id "$EMR_CLUSTER" --query 'Cluster.Status.[State,StateChangeReason.Message]' --output text)
    IFS=$'\t' read -r cluster_state reason <<<"$out"
    case $cluster_state in
      TERMINATING | TERMINATED | TERMINATED_WITH_ERRORS)
        die "$EXIT_PHASE" "cluster $EMR_CLUSTER is $cluster_state before the steps completed (phase 1 ${last[0]}, phase 2 ${last[1]}): ${reason:-no reason given}" ;;
    esac
    if (($(date +%s) - beat >= 300)); then
      log "emr: still waiting: phase 1 ${last[0]}, phase 2 ${last[1]}, cluster $cluster_state, $(elapsed "$t0") s"
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

# emr_counters: the job counters of both phases from the steps' logs on S3
# (the hadoop-streaming client's output), appended to counters.tsv. A new
# cluster uploads its step logs as it terminates: wait for them up to
# EMR_LOG_WAIT_SECONDS. A running cluster uploads them every few minutes: no wait.
emr_counters() {
  local log_uri=${EMR_LOG_URI:-$EMR_S3/logs} dir=$WORK_DIR/emr-logs deadline i waited=0
  if [[ -n $EMR_CLUSTER_ID ]]; then
    log "emr: counters are in the step logs of $EMR_CLUSTER (its log URI, steps/${EMR_STEP_IDS[0]} and steps/${EMR_STEP_IDS[1]})"
    return 0
  fi
  mkdir -p "$dir"
  deadline=$(($(date +%s) + EMR_LOG_WAIT_SECONDS))
  local -a pending=(0 1) still
  while true; do
    still=()
    for i in "${pending[@]}"; do
      emr_step_counters "$i" "$log_uri" "$dir" || still+=("$i")
    done
    ((${#still[@]} > 0)) || return 0
    pending=("${still[@]}")
    if (($(date +%s) >= deadline)); then
      local phases=''
      for i in "${pending[@]}"; do phases+=" $((i + 1))"; done
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

# emr_step_counters INDEX LOG_URI DIR: appends the counters of step INDEX (0, 1)
# when its log holds them; fails otherwise. command-runner puts the client's
# output in the step's stderr (syslog on some releases).
emr_step_counters() {
  local i=$1 log_uri=$2 dir=$3 name f found
  for name in stderr syslog; do
    f=$dir/phase$((i + 1))-$name.gz
    emr_aws s3 cp --only-show-errors "${log_uri%/}/$EMR_CLUSTER/steps/${EMR_STEP_IDS[$i]}/$name.gz" "$f" >/dev/null 2>&1 || continue
    found=$(gzip -dc -- "$f" | emr_parse_counters $((i + 1))) || found=''
    if [[ -n $found ]]; then
      printf '%s\n' "$found" >>"$WORK_DIR/counters.tsv"
      return 0
    fi
  done
  return 1
}

# emr_parse_counters PHASE: Hadoop's counter dump (stdin) -> phase<TAB>name<TAB>value
# for the viewed_products group.
emr_parse_counters() {
  awk -v phase="$1" '
    /^\t+[^\t=]+$/ { group = $0; gsub(/^\t+/, "", group); next }
    group == "viewed_products" && /^\t+[A-Za-z_]+=[0-9]+$/ {
      line = $0; gsub(/^\t+/, "", line); split(line, kv, "=")
      printf "%s\t%s\t%s\n", phase, kv[1], kv[2]
    }
  '
}

# emr_download: the part files of the output, merged into WORK_DIR/viewed_products.tsv.
emr_download() {
  local dir=$WORK_DIR/emr-output t0
  t0=$(now)
  emr_s3_exists "${EMR_LAYOUT[output]}/_SUCCESS" ||
    die "$EXIT_PHASE" "the steps completed but ${EMR_LAYOUT[output]}/_SUCCESS is missing"
  mkdir -p "$dir"
  emr_try "download of ${EMR_LAYOUT[output]}" s3 cp --only-show-errors --recursive \
    --exclude '*' --include 'part-*' "${EMR_LAYOUT[output]}/" "$dir/" >&2
  local -a parts=("$dir"/part-*)
  [[ -e ${parts[0]} ]] || die "$EXIT_PHASE" "no part files in ${EMR_LAYOUT[output]}"
  if ! stage "merge" env LC_ALL=C sort -T "$WORK_DIR" -o "$WORK_DIR/viewed_products.tsv" -- "${parts[@]}"; then
    fail_stage "merge"
  fi
  rm -rf -- "$dir"
  record_timing "download+merge" "$(elapsed "$t0")"
  log "emr: result: $(wc -l <"$WORK_DIR/viewed_products.tsv") rows from ${#parts[@]} part file(s)"
}

# runner_emr INPUT WORKDIR: leaves WORKDIR/viewed_products.tsv (see the top of this file).
runner_emr() {
  local input=$1
  emr_validate
  local run_id
  run_id=$(date -u +%Y%m%dT%H%M%SZ)-$$-$RANDOM
  emr_layout "$EMR_S3/runs/$run_id"
  log "emr: run ${EMR_LAYOUT[run]}"

  local steps=$WORK_DIR/emr-steps.json cluster=new
  emr_upload "$input"
  [[ -z $EMR_CLUSTER_ID ]] || cluster=existing
  local -a plan=(--run-uri "${EMR_LAYOUT[run]}" --input "$EMR_PHASE1_INPUT" --cluster "$cluster"
    --reducers "$REDUCERS" --max-path-products "$MAX_PATH_PRODUCTS")
  ((COMBINE == 1)) || plan+=(--no-combine)
  node "$DIST/job-plan.js" emr-steps "${plan[@]}" >"$steps" || die "$EXIT_UNEXPECTED" "job-plan.js emr-steps failed"
  emr_check_objects "$steps"

  emr_submit "$steps"
  log "emr: cluster $EMR_CLUSTER, steps ${EMR_STEP_IDS[*]} accepted (stopping this run does not stop them:" \
    "aws emr cancel-steps --cluster-id $EMR_CLUSTER --step-ids ..., or terminate-clusters for a new cluster)"
  if ((EMR_SUBMIT_ONLY == 1)); then
    printf 'cluster\t%s\nstep\t1\t%s\nstep\t2\t%s\noutput\t%s/\n' \
      "$EMR_CLUSTER" "${EMR_STEP_IDS[0]}" "${EMR_STEP_IDS[1]}" "${EMR_LAYOUT[output]}"
    exit "$EXIT_OK"
  fi
  emr_wait
  emr_download
  emr_counters
}

# adapter (until helper E's conversion): the layer contract's names over the old functions.
# (eval: the old parser keeps its body under a new name, and the contract's takes its name)
eval "emr_parse_option_old() $(declare -f emr_parse_option | tail -n +2)"
eval 'emr_parse_option() { OPT_USED=0; emr_parse_option_old "$@" || OPT_USED=$?; }'
emr_needs_result() {
  ((EMR_SUBMIT_ONLY == 0))
}
emr_run() {
  local REDUCERS='' MAX_PATH_PRODUCTS='' COMBINE=1 i
  for ((i = 0; i < ${#JOB_ARGS[@]}; i++)); do
    case ${JOB_ARGS[i]} in
      --reducers) REDUCERS=${JOB_ARGS[++i]} ;;
      --max-path-products) MAX_PATH_PRODUCTS=${JOB_ARGS[++i]} ;;
      --no-combine) COMBINE=0 ;;
    esac
  done
  [[ -n $MAX_PATH_PRODUCTS ]] || MAX_PATH_PRODUCTS=$(plan_default max-path-products)
  runner_emr "$@"
  # shellcheck disable=SC2034 # read by run-job.sh
  RESULT_FILE=$2/viewed_products.tsv
}
