# shellcheck shell=bash
# The local runner: both phases as Hadoop would run them, with real processes of
# the dist/ executables that `job-plan.js local-phase` names (the one job
# definition, src/job/phases.ts): map tasks (one per input file, in parallel),
# each hash-partitioned into N reducers (Hadoop's HashPartitioner); per reducer,
# the map tasks' files in LC_ALL=C byte order (merged if each is sorted already,
# else sorted), reduce; then phase 2 the same way over phase 1's part files.
# Sourced by run-job.sh; lib/local-plan.sh renders the phases' commands.

# shellcheck source=lib/local-plan.sh
source "${BASH_SOURCE[0]%/*}/local-plan.sh"

# The shuffle's line limit: above the executables' own (--max-line-bytes
# defaults: 1 MiB views, 2 MiB + 64 pair rows), which skip and count longer lines.
readonly SHUFFLE_LINE_BYTES=$((8 << 20))
readonly LOCAL_DEFAULT_BYTES_PER_REDUCER=$((32 << 20))
LOCAL_BYTES_PER_REDUCER=$LOCAL_DEFAULT_BYTES_PER_REDUCER
LOCAL_CORES=2

local_usage() {
  cat <<USAGE
  --bytes-per-reducer N    local runner's input bytes per reducer when
                           --reducers is not given (default $LOCAL_DEFAULT_BYTES_PER_REDUCER, $((LOCAL_DEFAULT_BYTES_PER_REDUCER >> 20)) MiB)
USAGE
}

# local_parse_option ARGS...: --bytes-per-reducer N.
local_parse_option() {
  OPT_USED=0
  if [[ $1 == --bytes-per-reducer ]]; then
    need_value "$1" $#
    LOCAL_BYTES_PER_REDUCER=$2
    # shellcheck disable=SC2034 # read by run-job.sh
    OPT_USED=2
  fi
  return 0
}

# local_check_sizing: --bytes-per-reducer's value (run-job.sh checks it for
# every runner, right after --reducers, as it always has).
local_check_sizing() {
  [[ $LOCAL_BYTES_PER_REDUCER =~ ^[1-9][0-9]*$ ]] || usage_error "--bytes-per-reducer must be a positive whole number"
}

local_validate() {
  LOCAL_CORES=$(cores)
}

# local_needs_result: the local runner always leaves a result.
local_needs_result() {
  return 0
}

# phase_reducers INPUT...: --reducers if given, else one per $LOCAL_BYTES_PER_REDUCER of input,
# from 1 to the cores (Hive's and Pig's rule); a pipe, one per core.
phase_reducers() {
  if [[ -n $REDUCERS ]]; then
    echo "$REDUCERS"
    return
  fi
  local f bytes=0 size n
  for f in "$@"; do
    if [[ ! -f $f ]]; then
      echo "$LOCAL_CORES"
      return
    fi
    size=$(stat -c %s -- "$f")
    bytes=$((bytes + size))
  done
  n=$(((bytes + LOCAL_BYTES_PER_REDUCER - 1) / LOCAL_BYTES_PER_REDUCER))
  ((n >= 1)) || n=1
  ((n <= LOCAL_CORES)) || n=$LOCAL_CORES
  echo "$n"
}

# map_task PHASE DIR M KEY_FIELDS TASKS FILE PARTS: map task M of TASKS, the
# phase's mapper (the caller's mapper_cmd) over FILE (as Hadoop runs one per
# split, so a file whose last line lacks its newline is not glued to the next),
# hash-partitioned into DIR/map-M-NNNNN.
map_task() {
  local phase=$1 dir=$2 m=$3 key_fields=$4 tasks=$5 f=$6 parts=$7 label="phase $1 map"
  local mapper=${mapper_cmd[1]##*/}
  local name="phase $phase ${mapper%.js} (${f##*/})"
  export mapreduce_map_input_file=${INPUT_LABELS[$f]:-$f} # Hadoop Streaming's name for the task's file (warnings); this subshell's only
  if ((parts == 1)); then
    # One reducer: every line is partition 0's, so the mapper writes the file
    # itself, sparing a copying process (it enforces its own line limit, below the shuffle's).
    stage "$name" "${mapper_cmd[@]}" <"$f" >"$dir/map-$m-00000" 2>>"$dir/map.log"
    return
  fi
  ((tasks == 1)) || label+=" ${f##*/}"
  stage "$name" "${mapper_cmd[@]}" <"$f" 2>>"$dir/map.log" |
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
    if ((${#pids[@]} >= LOCAL_CORES)); then
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
    # One run in order is its own merge, and cat copies it faster than sort -m.
    stage "phase $phase merge $part" cat -- "${runs[0]}"
  elif ((merge == 1)); then
    stage "phase $phase merge $part" env LC_ALL=C sort -m -T "$dir" -- "${runs[@]}"
  else
    stage "phase $phase sort $part" env LC_ALL=C sort -T "$dir" -- "${runs[@]}"
  fi
}

# reduce_task PHASE DIR PART REDUCER...: the reducer command of partition PART on
# stdout, reading reduce_input (it starts at once: its start-up overlaps the checks).
reduce_task() {
  local phase=$1 dir=$2 part=$3
  shift 3
  reduce_input "$phase" "$dir" "$part" | stage "phase $phase reducer $part" "$@"
}

# local_phase PHASE PLAN INPUT...: runs one phase as PLAN (local-phase's lines) says, into $WORK_DIR/phaseN.
local_phase() {
  local phase=$1 plan=$2
  shift 2
  local -a words mapper_cmd=() reducer_cmd=()
  local key_fields=''
  while IFS=$'\t' read -r -a words; do
    case ${words[0]} in
      mapper) mapper_cmd=("${words[@]:1}") ;;
      reducer) reducer_cmd=("${words[@]:1}") ;;
      key-fields) key_fields=${words[1]} ;;
      # Hadoop runs a combiner zero or more times, so running none gives the same result.
      combiner) ;;
    esac
  done <"$plan"
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
  log "phase $phase: sort + reduce (${reducer_cmd[1]##*/} x $nred)"
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

# local_run INPUT WORKDIR: both phases, then the parts merged into WORKDIR/viewed_products.tsv (RESULT_FILE).
local_run() {
  local work=$2 t0
  local -a inputs plans phase1_parts parts
  read_inputs inputs "$1"
  local_plan "$work" plans
  space_check 1 "${inputs[@]}"
  local_phase 1 "${plans[0]}" "${inputs[@]}"
  phase1_parts=("$work"/phase1/part-*)
  space_check 2 "${phase1_parts[@]}"
  local_phase 2 "${plans[1]}" "${phase1_parts[@]}"
  t0=$(now)
  # Each part is sorted by line; merging gives one order for any number of reducers.
  parts=("$work"/phase2/part-*)
  merge_parts merge "$work/viewed_products.tsv" "${parts[@]}"
  record_timing "merge" "$(elapsed "$t0")"
  # shellcheck disable=SC2034 # read by run-job.sh
  RESULT_FILE=$work/viewed_products.tsv
}
