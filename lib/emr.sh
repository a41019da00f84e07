# shellcheck shell=bash
# The EMR runner: the plan's phases (lib/plan.sh) as Amazon EMR steps
# (hadoop-streaming through command-runner.jar), on an existing cluster or on a
# new auto-terminating one.
# Sourced by run-job.sh; uses the AWS CLI (v1 or v2) and honours
# AWS_ENDPOINT_URL (passed on as --endpoint-url), so it can talk to an emulator.
#
#   emr_run INPUT WORKDIR
#     uploads the dist/ bundles, the bootstrap action and INPUT (a views file or
#     a directory of them; an s3:// URI is used in place) under a new run prefix
#     S3/runs/RUN_ID/, submits the steps rendered by `job-plan.js emr-steps`
#     (src/job/emr-steps.ts), follows them, and on success downloads the part
#     files and merges them into WORKDIR/viewed_products.tsv (lib/emr-follow.sh).
#     With --submit-only it prints the submission on stdout instead, no result.

# shellcheck source=lib/emr-follow.sh
source "${BASH_SOURCE[0]%/*}/emr-follow.sh"
# shellcheck source=lib/emr-upload.sh
source "${BASH_SOURCE[0]%/*}/emr-upload.sh"

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
# The phases, one step each, in the order they run (the plan's, set per run).
EMR_PHASES=()
EMR_FOLLOWING=0 # 1 while the run waits for its steps: an interrupted run cancels them

# emr_usage PART: its own section (no Job option lines).
emr_usage() {
  [[ $1 == section ]] || return 0
  cat <<'USAGE'

Amazon EMR (--runner emr; needs the AWS CLI and credentials; see docs/emr.md):
  --s3 s3://BUCKET/PREFIX  where the run's files go (required); each run uses
                           PREFIX/runs/RUN_ID/ (dist, input, the phases' outputs)
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

# emr_parse_option ARGS...: --submit-only, or one of the options with a value.
# shellcheck disable=SC2034 # OPT_USED is read by lib/contract.sh
emr_parse_option() {
  case $1 in
    --submit-only) EMR_SUBMIT_ONLY=1; OPT_USED=1 ;;
    --s3) need_value "$1" $#; EMR_S3=${2%/}; OPT_USED=2 ;;
    --cluster-id) need_value "$1" $#; EMR_CLUSTER_ID=$2; OPT_USED=2 ;;
    --release-label) need_value "$1" $#; EMR_RELEASE_LABEL=$2; OPT_USED=2 ;;
    --instance-type) need_value "$1" $#; EMR_INSTANCE_TYPE=$2; OPT_USED=2 ;;
    --instance-count) need_value "$1" $#; EMR_INSTANCE_COUNT=$2; OPT_USED=2 ;;
    --log-uri) need_value "$1" $#; EMR_LOG_URI=$2; OPT_USED=2 ;;
    --emr-role) need_value "$1" $#; EMR_SERVICE_ROLE=$2; OPT_USED=2 ;;
    --ec2-profile) need_value "$1" $#; EMR_EC2_PROFILE=$2; OPT_USED=2 ;;
    --ec2-subnet) need_value "$1" $#; EMR_SUBNET=$2; OPT_USED=2 ;;
    --emr-poll-seconds) need_value "$1" $#; EMR_POLL_SECONDS=$2; OPT_USED=2 ;;
    --emr-log-wait-seconds) need_value "$1" $#; EMR_LOG_WAIT_SECONDS=$2; OPT_USED=2 ;;
    *) OPT_USED=0 ;;
  esac
}

# emr_check_options: --submit-only only for this runner (elsewhere it would run
# the whole job and write or import the result).
emr_check_options() {
  ((EMR_SUBMIT_ONLY == 0)) || [[ $RUNNER == emr ]] || die "$EXIT_USAGE" "--submit-only needs --runner emr"
}

# emr_cleanup: a run interrupted while it follows its steps cancels those not
# yet done (pending, and running ones' processes); --submit-only's steps outlive the run by design.
emr_cleanup() {
  ((EMR_FOLLOWING == 1)) || return 0
  EMR_FOLLOWING=0
  local out
  if out=$(emr_aws emr cancel-steps --cluster-id "$EMR_CLUSTER" --step-ids "${EMR_STEP_IDS[@]}" \
    --step-cancellation-option TERMINATE_PROCESS --output text 2>&1); then
    log "emr: cancelled the run's steps ${EMR_STEP_IDS[*]} on $EMR_CLUSTER (aws emr cancel-steps: ${out//$'\n'/; })"
  else
    log "WARNING: could not cancel the steps ${EMR_STEP_IDS[*]} on $EMR_CLUSTER: ${out//$'\n'/; }"
  fi
}

