# shellcheck shell=bash
# A run's numbers: the tasks' counters (counters.tsv), the stage timings
# (timings.tsv), the stages' peak RSS (memory.tsv, lib/stage.sh), all in the
# work directory, and the summary printed from them. Sourced by lib/common.sh.

# record_counters PHASE FILE...: sums the reporter:counter lines of FILEs into
# counters.tsv (in bash: task logs are short, shorter to read than an awk process is to start).
record_counters() {
  local phase=$1 f line name value
  shift
  local -A sum=()
  local -a order=()
  for f in "$@"; do
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line == reporter:counter:viewed_products,* ]] || continue
      line=${line#reporter:counter:viewed_products,}
      name=${line%%,*}
      value=${line#*,}
      [[ $value =~ ^[0-9]+$ ]] || continue
      [[ -v "sum[$name]" ]] || order+=("$name")
      sum[$name]=$((${sum[$name]:-0} + 10#$value))
    done <"$f"
  done
  for name in "${order[@]}"; do
    printf '%s\t%s\t%d\n' "$phase" "$name" "${sum[$name]}"
  done >>"$WORK_DIR/counters.tsv"
}

# recorded_counter PHASE NAME: counter NAME of PHASE in counters.tsv, summed (0 if none).
recorded_counter() {
  local phase name value total=0
  while IFS=$'\t' read -r phase name value; do
    [[ $phase == "$1" && $name == "$2" ]] && total=$((total + value))
  done <"$WORK_DIR/counters.tsv"
  printf '%d\n' "$total"
}

# show_task_messages FILE...: task stderr other than counters (warnings), on our stderr.
show_task_messages() {
  local f line
  for f in "$@"; do
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line == reporter:* ]] || printf '%s\n' "$line" >&2
    done <"$f"
  done
}

# record_timing PHASE SECONDS
record_timing() {
  printf '%s\t%s\n' "$1" "$2" >>"$WORK_DIR/timings.tsv"
}

# print_summary: the run's numbers, from counters.tsv and timings.tsv, on stderr:
# the input's from the plan's views phase, the output's from its result phase.
print_summary() {
  local result
  plan_get result '' result
  awk -F'\t' -v v="$(plan_word '' views-phase)/" -v r="$result/" '
    FNR == NR { c[$1 "/" $2] += $3; next }
    { t[++nt] = $1; secs[nt] = $2; total += $2 }
    END {
      printf "summary:\n"
      printf "  input rows        %d\n", c[v "map_lines"]
      printf "  valid views       %d (header lines %d, repeated views %d)\n", c[v "views_in"], c[v "header_lines"], c[v "duplicate_views"]
      printf "  skipped lines     %d: wrong field count %d, empty field %d, NULL id %d, too long %d\n",
        c[v "skipped_wrong_field_count"] + c[v "skipped_empty_field"] + c[v "skipped_null_id"] + c[v "skipped_too_long"],
        c[v "skipped_wrong_field_count"], c[v "skipped_empty_field"], c[v "skipped_null_id"], c[v "skipped_too_long"]
      # Views with an order (a 3rd column): lines skipped for it, only when there are some.
      if (c[v "skipped_bad_order"] + c[v "skipped_missing_order"] > 0)
        printf "  skipped for order %d: order not a number %d, no order column %d\n",
          c[v "skipped_bad_order"] + c[v "skipped_missing_order"], c[v "skipped_bad_order"], c[v "skipped_missing_order"]
      printf "  paths             %d (capped, skipped whole: %d)\n", c[v "paths"], c[v "capped_paths"]
      printf "  pairs             %d (phase-1 rows after combining: %d)\n", c[v "pairs"], c[v "pair_rows_out"]
      # With --min-count or --top the lists hold fewer rows than the pairs summed.
      if ((r "list_rows_out") in c) printf "  output rows       %d (of %d pairs: --min-count, --top)\n", c[r "list_rows_out"], c[r "result_rows_out"]
      else printf "  output rows       %d\n", c[r "result_rows_out"]
      printf "  phase-2 skipped   %d (bad pair rows %d, too long %d)\n",
        c[r "skipped_bad_pair_row"] + c[r "skipped_too_long"], c[r "skipped_bad_pair_row"], c[r "skipped_too_long"]
      line = "  time             "
      for (i = 1; i <= nt; i++) line = line sprintf(" %s %.1f s,", t[i], secs[i])
      printf "%s total %.1f s\n", line, total
    }
  ' "$WORK_DIR/counters.tsv" "$WORK_DIR/timings.tsv" >&2
  print_memory
}

# print_memory: the summary's peak RSS lines, from memory.tsv: per stage kind
# (its name without the task's number or file: the largest of its tasks),
# grouped by phase, and the largest process.
print_memory() {
  if [[ -z $STAGE_TIME ]]; then
    printf '  peak RSS          not measured: GNU time (/usr/bin/time, package "time") is not installed\n' >&2
    return 0
  fi
  [[ -s $WORK_DIR/memory.tsv ]] || return 0
  awk -F'\t' -v budget="${MEMORY_KIB:-}" -v runner="${RUNNER:-local}" '
    function mib(k) { return sprintf("%.1f", k / 1024) }
    {
      kind = $1
      sub(/ \([^()]*\)$/, "", kind)
      sub(/ [0-9]+$/, "", kind)
      group = kind
      if (match(kind, /^phase [^ ]+ /)) { group = substr(kind, 1, RLENGTH - 1); kind = substr(kind, RLENGTH + 1) }
      if (!(group in seen)) { seen[group] = 1; groups[++ng] = group }
      if (!((group, kind) in peak)) { kinds[group] = kinds[group] SUBSEP kind }
      if ($2 + 0 > peak[group, kind] + 0) peak[group, kind] = $2
      if ($2 + 0 > top + 0) { top = $2; who = $1 }
    }
    END {
      line = "  peak RSS (MiB)    largest process " mib(top) " (" who ")"
      if (runner != "local") line = line "; the tasks ran in cluster containers"
      else if (budget != "") line = line "; --memory budget " mib(budget) " for the stages running at once"
      print line
      for (g = 1; g <= ng; g++) {
        n = split(substr(kinds[groups[g]], 2), k, SUBSEP)
        line = ""
        for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") (k[i] == groups[g] ? "" : k[i] " ") mib(peak[groups[g], k[i]])
        printf "    %-16s%s\n", groups[g], line
      }
    }
  ' "$WORK_DIR/memory.tsv" >&2
}
