# shellcheck shell=bash
# The local runner: the plan's phases (lib/plan.sh, from the one job definition,
# src/job/phases.ts) as Hadoop would run them, with real processes of the dist/
# executables the plan names: map tasks (one per input file, in parallel), each
# hash-partitioned into N reducers (Hadoop's HashPartitioner); per reducer, the
# map tasks' files in LC_ALL=C byte order (merged if each is sorted already, else
# sorted), reduce; each phase over the views or earlier phases' part files.
# Sourced by run-job.sh; the tasks are in lib/local-tasks.sh.

# The shuffle's line limit: above the executables' own (--max-line-bytes
# defaults: 1 MiB views, 2 MiB + 64 pair rows), which skip and count longer lines.
readonly SHUFFLE_LINE_BYTES=$((8 << 20))
readonly LOCAL_DEFAULT_BYTES_PER_REDUCER=$((32 << 20))
LOCAL_BYTES_PER_REDUCER=$LOCAL_DEFAULT_BYTES_PER_REDUCER
LOCAL_CORES=2
# The phases whose parts are source ranges, in order (local_phase): the result's concatenate.
declare -gA LOCAL_RANGED=()
# shellcheck source=lib/local-tasks.sh
source "${BASH_SOURCE[0]%/*}/local-tasks.sh"

# local_usage PART: the sizing options, among the Job options (no section of its own).
local_usage() {
  [[ $1 == job ]] || return 0
  cat <<USAGE
  --bytes-per-reducer N    local runner's input bytes per reducer when
                           --reducers is not given (default $LOCAL_DEFAULT_BYTES_PER_REDUCER, $((LOCAL_DEFAULT_BYTES_PER_REDUCER >> 20)) MiB)
USAGE
  memory_usage
}

# local_parse_option ARGS...: --bytes-per-reducer N, --memory SIZE (lib/memory.sh).
# shellcheck disable=SC2034 # OPT_USED is read by lib/contract.sh
local_parse_option() {
  case $1 in
    --bytes-per-reducer) need_value "$1" $#; LOCAL_BYTES_PER_REDUCER=$2; OPT_USED=2 ;;
    *) memory_parse_option "$@" ;;
  esac
}

# local_check_options: --bytes-per-reducer's and --memory's values, for every
# runner (--memory also sizes the final merge's sort).
local_check_options() {
  [[ $LOCAL_BYTES_PER_REDUCER =~ ^[1-9][0-9]*$ ]] || usage_error "--bytes-per-reducer must be a positive whole number"
  memory_check
}

local_validate() {
  LOCAL_CORES=$(cores)
  # A --reducers that is no number is job-plan.js's usage error, once dist/ is built.
  [[ ! $REDUCERS =~ ^[1-9][0-9]{0,17}$ ]] || memory_check_reducers "$REDUCERS"
}

# local_cleanup: nothing outside the work directory to remove.
local_cleanup() {
  return 0
}

# local_needs_result: the local runner always leaves a result.
local_needs_result() {
  return 0
}

