# shellcheck shell=bash
# The local runner: both phases as Hadoop would run them, with real processes of
# the dist/ executables that `job-plan.js local-phase` names (the one job
# definition, src/job/phases.ts): map tasks (one per input file, in parallel),
# each hash-partitioned into N reducers (Hadoop's HashPartitioner); per reducer,
# the map tasks' files in LC_ALL=C byte order (merged if each is sorted already,
# else sorted), reduce; then phase 2 the same way over phase 1's part files.
# Sourced by run-job.sh; the tasks are in lib/local-tasks.sh.

# The shuffle's line limit: above the executables' own (--max-line-bytes
# defaults: 1 MiB views, 2 MiB + 64 pair rows), which skip and count longer lines.
readonly SHUFFLE_LINE_BYTES=$((8 << 20))
readonly LOCAL_DEFAULT_BYTES_PER_REDUCER=$((32 << 20))
LOCAL_BYTES_PER_REDUCER=$LOCAL_DEFAULT_BYTES_PER_REDUCER
LOCAL_CORES=2
LOCAL_PHASE_REDUCERS='' # set by local_run: the next phase's reducers, when the input decides
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
  [[ -z $REDUCERS ]] || memory_check_reducers "$REDUCERS"
}

# local_cleanup: nothing outside the work directory to remove.
local_cleanup() {
  return 0
}

# local_needs_result: the local runner always leaves a result.
local_needs_result() {
  return 0
}

# local_plan WORKDIR ARRAY: ARRAY gets the files of both phases' commands, as
# job-plan.js local-phase renders them from the job definition. Renderings are kept
# in .cache/plans, since a Node start is a share of a small job; they are keyed by
# job-plan.js's checksum (a deployed dist/ may keep old timestamps), dist/ and the settings.
local_plan() {
  local work=$1 p key sum cache
  local -n plans_=$2
  local -a pids=()
  read -r sum _ < <(cksum -- "$DIST/job-plan.js") || die "$EXIT_UNEXPECTED" "cannot read $DIST/job-plan.js"
  cache=$ROOT/.cache/plans/$sum
  # The key is a checksum of the exact words, so no two settings share a rendering.
  read -r key _ < <(printf '%s\0' "$DIST" "${JOB_ARGS[@]}" | cksum)
  plans_=()
  for p in 1 supports 2; do
    if [[ -f $cache/$key.$p ]]; then
      plans_+=("$cache/$key.$p")
      continue
    fi
    plans_+=("$work/plan-$p.tsv")
    node "$DIST/job-plan.js" local-phase --phase "$p" --files-dir "$DIST" "${JOB_ARGS[@]}" >"$work/plan-$p.tsv" &
    pids+=("$p:$!")
  done
  ((${#pids[@]} > 0)) || return 0
  for p in "${pids[@]}"; do
    wait "${p#*:}" || die "$EXIT_UNEXPECTED" "phase ${p%%:*}: job-plan.js local-phase failed"
  done
  # Best effort (a read-only checkout only renders again): renderings of other builds go.
  { [[ -d $cache ]] || find "$ROOT/.cache/plans" -mindepth 1 -maxdepth 1 -type d -exec rm -rf -- {} + 2>/dev/null || true
    mkdir -p -- "$cache" &&
      for p in "${pids[@]}"; do
        cp -- "$work/plan-${p%%:*}.tsv" "$cache/$key.${p%%:*}.$$" && mv -f -- "$cache/$key.${p%%:*}.$$" "$cache/$key.${p%%:*}"
      done
  } 2>/dev/null || true
}

# local_phase PHASE PLAN INPUT...: runs one phase as PLAN (local-phase's lines)
# says, into $WORK_DIR/phasePHASE; each part comes out in line order. Side
# files are linked into the reducers' working directory, as Hadoop's -files are.
local_phase() {
  local phase=$1 plan=$2
  shift 2
  local -a words mapper_cmd=() reducer_cmd=() side=()
  local key_fields='' partition_fields=0 fixed_reducers='' task_dir reducer_memory=''
  while IFS=$'\t' read -r -a words; do
    case ${words[0]} in
      mapper) mapper_cmd=("${words[@]:1}") ;;
      reducer) reducer_cmd=("${words[@]:1}") ;;
      key-fields) key_fields=${words[1]} ;;
      partition-fields) partition_fields=${words[1]} ;;
      reducers) fixed_reducers=${words[1]} ;;
      side-file) side+=("${words[1]}" "$WORK_DIR/phase${words[2]}/part-00000") ;;
      reducer-memory) reducer_memory=${words[1]} ;;
      # Hadoop runs a combiner zero or more times, so running none gives the same result.
      combiner) ;;
    esac
  done <"$plan"
  local dir=$WORK_DIR/phase$phase t0 i nred
  local -a pids=()
  nred=${fixed_reducers:-${LOCAL_PHASE_REDUCERS:-$(phase_reducers "$@")}}
  [[ ! -e $dir ]] || rm -rf -- "$dir"
  task_dir=$dir/task
  mkdir -p "$task_dir"
  for ((i = 0; i < ${#side[@]}; i += 2)); do ln -s -- "${side[i + 1]}" "$task_dir/${side[i]}"; done
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
  ((nred > 1)) || printf 'phase %s map: %s rows in %s s\n' "$phase" "$(group_digits "$(recorded_counter "$phase" map_lines)")" "$(elapsed "$t0")" >&2
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
  show_task_messages "$dir"/reduce-*.log "$dir/map.log"
  ((failed == 0)) || fail_stage "phase $phase sort+reduce"
  record_counters "$phase" "$dir"/reduce-*.log
  rm -f -- "$dir"/map-*
  local secs
  secs=$(elapsed "$t0")
  record_timing "phase $phase" "$secs"
  log "phase $phase: done in $secs s"
}

# local_run INPUT WORKDIR: the phases (the supports phase when the plan has
# one), then the parts merged into WORKDIR/viewed_products.tsv (RESULT_FILE).
local_run() {
  local work=$2 t0
  local -a inputs plans phase1_parts parts
  read_inputs inputs "$1"
  local_plan "$work" plans
  space_check 1 "${inputs[@]}"
  local_phase 1 "${plans[0]}" "${inputs[@]}"
  phase1_parts=("$work"/phase1/part-*)
  space_check 2 "${phase1_parts[@]}"
  [[ ! -s ${plans[1]} ]] || local_phase supports "${plans[1]}" "${phase1_parts[@]}"
  # Parts in line order (each a single run of partial sums) need no sort, only a merge, and one
  # reducer then writes the result in order: no partitioning and no final merge of the parts.
  [[ -n $REDUCERS ]] || ! runs_in_order "${phase1_parts[@]}" || LOCAL_PHASE_REDUCERS=1
  local_phase 2 "${plans[2]}" "${phase1_parts[@]}"
  LOCAL_PHASE_REDUCERS=
  t0=$(now)
  # Parts sorted by line merge into one order for any number of reducers (one part is moved).
  parts=("$work"/phase2/part-*)
  merge_parts merge "$work/viewed_products.tsv" "${parts[@]}"
  record_timing "merge" "$(elapsed "$t0")"
  # shellcheck disable=SC2034 # read by run-job.sh
  RESULT_FILE=$work/viewed_products.tsv
}
