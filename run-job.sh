#!/usr/bin/env bash
# People who viewed this product also viewed: the whole job.
#   export views from MySQL -> phase 1 (pairs per path) -> phase 2 (sum) -> import.
# Runners: local (real processes, Hadoop's partitioning and sorting), hadoop
# (Hadoop Streaming), emr (Amazon EMR steps). See README.md and --help.
set -Eeuo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
DIST=$ROOT/dist
readonly ROOT DIST

# shellcheck source=lib/common.sh
source "$ROOT/lib/common.sh"
# shellcheck source=lib/local.sh
source "$ROOT/lib/local.sh"
# shellcheck source=lib/db.sh
source "$ROOT/lib/db.sh"
# shellcheck source=lib/hadoop.sh
source "$ROOT/lib/hadoop.sh"
# shellcheck source=lib/emr.sh
source "$ROOT/lib/emr.sh"
# shellcheck source=lib/usage.sh
source "$ROOT/lib/usage.sh"
# shellcheck source=lib/build.sh
source "$ROOT/lib/build.sh"
# shellcheck source=lib/demo.sh
source "$ROOT/lib/demo.sh"

# The layers (lib/LAYER.sh; runners define LAYER_run), in help order: docs/runners.md.
readonly LAYERS=(local db hadoop emr)
contract_runners RUNNERS "${LAYERS[@]}"
readonly RUNNERS

usage() {
  cat <<'USAGE'
Usage: ./run-job.sh [options]

Runs "people who viewed this product also viewed": views in, one row per
ordered product pair out (source_product_id, target_product_id, count), where
count is the number of distinct paths (sessions) in which both were viewed.

Input and output:
  --input FILE|DIR         views file(s) as `mysql --batch` prints them
                           (path_id<TAB>product_id); skips the MySQL export
  --output DIR             write DIR/viewed_products.tsv; skips the MySQL import
  --demo                   generate sample views, run the job locally, and print
                           "people who viewed X also viewed" for a few products
Job:
USAGE
  printf '  --runner %s  where the two phases run (default local)\n' "$(IFS='|'; printf '%s' "${RUNNERS[*]}")"
  cat <<'USAGE'
  --reducers N             reducers per phase (default: local runner, one per
                           --bytes-per-reducer of the phase's input, at most
                           the number of cores; hadoop and emr, the cores)
USAGE
  contract_usage job "${LAYERS[@]}"
  # The default is the job definition's (test/job-plan.test.ts checks this text against it).
  cat <<'USAGE'
  --max-path-products N    skip paths with more distinct products (default 1000, 0 = no cap)
  --no-combine             phase 1 emits raw weight-1 pairs (no in-reducer combining)
  --score count|cosine|jaccard|llr|proximity  what ranks a list (default count; any
                           other adds the score as a 4th column: docs/scores.md;
                           proximity needs the views' order, a 3rd column)
  --top N                  keep each product's N best targets (default 0 = all)
  --min-count N            drop pairs viewed together in fewer than N paths (default 1)
  --window DAYS            only paths whose first view lies within DAYS of the newest
                           view, by the views' order (3rd column, Unix seconds)
  --node CMD               the command that runs the bundles in the tasks (default
                           node, from the PATH the tasks get; no spaces)
  --work-dir DIR           scratch directory (default: a new temporary one);
                           kept after a success, its scratch files removed
                           after a failure (logs kept in DIR/logs)
  --keep-work              keep the scratch directory, even after a failure
  --log FILE               append the log (stderr) to FILE
  -h, --help               this help
USAGE
  contract_usage section "${LAYERS[@]}"
  usage_epilog
}

# The run's own settings (layers may read RUNNER INPUT OUTPUT KEEP_WORK REDUCERS JOB_ARGS).
INPUT=''
OUTPUT=''
DEMO=0
RUNNER=local
REDUCERS=''          # '' = the runner sizes the phases (local) or one per core
MAX_PATH_PRODUCTS='' # '' = the job definition's default
COMBINE=1
NODE_CMD=''          # '' = the job definition's default (node)
SCORE=''     # '' = the job definition's defaults (count, all, 1)
TOP=''
MIN_COUNT=''
JOB_ARGS=()
WORK_ARG=''
KEEP_WORK=0
LOG_FILE=${VP_LOG:-}  # env: VP_LOG (the DB layer documents VP_* settings)
OPT_USED=0
RESULT_FILE=''

# run_parse_option ARGS...: the run's own options, by a layer's rules (sets OPT_USED).
run_parse_option() {
  case $1 in
    --input) need_value "$1" $#; INPUT=$2; OPT_USED=2 ;;
    --output) need_value "$1" $#; OUTPUT=$2; OPT_USED=2 ;;
    --demo) DEMO=1; OPT_USED=1 ;;
    --runner) need_value "$1" $#; RUNNER=$2; OPT_USED=2 ;;
    --reducers) need_value "$1" $#; REDUCERS=$2; OPT_USED=2 ;;
    --max-path-products) need_value "$1" $#; MAX_PATH_PRODUCTS=$2; OPT_USED=2 ;;
    --no-combine) COMBINE=0; OPT_USED=1 ;;
    --node) need_value "$1" $#; NODE_CMD=$2; OPT_USED=2 ;;
    --score) need_value "$1" $#; SCORE=$2; OPT_USED=2 ;;
    --top) need_value "$1" $#; TOP=$2; OPT_USED=2 ;;
    --min-count) need_value "$1" $#; MIN_COUNT=$2; OPT_USED=2 ;;
    --window) need_value "$1" $#; WINDOW_DAYS=$2; OPT_USED=2 ;;
    --work-dir) need_value "$1" $#; WORK_ARG=$2; OPT_USED=2 ;;
    --keep-work) KEEP_WORK=1; OPT_USED=1 ;;
    --log) need_value "$1" $#; LOG_FILE=$2; OPT_USED=2 ;;
    -h | --help) usage; exit 0 ;;
    --check-contract) contract_report "${LAYERS[@]}"; exit 0 ;; # not in the help: for the tests
    *) OPT_USED=0 ;;
  esac
}