# local_phase PHASE INPUT...: runs phase PHASE as the plan (lib/plan.sh) says,
# into $WORK_DIR/<its output>; each part comes out in line order. Side files are
# linked into the reducers' working directory, as Hadoop's -files are.
local_phase() {
  local phase=$1 row
  shift
  local -a rows words mapper_cmd=() reducer_cmd=() side=()
  local key_fields='' partition_fields=0 fixed_reducers='' task_dir reducer_memory='' output='' if_sorted=0 map_copies=0 from
  plan_rows rows "$phase"
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r -a words <<<"$row"
    case ${words[0]} in
      output) output=${words[1]} ;;
      mapper) mapper_cmd=("${words[@]:1}") ;;
      reducer) reducer_cmd=("${words[@]:1}") ;;
      key-fields) key_fields=${words[1]} ;;
      partition-fields) partition_fields=${words[1]} ;;
      reducers) fixed_reducers=${words[1]} ;;
      side-file) plan_get from "${words[2]}" output && side+=("${words[1]}" "$WORK_DIR/$from/${words[3]}") ;;
      reducer-memory) reducer_memory=${words[1]} ;;
      ranges-if-sorted) if_sorted=1 ;;
      map-copies) map_copies=1 ;;
      # Hadoop runs a combiner zero or more times, so running none gives the same result.
      combiner) ;;
    esac
  done
  local dir=$WORK_DIR/$output t0 i nred=$fixed_reducers MAP_OUTPUT_IN_ORDER=0 ranged=0 fed=0
  local -a pids=() FEED_PIDS=()
  # Parts in line order under a mapper that copies them need no map pass and no sort, only a
  # merge: the reducers read them in place, one reducer, or (ranges-if-sorted) cut into source
  # ranges, a reducer each (one for a small input), whose outputs concatenate in order.
  if [[ -z $nred ]] && ((map_copies == 1)) && [[ -z $REDUCERS ]] && runs_in_order "$@"; then
    nred=1
    ((if_sorted == 0)) || nred=$(phase_reducers "$@")
    ((nred == 1)) || ranged=1
    MAP_OUTPUT_IN_ORDER=1
    fed=1
  fi
  [[ -n $nred ]] || nred=$(phase_reducers "$@")
  [[ ! -e $dir ]] || rm -rf -- "$dir"
  task_dir=$dir/task
  mkdir -p "$task_dir"
  for ((i = 0; i < ${#side[@]}; i += 2)); do ln -s -- "${side[i + 1]}" "$task_dir/${side[i]}"; done
  : >"$dir/map.log"
  t0=$(now)
  local into='partition(s)'
  ((ranged == 0)) || into='source range(s)'
  log "phase $phase: map + shuffle into $nred $into"
  ((ranged == 0)) || LOCAL_RANGED[$phase]=1
  # In the background, so a signal's trap runs at once instead of after the map tasks.
  if ((fed == 1)); then
    feed_inputs "$phase" "$dir" "$nred" "$@" &
  else
    map_all "$phase" "$dir" "$key_fields" "$nred" "$@" &
  fi
  if ! wait "$!"; then
    show_task_messages "$dir/map.log"
    fail_stage "phase $phase map"
  fi
  # The source ranges' writers, which run beside the reducers (lib/local-tasks.sh).
  ((ranged == 0)) || feed_ranges "$phase" "$dir" "$nred" "$@"
  record_counters "$phase" "$dir/map.log"
  # partition.js reports the rows it shuffled; without it, the mappers' counter.
  if ((fed == 0 && nred == 1)); then
    printf 'phase %s map: %s rows in %s s\n' "$phase" "$(group_digits "$(recorded_counter "$phase" map_lines)")" "$(elapsed "$t0")" >&2
  fi
  # All nred reduce tasks run at once: each gets its share of --memory.
  memory_split "$nred" "$reducer_memory"
  reducer_cmd+=("${MEMORY_REDUCER_ARGS[@]}")
  log "phase $phase: sort + reduce (${reducer_cmd[1]##*/} x $nred)"
  for ((i = 0; i < nred; i++)); do
    local part
    printf -v part '%05d' "$i"
    (cd "$task_dir" && reduce_task "$phase" "$dir" "$part" "${reducer_cmd[@]}") >"$dir/part-$part" 2>"$dir/reduce-$part.log" &
    pids+=("$!")
  done
  local failed=0 pid
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  # A reducer that failed may never have opened its ranges: their writers would wait for ever.
  if ((failed == 1 && ${#FEED_PIDS[@]} > 0)); then kill "${FEED_PIDS[@]}" 2>/dev/null || true; fi
  pool_drain FEED_PIDS || failed=1
  show_task_messages "$dir"/reduce-*.log "$dir/map.log"
  ((failed == 0)) || fail_stage "phase $phase sort+reduce"
  record_counters "$phase" "$dir"/reduce-*.log
  rm -f -- "$dir"/map-*
  local secs
  secs=$(elapsed "$t0")
  record_timing "phase $phase" "$secs"
  log "phase $phase: done in $secs s"
}

# local_run INPUT WORKDIR: the plan's phases in order, each after the free-space
# check for its input, then the result phase's parts finished (merged: the plan
# says) into WORKDIR/viewed_products.tsv (RESULT_FILE).
local_run() {
  local phase work=$2 t0 factor out
  local -a inputs ids files
  local result finish
  read_inputs inputs "$1"
  plan_phases ids
  for phase in "${ids[@]}"; do
    plan_input_files files "$phase" "$work" "${inputs[@]}"
    plan_get factor "$phase" space-factor
    space_check "$phase" "$factor" "${files[@]}"
    local_phase "$phase" "${files[@]}"
  done
  t0=$(now)
  plan_get result '' result
  plan_get out "$result" output
  # This runner's reducers read whole lines in order (LC_ALL=C sort); source ranges are in order.
  plan_finish finish line
  [[ ! -v "LOCAL_RANGED[$result]" || $finish != merge ]] || finish=concat
  merge_parts "$finish" "$work/viewed_products.tsv" "$work/$out"/part-*
  record_timing "merge" "$(elapsed "$t0")"
  # shellcheck disable=SC2034 # read by run-job.sh
  RESULT_FILE=$work/viewed_products.tsv
}
