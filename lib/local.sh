# shellcheck shell=bash
# The local runner: both phases as Hadoop would run them, with real processes of
# the dist/ executables: map, hash-partition into N reducers (Hadoop's
# HashPartitioner), LC_ALL=C sort each partition by key, reduce; then phase 2
# the same way over phase 1's part files. Sourced by run-job.sh.

# The shuffle's line limit: above the executables' own (--max-line-bytes
# defaults: 1 MiB views, 2 MiB + 64 pair rows), which skip and count longer lines.
readonly SHUFFLE_LINE_BYTES=$((8 << 20))

# map_inputs PHASE DIR INPUT...: one mapper per input file, as Hadoop runs one per
# split (so a file whose last line lacks its newline is not glued to the next).
map_inputs() {
  local phase=$1 dir=$2 f
  shift 2
  for f in "$@"; do
    stage "phase $phase identity-mapper (${f##*/})" \
      node "$DIST/identity-mapper.js" <"$f" 2>>"$dir/map.log" || return
  done
}

# local_phase PHASE KEY_FIELDS REDUCER [ARG...] -- INPUT...: runs one phase into $WORK_DIR/phaseN.
local_phase() {
  local phase=$1 key_fields=$2
  shift 2
  local -a reducer_cmd=()
  while [[ $1 != -- ]]; do
    reducer_cmd+=("$1")
    shift
  done
  shift
  local dir=$WORK_DIR/phase$phase t0 i
  local -a pids=()
  rm -rf -- "$dir"
  mkdir -p "$dir"
  : >"$dir/map.log"
  t0=$(now)
  log "phase $phase: map + shuffle into $REDUCERS partition(s)"
  # In the background, so a signal's trap runs at once instead of after the pipeline.
  {
    map_inputs "$phase" "$dir" "$@" |
      stage "phase $phase partition" node "$DIST/partition.js" --parts "$REDUCERS" --key-fields "$key_fields" \
        --out "$dir/map" --label "phase $phase map" --max-line-bytes "$SHUFFLE_LINE_BYTES"
  } &
  if ! wait "$!"; then
    show_task_messages "$dir/map.log"
    fail_stage "phase $phase map"
  fi
  log "phase $phase: sort + reduce ($(basename "${reducer_cmd[0]}") x $REDUCERS)"
  for ((i = 0; i < REDUCERS; i++)); do
    local part
    part=$(printf '%05d' "$i")
    (
      stage "phase $phase sort $part" env LC_ALL=C sort -T "$dir" -- "$dir/map-$part" |
        stage "phase $phase reducer $part" node "${reducer_cmd[@]}" >"$dir/part-$part" 2>"$dir/reduce-$part.log"
    ) &
    pids+=("$!")
  done
  local failed=0 pid
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  show_task_messages "$dir"/reduce-*.log "$dir/map.log"
  ((failed == 0)) || fail_stage "phase $phase sort+reduce"
  record_counters "$phase" "$dir/map.log" "$dir"/reduce-*.log
  rm -f -- "$dir"/map-*
  local secs
  secs=$(elapsed "$t0")
  record_timing "phase $phase" "$secs"
  log "phase $phase: done in $secs s"
}

# runner_local INPUT WORKDIR: leaves WORKDIR/viewed_products.tsv.
runner_local() {
  local input=$1
  local -a inputs phase1_parts
  mapfile -t inputs < <(input_files "$input")
  ((${#inputs[@]} > 0)) || die "$EXIT_USAGE" "no input files in $input"
  local -a pairs_cmd=("$DIST/pairs-reducer.js" "--max-path-products=$MAX_PATH_PRODUCTS")
  ((COMBINE == 1)) || pairs_cmd+=(--no-combine)
  local_phase 1 1 "${pairs_cmd[@]}" -- "${inputs[@]}"
  phase1_parts=("$WORK_DIR"/phase1/part-*)
  local_phase 2 2 "$DIST/sum-reducer.js" -- "${phase1_parts[@]}"
  local t0
  t0=$(now)
  # Each part is sorted by line; merging gives one order for any number of reducers.
  if ! stage "merge" env LC_ALL=C sort -m -T "$WORK_DIR" -o "$WORK_DIR/viewed_products.tsv" -- "$WORK_DIR"/phase2/part-*; then
    fail_stage "merge"
  fi
  record_timing "merge" "$(elapsed "$t0")"
}
