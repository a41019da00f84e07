# shellcheck shell=bash
# The local runner's tasks: how many reducers a phase gets, the map tasks (each
# partitioned as Hadoop's partitioner would, by dist/partition.js), and each
# reducer's input in byte order. Sourced by lib/local.sh; the caller's
# local_phase sets mapper_cmd and partition_fields.

# phase_reducers INPUT...: --reducers if given, else one per $LOCAL_BYTES_PER_REDUCER of input,
# from 1 to the cores (Hive's and Pig's rule); a pipe, one per core; at most as
# many as --memory gives their minimum share.
phase_reducers() {
  if [[ -n $REDUCERS ]]; then
    echo "$REDUCERS"
    return
  fi
  local f bytes=0 size n max=$LOCAL_CORES
  ((max <= MEMORY_KIB / MEMORY_TASK_MIN_KIB)) || max=$((MEMORY_KIB / MEMORY_TASK_MIN_KIB))
  for f in "$@"; do
    if [[ ! -f $f ]]; then
      echo "$max"
      return
    fi
    # -L: an input given as a symlink is sized by the file it names.
    size=$(stat -L -c %s -- "$f")
    bytes=$((bytes + size))
  done
  n=$(((bytes + LOCAL_BYTES_PER_REDUCER - 1) / LOCAL_BYTES_PER_REDUCER))
  ((n >= 1)) || n=1
  ((n <= max)) || n=$max
  echo "$n"
}

