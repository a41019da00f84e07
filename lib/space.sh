# shellcheck shell=bash
# The free-space check before each phase: the work directory must have free
# (df -Pk) a multiple of the phase's input bytes (the plan's space-factor, from
# src/job/phases.ts), else the run stops with EXIT_SPACE before the phase writes
# anything. The estimate, generous on purpose, is documented in
# docs/operations.md. Sourced by lib/common.sh.

# Bookkeeping beside the phase's files (counters, plans, small files).
readonly SPACE_RESERVE=$((1 << 20))

# space_mib BYTES: BYTES in MiB, one decimal, rounded up.
space_mib() {
  local t=$((($1 * 10 + (1 << 20) - 1) >> 20))
  printf '%d.%d MiB' $((t / 10)) $((t % 10))
}

# space_input_bytes FILE...: the bytes of FILEs; fails when one is not a
# regular file (a pipe's size is unknown).
space_input_bytes() {
  local f size total=0
  for f in "$@"; do
    [[ -f $f ]] || return 1
    size=$(stat -L -c %s -- "$f") || return 1
    total=$((total + size))
  done
  printf '%d\n' "$total"
}

# space_free DIR: the bytes free for this user on DIR's file system (df -Pk).
space_free() {
  local avail
  avail=$(df -Pk -- "$1" | awk 'NR == 2 { print $4 }') || return 1
  [[ $avail =~ ^[0-9]+$ ]] || return 1
  printf '%d\n' $((avail * 1024))
}

# space_check PHASE FACTOR INPUT...: exits with EXIT_SPACE when the work directory
# has less free space than phase PHASE needs for INPUT (its input files): FACTOR x their bytes.
space_check() {
  local phase=$1 factor=$2 bytes free need
  shift 2
  if ! bytes=$(space_input_bytes "$@"); then
    log "phase $phase: free-space check skipped (the input is a pipe: its size is unknown)"
    return 0
  fi
  free=$(space_free "$WORK_DIR") || { log "phase $phase: free-space check skipped (df failed on $WORK_DIR)"; return 0; }
  need=$((factor * bytes + SPACE_RESERVE))
  ((free < need)) || return 0
  die "$EXIT_SPACE" "not enough free space in $WORK_DIR for phase $phase: it needs about $(space_mib "$need") ($factor x its input of $(space_mib "$bytes"), + $(space_mib "$SPACE_RESERVE")), $(space_mib "$free") free; free some space or give --work-dir on a larger volume (docs/operations.md#free-space)"
}
