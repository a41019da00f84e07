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
for layer in hadoop emr db; do
  # shellcheck source=/dev/null
  if [[ -f $ROOT/lib/$layer.sh ]]; then source "$ROOT/lib/$layer.sh"; fi
done
unset layer

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
  --runner local|hadoop|emr  where the two phases run (default local)
  --reducers N             reducers per phase (default: local runner, one per
                           --bytes-per-reducer of the phase's input, at most
                           the number of cores; hadoop and emr, the cores)
  --bytes-per-reducer N    local runner's input bytes per reducer when
                           --reducers is not given (default 33554432, 32 MiB)
  --max-path-products N    skip paths with more distinct products (default 1000, 0 = no cap)
  --no-combine             phase 1 emits raw weight-1 pairs (no in-reducer combining)
  --work-dir DIR           scratch directory (default: a new temporary one)
  --keep-work              keep the scratch directory
  --log FILE               append the log (stderr) to FILE
  -h, --help               this help
USAGE
  if declare -F db_usage >/dev/null; then db_usage; fi
  if declare -F hadoop_usage >/dev/null; then hadoop_usage; fi
  if declare -F emr_usage >/dev/null; then emr_usage; fi
  cat <<'USAGE'

Exit codes: 0 ok, 2 usage, 10 export failed, 20 a phase failed, 30 import
failed, 40 shrink guard refused the import, 50 another run holds the lock,
1 anything else.
USAGE
}

INPUT=''
OUTPUT=''
DEMO=0
RUNNER=local
REDUCERS=''
REDUCERS_AUTO=0
BYTES_PER_REDUCER=$((32 << 20))
CORES=2
MAX_PATH_PRODUCTS=1000
COMBINE=1
WORK_ARG=''
KEEP_WORK=0
LOG_FILE=${VP_LOG:-}  # env: VP_LOG (the DB layer documents VP_* settings)

# need_value OPTION ARGC: fails unless the option has a value after it.
need_value() {
  (($2 >= 2)) || usage_error "$1 needs a value"
}

parse_args() {
  while (($# > 0)); do
    case $1 in
      --input) need_value "$1" $#; INPUT=$2; shift ;;
      --output) need_value "$1" $#; OUTPUT=$2; shift ;;
      --demo) DEMO=1 ;;
      --runner) need_value "$1" $#; RUNNER=$2; shift ;;
      --reducers) need_value "$1" $#; REDUCERS=$2; shift ;;
      --bytes-per-reducer) need_value "$1" $#; BYTES_PER_REDUCER=$2; shift ;;
      --max-path-products) need_value "$1" $#; MAX_PATH_PRODUCTS=$2; shift ;;
      --no-combine) COMBINE=0 ;;
      --work-dir) need_value "$1" $#; WORK_ARG=$2; shift ;;
      --keep-work) KEEP_WORK=1 ;;
      --log) need_value "$1" $#; LOG_FILE=$2; shift ;;
      -h | --help) usage; exit 0 ;;
      *)
        db_parse_option "$@"
        ((OPT_USED > 0)) || emr_parse_option "$@"
        ((OPT_USED > 0)) || usage_error "unknown option: $1"
        shift $((OPT_USED - 1))
        ;;
    esac
    shift
  done
}

validate_args() {
  CORES=$(nproc 2>/dev/null || echo 2)
  if [[ $REDUCERS == '' ]]; then
    REDUCERS=$CORES
    REDUCERS_AUTO=1
  fi
  [[ $REDUCERS =~ ^[1-9][0-9]*$ ]] || usage_error "--reducers must be a positive whole number"
  [[ $BYTES_PER_REDUCER =~ ^[1-9][0-9]*$ ]] || usage_error "--bytes-per-reducer must be a positive whole number"
  [[ $MAX_PATH_PRODUCTS =~ ^[0-9]+$ ]] || usage_error "--max-path-products must be a whole number"
  case $RUNNER in
    local | hadoop | emr) ;;
    *) usage_error "--runner must be local, hadoop or emr" ;;
  esac
  declare -F "runner_$RUNNER" >/dev/null || usage_error "runner $RUNNER is not available (lib/$RUNNER.sh missing)"
  if [[ $RUNNER == emr ]]; then emr_validate; fi
  if ((DEMO == 0)) && [[ -z $INPUT || -z $OUTPUT ]]; then
    # EMR --submit-only with --input stops before there is a result to write.
    if declare -F emr_submit_only_input >/dev/null && emr_submit_only_input; then return 0; fi
    if ! { declare -F db_configured >/dev/null && db_configured; }; then
      usage_error "give --input and --output, or a database (see --help)"
    fi
  fi
}