# emr_tasks_where: where the tasks ran, for the summary's memory line (lib/counters.sh).
emr_tasks_where() {
  echo "in the EMR cluster's YARN containers"
}

# emr_needs_result: false for --submit-only, which ends once the steps are accepted.
emr_needs_result() {
  ((EMR_SUBMIT_ONLY == 0))
}

emr_validate() {
  ((EMR_SUBMIT_ONLY == 0)) || [[ -z $OUTPUT ]] ||
    die "$EXIT_USAGE" "--submit-only leaves the result on S3 (its location is printed): give --submit-only or --output, not both"
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
  err=$(mktemp "${LOG_DIR:-$WORK_DIR}/aws-err.XXXXXX")
  emr_aws "$@" 2>"$err" || rc=$?
  if ((rc != 0)); then
    sed 's/^/  aws: /' "$err" >&2
    die "$EXIT_UNEXPECTED" "$what failed (aws exit $rc)"
  fi
  rm -f -- "$err"
}

# emr_layout RUN_URI: fills the EMR_LAYOUT map (run, bootstrap, input, each
# phase's output folder by its name, output: the result's, dist/<bundle>) and the
# EMR_SHIPPED list (what the steps ship with -files) from src/job/emr-steps.ts.
emr_layout() {
  declare -gA EMR_LAYOUT=()
  EMR_SHIPPED=()
  local k v
  while IFS=$'\t' read -r k v; do
    if [[ $k == file ]]; then EMR_SHIPPED+=("$v"); else EMR_LAYOUT[$k]=$v; fi
  done < <(node "$DIST/job-plan.js" emr-layout --run-uri "$1" "${JOB_ARGS[@]}")
  [[ -n ${EMR_LAYOUT[output]:-} ]] || die "$EXIT_UNEXPECTED" "job-plan.js emr-layout gave no layout for $1"
}

# emr_run INPUT WORKDIR: sets RESULT_FILE (see the top of this file); WORKDIR is
# run-job.sh's WORK_DIR, where every helper of the run writes.
# shellcheck disable=SC2034 # RESULT_FILE is read by run-job.sh
emr_run() {
  local input=$1 run_id
  RESULT_FILE=''
  run_id=$(date -u +%Y%m%dT%H%M%SZ)-$$-$RANDOM
  emr_layout "$EMR_S3/runs/$run_id"
  plan_phases EMR_PHASES
  ((${#EMR_PHASES[@]} > 0)) || die "$EXIT_UNEXPECTED" "the plan has no phases"
  log "emr: run ${EMR_LAYOUT[run]}"

  local steps=$WORK_DIR/emr-steps.json cluster=new
  emr_upload "$input"
  [[ -z $EMR_CLUSTER_ID ]] || cluster=existing
  node "$DIST/job-plan.js" emr-steps --run-uri "${EMR_LAYOUT[run]}" --input "$EMR_VIEWS_INPUT" \
    --cluster "$cluster" "${JOB_ARGS[@]}" >"$steps" || die "$EXIT_UNEXPECTED" "job-plan.js emr-steps failed"
  emr_check_objects

  emr_submit "$steps"
  if ! emr_needs_result; then
    log "emr: cluster $EMR_CLUSTER, steps ${EMR_STEP_IDS[*]} accepted (to stop them:" \
      "aws emr cancel-steps --cluster-id $EMR_CLUSTER --step-ids ..., or terminate-clusters for a new cluster)"
    local i
    printf 'cluster\t%s\n' "$EMR_CLUSTER"
    for i in "${!EMR_PHASES[@]}"; do printf 'step\t%s\t%s\n' "${EMR_PHASES[i]}" "${EMR_STEP_IDS[i]}"; done
    printf 'output\t%s/\n' "${EMR_LAYOUT[output]}"
    return 0
  fi
  log "emr: cluster $EMR_CLUSTER, steps ${EMR_STEP_IDS[*]} accepted (stopping this run cancels them)"
  EMR_FOLLOWING=1
  emr_wait
  EMR_FOLLOWING=0
  emr_download
  emr_counters
  RESULT_FILE=$WORK_DIR/viewed_products.tsv
}