# parse_args ARGS...: offers each option to the run, then to each layer; one none takes is a usage error.
parse_args() {
  local layer
  while (($# > 0)); do
    contract_parse_option run_parse_option "$@"
    for layer in "${LAYERS[@]}"; do
      ((OPT_USED == 0)) || break
      contract_parse_option "${layer}_parse_option" "$@"
    done
    ((OPT_USED > 0)) || usage_error "unknown option: $1"
    shift "$OPT_USED"
  done
}

# needs_database: true when the run exports the views or imports a result.
needs_database() {
  ((DEMO == 0)) || return 1
  [[ -z $INPUT ]] || { "${RUNNER}_needs_result" && [[ -z $OUTPUT ]]; }
}

# validate_args: the checks that need no build; job-plan.js checks the job options
# (JOB_ARGS) when main loads the plan, right after the build (lib/plan.sh).
validate_args() {
  contract_has "$RUNNER" "${RUNNERS[@]}" || usage_error "--runner must be $(contract_choices "${RUNNERS[@]}")"
  JOB_ARGS=(--reducers "${REDUCERS:-$(cores)}")
  [[ -z $MAX_PATH_PRODUCTS ]] || JOB_ARGS+=(--max-path-products "$MAX_PATH_PRODUCTS")
  ((COMBINE == 1)) || JOB_ARGS+=(--no-combine)
  [[ -z $NODE_CMD ]] || JOB_ARGS+=(--node "$NODE_CMD")
  [[ -z $SCORE ]] || JOB_ARGS+=(--score "$SCORE")
  [[ -z $TOP ]] || JOB_ARGS+=(--top "$TOP")
  [[ -z $MIN_COUNT ]] || JOB_ARGS+=(--min-count "$MIN_COUNT")
  ! db_export_only || [[ -z $INPUT && -z $OUTPUT && $DEMO == 0 ]] || usage_error "--export-views only exports: not with --input, --output or --demo"
  contract_check_options "${LAYERS[@]}"
  check_run
  window_check
  "${RUNNER}_validate"
  if needs_database; then
    db_configured || usage_error "give --input and --output, or a database (see --help)"
    db_validate
  fi
}

cleanup() {
  local rc=$?
  stop_children
  contract_cleanup "${LAYERS[@]}"
  work_cleanup "$rc"
  return "$rc"
}

# write_output DIR: puts the result at DIR/viewed_products.tsv atomically: moved to
# a temporary name in DIR first (a copy when DIR is on another file system), then
# renamed, so a reader (serve.js --result) sees the old file or the new one, never part.
write_output() {
  local tmp
  mkdir -p -- "$1"
  tmp=$(mktemp -- "$1/.viewed_products.tsv.XXXXXX")
  if ! mv -f -- "$RESULT_FILE" "$tmp" || ! mv -f -T -- "$tmp" "$1/viewed_products.tsv"; then
    rm -f -- "$tmp"
    die "$EXIT_UNEXPECTED" "cannot write $1/viewed_products.tsv"
  fi
  log "wrote $1/viewed_products.tsv"
}

main() {
  contract_require "${LAYERS[@]}"
  parse_args "$@"
  readonly RUNNER INPUT OUTPUT KEEP_WORK
  if [[ -n $LOG_FILE ]]; then
    check_log_file "$LOG_FILE"
    exec 2>>"$LOG_FILE"
  fi
  validate_args
  readonly REDUCERS JOB_ARGS
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # --export-views: the export is the whole run (no lock, no build, no job).
  if db_export_only; then
    make_work_dir "$WORK_ARG"
    db_export_views
    return 0
  fi
  # The lock (database runs) comes first, so two scheduled runs never both rebuild dist/.
  if needs_database; then db_before_run; fi
  ensure_built
  # The job's Node processes never open a TLS connection, and with this set
  # Node 20 parses the whole CA bundle at every start.
  unset NODE_EXTRA_CA_CERTS
  # A bad job option is a usage error here, before any export or phase.
  plan_load "${JOB_ARGS[@]}"
  make_work_dir "$WORK_ARG"
  if ((DEMO == 1)); then
    run_demo
    return 0
  fi
  local input=$INPUT label=$INPUT
  if [[ -z $input ]]; then
    input=$WORK_DIR/views.tsv
    label="the export of $(db_views_label)"
    INPUT_LABELS[$input]=$label
    db_job_export "$input" "$WINDOW_DAYS"
  fi
  window_apply input
  local t0
  t0=$(now)
  "${RUNNER}_run" "$input" "$WORK_DIR"
  # A run that ends without a result by design (it said why on stdout).
  [[ -n $RESULT_FILE ]] || return 0
  log "job done in $(elapsed "$t0") s"
  print_summary
  check_views "$input" "$label"
  if [[ -n $OUTPUT ]]; then
    write_output "$OUTPUT"
  else
    db_import "$RESULT_FILE" "$TOP"
  fi
}

main "$@"
