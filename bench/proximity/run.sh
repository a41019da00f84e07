#!/usr/bin/env bash
# Issue 24's speed table: --score proximity against --score count on the store-scale views
# with a third column (the row number: the generator writes rows in time order, as an
# auto-increment id), and count on the two-column views with this build and a baseline build,
# the four runs interleaved round by round so they see the same machine load.
# Usage: bench/proximity/run.sh VIEWS.tsv BASELINE_CHECKOUT ROUNDS OUT_DIR [RUNS]  (results on stdout, TSV)
# RUNS: which of count-2col-baseline,count-2col,count-3col,proximity-3col (default all, in that order).
set -Eeuo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
views=$1 base=$2 rounds=$3 out=$4
runs=,${5:-count-2col-baseline,count-2col,count-3col,proximity-3col},

# run_one LABEL CHECKOUT INPUT ARGS...: one job; prints LABEL, wall seconds, largest process MiB.
run_one() {
  local label=$1 checkout=$2 input=$3 log t0 t1 peak
  shift 3
  [[ $runs == *,"${label%-*}",* ]] || return 0
  log=$out/$label.log
  t0=$(date +%s.%N)
  (cd "$checkout" && ./run-job.sh --input "$input" --output "$out/$label" "$@") 2>"$log"
  t1=$(date +%s.%N)
  peak=$(sed -n 's/.*largest process \([0-9.]*\) .*/\1/p' "$log")
  # The first round's results are checked (count's must be the same bytes), then removed: GBs each.
  [[ $label != *-1 ]] || md5sum <"$out/$label/viewed_products.tsv" >"$out/$label.md5"
  rm -rf -- "${out:?}/$label"
  printf '%s\t%.1f\t%s\n' "$label" "$(echo "$t1 - $t0" | bc)" "$peak"
}

main() {
  mkdir -p "$out"
  local ordered=$out/views3.tsv r
  [[ -s $ordered ]] || awk -v OFS='\t' '{ print $0, NR }' "$views" >"$ordered"
  printf 'run\tseconds\tlargest_process_mib\n'
  for ((r = 1; r <= rounds; r++)); do
    run_one "count-2col-baseline-$r" "$base" "$views"
    run_one "count-2col-$r" "$here" "$views"
    run_one "count-3col-$r" "$here" "$ordered"
    run_one "proximity-3col-$r" "$here" "$ordered" --score proximity
  done
}

main
