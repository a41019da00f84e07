# shellcheck shell=bash
# The local runner: both phases as Hadoop would run them, with real processes of
# the dist/ executables: map tasks (one per input file, in parallel), each
# hash-partitioned into N reducers (Hadoop's HashPartitioner); per reducer, the
# map tasks' files in LC_ALL=C byte order (merged if each is sorted already,
# else sorted), reduce; then phase 2 the same way over phase 1's part files.
# Sourced by run-job.sh.

# The shuffle's line limit: above the executables' own (--max-line-bytes
# defaults: 1 MiB views, 2 MiB + 64 pair rows), which skip and count longer lines.
readonly SHUFFLE_LINE_BYTES=$((8 << 20))

# phase_reducers INPUT...: the reducers of a phase: --reducers if given, else one
# per $BYTES_PER_REDUCER of input, from 1 to the number of cores (the rule Hive
# and Pig use to size reduce work; here below ~30 MB one reducer is faster on
# two cores than two that each combine and write most of the pairs). Input
# whose size is unknown (a pipe) gets one per core.
phase_reducers() {
  if ((REDUCERS_AUTO == 0)); then
    echo "$REDUCERS"
    return
  fi
  local f bytes=0 size n
  for f in "$@"; do
    if [[ ! -f $f ]]; then
      echo "$CORES"
      return
    fi
    size=$(stat -c %s -- "$f")
    bytes=$((bytes + size))
  done
  n=$(((bytes + BYTES_PER_REDUCER - 1) / BYTES_PER_REDUCER))
  ((n >= 1)) || n=1
  ((n <= CORES)) || n=$CORES
  echo "$n"
}

# map_task PHASE DIR M KEY_FIELDS TASKS FILE PARTS: map task M of TASKS, one mapper over
# FILE (as Hadoop runs one per split, so a file whose last line lacks its
# newline is not glued to the next), hash-partitioned into DIR/map-M-NNNNN.
map_task() {
  local phase=$1 dir=$2 m=$3 key_fields=$4 tasks=$5 f=$6 parts=$7 label="phase $1 map"
  if ((parts == 1)); then
    # One reducer: every line is partition 0's, so the mapper writes the file
    # itself (a second process copying it cost ~40-70 ms a phase on MovieLens;
    # the mapper enforces its own line limit, below the shuffle's).
    stage "phase $phase identity-mapper (${f##*/})" node "$DIST/identity-mapper.js" <"$f" >"$dir/map-$m-00000" 2>>"$dir/map.log"
    return
  fi
  ((tasks == 1)) || label+=" ${f##*/}"
  stage "phase $phase identity-mapper (${f##*/})" node "$DIST/identity-mapper.js" <"$f" 2>>"$dir/map.log" |
    stage "phase $phase partition $m" node "$DIST/partition.js" --parts "$parts" --key-fields "$key_fields" \
      --out "$dir/map-$m" --label "$label" --max-line-bytes "$SHUFFLE_LINE_BYTES"
}

# map_all PHASE DIR KEY_FIELDS PARTS INPUT...: the map tasks, one per core at a time.
map_all() {
  local phase=$1 dir=$2 key_fields=$3 parts=$4
  shift 4
  local -a pids=()
  local m=0 f failed=0 pid task
  for f in "$@"; do
    if ((${#pids[@]} >= CORES)); then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
    printf -v task '%05d' "$m"
    map_task "$phase" "$dir" "$task" "$key_fields" "$#" "$f" "$parts" &
    pids+=("$!")
    m=$((m + 1))
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  return "$failed"
}

# reduce_input PHASE DIR PART: on stdout, the map tasks' files for partition PART
# in byte order: merged when every one is in order already (as Hadoop merges
# sorted map outputs; `sort -C` checks, and stops at the first line out of
# order), else sorted.
reduce_input() {
  local phase=$1 dir=$2 part=$3
  local -a runs=()
  local f merge=1
  for f in "$dir"/map-*-"$part"; do
    runs+=("$f")
    if ((merge == 1)) && ! LC_ALL=C sort -C -- "$f" 2>/dev/null; then merge=0; fi
  done
  if ((merge == 1 && ${#runs[@]} == 1)); then
    # One run in order is its own merge (sort -m would take ~4x cat's time to copy it).
    stage "phase $phase merge $part" cat -- "${runs[0]}"
  elif ((merge == 1)); then
    stage "phase $phase merge $part" env LC_ALL=C sort -m -T "$dir" -- "${runs[@]}"
  else
    stage "phase $phase sort $part" env LC_ALL=C sort -T "$dir" -- "${runs[@]}"
  fi
}

# reduce_task PHASE DIR PART REDUCER [ARG...]: the reducer of partition PART on
# stdout, reading reduce_input (it starts at once: its start-up overlaps the checks).
reduce_task() {
  local phase=$1 dir=$2 part=$3
  shift 3
  reduce_input "$phase" "$dir" "$part" | stage "phase $phase reducer $part" node "$@"
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
  local dir=$WORK_DIR/phase$phase t0 i nred
  local -a pids=()
  nred=$(phase_reducers "$@")
  [[ ! -e $dir ]] || rm -rf -- "$dir"
  mkdir -p "$dir"
  : >"$dir/map.log"
  t0=$(now)
  log "phase $phase: map + shuffle into $nred partition(s)"
  # In the background, so a signal's trap runs at once instead of after the map tasks.
  map_all "$phase" "$dir" "$key_fields" "$nred" "$@" &
  if ! wait "$!"; then
    show_task_messages "$dir/map.log"
    fail_stage "phase $phase map"
  fi
  record_counters "$phase" "$dir/map.log"
  # partition.js reports the rows it shuffled; without it, the mappers' counter.
  ((nred > 1)) || printf 'phase %d map: %s rows in %s s\n' "$phase" "$(group_digits "$(recorded_counter "$phase" map_lines)")" "$(elapsed "$t0")" >&2
  log "phase $phase: sort + reduce ($(basename "${reducer_cmd[0]}") x $nred)"
  for ((i = 0; i < nred; i++)); do
    local part
    printf -v part '%05d' "$i"
    reduce_task "$phase" "$dir" "$part" "${reducer_cmd[@]}" >"$dir/part-$part" 2>"$dir/reduce-$part.log" &
    pids+=("$!")
  done
  local failed=0 pid
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  show_task_messages "$dir"/reduce-*.log "$dir/map.log"
  ((failed == 0)) || fail_stage "phase $phase sort+reduce"
  record_counters "$phase" "$dir"/reduce-*.log
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
  local -a parts=("$WORK_DIR"/phase2/part-*)
  if ((${#parts[@]} == 1)); then
    mv -- "${parts[0]}" "$WORK_DIR/viewed_products.tsv"
  elif ! stage "merge" env LC_ALL=C sort -m -T "$WORK_DIR" -o "$WORK_DIR/viewed_products.tsv" -- "${parts[@]}"; then
    fail_stage "merge"
  fi
  record_timing "merge" "$(elapsed "$t0")"
}