# pool_slot PIDS: room for one more background task, a core each: when the array
# named PIDS holds LOCAL_CORES of them, waits for the oldest and drops it; its status.
pool_slot() {
  local -n slot_pids=$1
  ((${#slot_pids[@]} >= LOCAL_CORES)) || return 0
  local rc=0
  wait "${slot_pids[0]}" || rc=$?
  slot_pids=("${slot_pids[@]:1}")
  return "$rc"
}

# pool_drain PIDS: waits for every task of the array named PIDS and empties it; false if one failed.
pool_drain() {
  local -n drain_pids=$1
  local pid rc=0
  for pid in "${drain_pids[@]}"; do
    wait "$pid" || rc=1
  done
  drain_pids=()
  return "$rc"
}

# map_task PHASE DIR M KEY_FIELDS TASKS FILE PARTS: map task M of TASKS, the
# phase's mapper (the caller's mapper_cmd) over FILE (as Hadoop runs one per
# split, so a file whose last line lacks its newline is not glued to the next),
# partitioned into DIR/map-M-NNNNN (the whole key's hash, or its first
# $partition_fields fields' as KeyFieldBasedPartitioner's).
map_task() {
  local phase=$1 dir=$2 m=$3 key_fields=$4 tasks=$5 f=$6 parts=$7
  local label="phase $phase map"
  # shellcheck disable=SC2154 # mapper_cmd: the caller's (local_phase)
  local mapper=${mapper_cmd[1]##*/}
  # A stage is named for its input: the export by its label, not its temporary file.
  local name="phase $phase ${mapper%.js} (${INPUT_LABELS[$f]:-${f##*/}})"
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
      --partition-fields "${partition_fields:-0}" --out "$dir/map-$m" --label "$label" --max-line-bytes "$SHUFFLE_LINE_BYTES"
}

# map_all PHASE DIR KEY_FIELDS PARTS INPUT...: the map tasks, one per core at a time.
map_all() {
  local phase=$1 dir=$2 key_fields=$3 parts=$4
  shift 4
  local -a pids=()
  local m=0 f failed=0 task
  for f in "$@"; do
    pool_slot pids || failed=1
    printf -v task '%05d' "$m"
    map_task "$phase" "$dir" "$task" "$key_fields" "$#" "$f" "$parts" &
    pids+=("$!")
    m=$((m + 1))
  done
  pool_drain pids || failed=1
  return "$failed"
}

# feed_inputs PHASE DIR PARTS INPUT...: for a phase whose mapper copies its input (the plan's
# map-copies) over INPUTs each in line order, no map pass: with one reducer, its map outputs
# are links to the inputs; else DIR/ranges.tsv, the inputs' source ranges (dist/ranges.js samples
# them for split keys, as Hadoop's TotalOrderPartitioner's sampler does), which feed_ranges then
# writes to the reducers.
feed_inputs() {
  local phase=$1 dir=$2 parts=$3
  shift 3
  local m=0 f
  if ((parts == 1)); then
    for f in "$@"; do
      ln -s -- "$f" "$dir/map-$m-00000"
      m=$((m + 1))
    done
    return 0
  fi
  printf '%s\n' "$@" | stage "phase $phase ranges" node "$DIST/ranges.js" --parts "$parts" >"$dir/ranges.tsv"
}

# feed_ranges PHASE DIR PARTS INPUT...: after feed_inputs, each source range of each input as
# its map output DIR/map-M-PART: an empty file, or a FIFO written by a background dd (the
# reducers' merges read them), whose pid is appended to the caller's FEED_PIDS.
feed_ranges() {
  local phase=$1 dir=$2 parts=$3
  shift 3
  local -a cuts offsets
  local m=0 r f part
  mapfile -t cuts <"$dir/ranges.tsv"
  ((${#cuts[@]} == $#)) || die "$EXIT_UNEXPECTED" "ranges.js gave ${#cuts[@]} lines for $# files"
  for f in "$@"; do
    IFS=$'\t' read -r -a offsets <<<"${cuts[m]}"
    for ((r = 0; r < parts; r++)); do
      printf -v part '%05d' "$r"
      if ((offsets[r + 1] == offsets[r])); then
        : >"$dir/map-$m-$part"
        continue
      fi
      mkfifo -- "$dir/map-$m-$part"
      stage "phase $phase range $part of ${f##*/}" dd if="$f" iflag=skip_bytes,count_bytes skip="${offsets[r]}" \
        count="$((offsets[r + 1] - offsets[r]))" bs=1M status=none >"$dir/map-$m-$part" 2>>"$dir/map.log" &
      FEED_PIDS+=("$!")
    done
    m=$((m + 1))
  done
}

# runs_in_order FILE...: whether every FILE is in LC_ALL=C byte order (`sort -C`
# stops at the first line out of order), checked at the same time, a core each;
# once one is out of order, no further check starts.
runs_in_order() {
  local -a pids=()
  local f ok=0
  for f in "$@"; do
    ((ok == 0)) || break
    pool_slot pids || ok=1
    LC_ALL=C sort -C -- "$f" 2>/dev/null &
    pids+=("$!")
  done
  pool_drain pids || ok=1
  return "$ok"
}

# reduce_input PHASE DIR PART: on stdout, the map tasks' files for partition PART
# in byte order: merged when every one is in order already (as Hadoop merges
# sorted map outputs; known without a check when the caller's MAP_OUTPUT_IN_ORDER
# is 1), else sorted.
reduce_input() {
  local phase=$1 dir=$2 part=$3
  local -a runs=("$dir"/map-*-"$part")
  if [[ ${MAP_OUTPUT_IN_ORDER:-0} != 1 ]] && ! runs_in_order "${runs[@]}"; then
    # Its share of --memory (memory_split, lib/memory.sh).
    stage "phase $phase sort $part" env LC_ALL=C sort -S "${MEMORY_SORT_KIB}K" -T "$dir" -- "${runs[@]}"
  elif ((${#runs[@]} == 1)); then
    # One run in order is its own merge, and cat copies it faster than sort -m.
    stage "phase $phase merge $part" cat -- "${runs[0]}"
  else
    stage "phase $phase merge $part" env LC_ALL=C sort -m -T "$dir" -- "${runs[@]}"
  fi
}

# reduce_task PHASE DIR PART REDUCER...: the reducer command of partition PART on
# stdout, reading reduce_input (it starts at once: its start-up overlaps the checks).
reduce_task() {
  local phase=$1 dir=$2 part=$3
  shift 3
  reduce_input "$phase" "$dir" "$part" | stage "phase $phase reducer $part" "$@"
}
