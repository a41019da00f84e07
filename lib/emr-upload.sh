# shellcheck shell=bash
# The EMR runner's uploads (sourced by lib/emr.sh): what the steps read, in one
# `aws s3 cp --recursive`, and the check that every shipped object is there.

# emr_s3_exists s3://BUCKET/KEY: true when that exact object exists.
emr_s3_exists() {
  local rest=${1#s3://}
  emr_aws s3api head-object --bucket "${rest%%/*}" --key "${rest#*/}" >/dev/null 2>&1
}

# emr_stage STAGE FILE URI: links FILE into STAGE at URI's path under the run's
# prefix; false (nothing staged) when URI is elsewhere or FILE is no regular file.
emr_stage() {
  local rel=${3#"${EMR_LAYOUT[run]}/"}
  [[ $rel != "$3" && -f $2 ]] || return 1
  mkdir -p -- "$1/$(dirname -- "$rel")"
  ln -s -- "$(realpath -- "$2")" "$1/$rel"
}

# emr_upload INPUT: uploads bundles, bootstrap action and views in one `aws s3 cp
# --recursive` of a folder laid out as the run's prefix (one CLI start, not one
# per object); sets EMR_VIEWS_INPUT to the views' URI (the views phase's input).
# shellcheck disable=SC2034 # EMR_VIEWS_INPUT is read by emr_run (lib/emr.sh)
emr_upload() {
  local input=$1 stage=$WORK_DIR/emr-upload key f uri
  local -a files=() uris=()
  for key in "${!EMR_LAYOUT[@]}"; do
    [[ $key == dist/* ]] || continue
    files+=("$ROOT/$key") uris+=("${EMR_LAYOUT[$key]}")
  done
  [[ -n $EMR_CLUSTER_ID ]] || files+=("$ROOT/emr/bootstrap-node.sh") uris+=("${EMR_LAYOUT[bootstrap]}")
  if [[ $input == s3://* ]]; then
    log "emr: phase $(plan_word '' views-phase) reads $input in place"
    EMR_VIEWS_INPUT=${input%/}
  else
    local -a views
    read_inputs views "$input"
    for f in "${views[@]}"; do
      log "emr: uploading $(basename -- "$f") ($(du -h -- "$f" | cut -f1))"
      files+=("$f") uris+=("${EMR_LAYOUT[input]}/$(basename -- "$f")")
    done
    EMR_VIEWS_INPUT=${EMR_LAYOUT[input]}
  fi
  mkdir -p -- "$stage"
  for key in "${!files[@]}"; do
    f=${files[key]} uri=${uris[key]}
    emr_stage "$stage" "$f" "$uri" || emr_try "upload of $f" s3 cp --only-show-errors "$f" "$uri" >&2
  done
  emr_try "upload to ${EMR_LAYOUT[run]}" s3 cp --recursive --only-show-errors "$stage" "${EMR_LAYOUT[run]}/" >&2
  rm -rf -- "$stage"
}

# emr_check_objects: every object the steps ship with -files must exist (one
# listing of the run's prefix; head-object for an object elsewhere).
emr_check_objects() {
  local uri run=${EMR_LAYOUT[run]#s3://} keys
  ((${#EMR_SHIPPED[@]} > 0)) || die "$EXIT_UNEXPECTED" "the steps ship no files (job-plan.js emr-layout output?)"
  keys=$(emr_try "listing of ${EMR_LAYOUT[run]}" s3api list-objects-v2 --bucket "${run%%/*}" \
    --prefix "${run#*/}/" --query 'Contents[].Key' --output text)
  keys=$'\t'${keys//$'\n'/$'\t'}$'\t'
  for uri in "${EMR_SHIPPED[@]}"; do
    [[ $uri == "${EMR_LAYOUT[run]}/"* && $keys == *$'\t'"${run#*/}/${uri#"${EMR_LAYOUT[run]}/"}"$'\t'* ]] ||
      emr_s3_exists "$uri" || die "$EXIT_UNEXPECTED" "missing on S3 after upload: $uri"
  done
}