# ensure_built: installs the npm packages and bundles dist/ when missing or stale.
ensure_built() {
  local stale=0 f
  if [[ ! -x $DIST/pairs-reducer.js ]]; then
    stale=1
  elif [[ -f $ROOT/package.json ]]; then
    f=$(find "$ROOT/src" "$ROOT/mappers" "$ROOT/reducers" "$ROOT/tools" "$ROOT/build.mjs" \
      -newer "$DIST/pairs-reducer.js" -print -quit 2>/dev/null || true)
    [[ -z $f ]] || stale=1
  fi
  ((stale == 1)) || return 0
  command -v npm >/dev/null || die "$EXIT_UNEXPECTED" "dist/ needs building and npm is not installed"
  if [[ ! -d $ROOT/node_modules/esbuild ]]; then
    log "installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "$EXIT_UNEXPECTED" "npm ci failed"
  fi
  log "building dist/ (npm run build)"
  (cd "$ROOT" && npm run --silent build >&2) || die "$EXIT_UNEXPECTED" "build failed"
}

cleanup() {
  local rc=$?
  stop_children
  if declare -F db_cleanup >/dev/null; then db_cleanup || true; fi
  if [[ -n ${WORK_DIR:-} && -d $WORK_DIR ]]; then
    if ((KEEP_WORK == 1)) || [[ -n $WORK_ARG ]]; then
      log "work directory kept: $WORK_DIR"
    else
      rm -rf -- "$WORK_DIR"
    fi
  fi
  return "$rc"
}

# write_output DIR: puts the result where mysqlimport wants it (DIR/viewed_products.tsv).
write_output() {
  mkdir -p -- "$1"
  mv -f -- "$WORK_DIR/viewed_products.tsv" "$1/viewed_products.tsv"
  log "wrote $1/viewed_products.tsv"
}

run_demo() {
  local out=${OUTPUT:-$ROOT/out/demo}
  log "demo: generating sample views"
  node "$DIST/generate-views.js" --paths 20000 --products 500 >"$WORK_DIR/views.tsv"
  "runner_$RUNNER" "$WORK_DIR/views.tsv" "$WORK_DIR"
  print_summary
  write_output "$out"
  node "$DIST/related.js" --views "$WORK_DIR/views.tsv" --result "$out/viewed_products.tsv" --products 3 --top 5
}

main() {
  parse_args "$@"
  if [[ -n $LOG_FILE ]]; then exec 2>>"$LOG_FILE"; fi
  validate_args
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # The lock (database runs) comes first, so two scheduled runs never both rebuild dist/.
  if ((DEMO == 0)) && [[ -z $INPUT || -z $OUTPUT ]] && ! emr_submit_only_input; then
    db_validate
    db_before_run
  fi
  ensure_built
  # The job's Node processes never open a TLS connection, and with this set
  # Node 20 parses the whole CA bundle at every start (~50 ms each, 9+ starts).
  unset NODE_EXTRA_CA_CERTS
  make_work_dir "$WORK_ARG"
  if ((DEMO == 1)); then
    run_demo
    return 0
  fi
  local input=$INPUT
  if [[ -z $input ]]; then
    input=$WORK_DIR/views.tsv
    db_export "$input"
  fi
  local t0
  t0=$(now)
  "runner_$RUNNER" "$input" "$WORK_DIR"
  log "job done in $(elapsed "$t0") s"
  print_summary
  if [[ -n $OUTPUT ]]; then
    write_output "$OUTPUT"
  else
    db_import "$WORK_DIR/viewed_products.tsv"
  fi
}

main "$@"
