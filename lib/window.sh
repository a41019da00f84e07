# shellcheck shell=bash
# --window DAYS (docs/scores.md#the-window): only the paths whose first view lies within
# DAYS of the newest view, by the views' order column read as Unix seconds. Applied here, on
# the views the runner will read (a file, a folder, the export, which already holds only
# the window: lib/db-export.sh), before phase 1. Sourced by run-job.sh.

WINDOW_DAYS=''

# window_check: --window's value (a positive number of days) and an input it can read; the
# order column --score proximity needs (lib/checks.sh).
window_check() {
  [[ -z $INPUT ]] || check_order_column "$INPUT"
  if [[ -z $INPUT && ($SCORE == proximity || -n $WINDOW_DAYS) && -z $DB_ORDER_COLUMN ]] && needs_database; then
    usage_error "${WINDOW_DAYS:+--window}${WINDOW_DAYS:---score proximity} needs the views' order: --order-column COLUMN (or --input with a third column)"
  fi
  [[ -n $WINDOW_DAYS ]] || return 0
  if ! [[ $WINDOW_DAYS =~ ^[0-9]{1,6}(\.[0-9]{1,6})?$ ]] || ! awk -v d="$WINDOW_DAYS" 'BEGIN { exit !(d > 0) }'; then
    usage_error "--window must be a positive number of days: $WINDOW_DAYS"
  fi
  # The views are read twice (the newest view, then the paths): a file or a folder, or the export.
  [[ -z $INPUT || -f $INPUT || -d $INPUT ]] || usage_error "--window reads the views twice: --input must be a file or a folder, not $INPUT"
}

# window_paths SUMMARY FILE...: the paths in the window, one a line after a first line holding a TAB
# (so the next awk always has a first file); fails (3) when no view has an order.
window_paths() {
  LC_ALL=C awk -F'\t' -v days="$WINDOW_DAYS" '
    NF == 3 {
      o = $3
      sub(/\r$/, "", o)
      if (o !~ /^-?[0-9]+(\.[0-9]+)?$/) next
      o += 0
      if (!($1 in first) || o < first[$1]) first[$1] = o
      if (!seen || o > newest) newest = o
      seen = 1
    }
    END {
      if (!seen) exit 3
      cutoff = newest - days * 86400
      print "\t"
      for (p in first) { n++; if (first[p] >= cutoff) { print p; kept++ } }
      printf "window: %d of %d paths start within %s days of the newest view\n", kept, n, days >summary
    }
  ' summary="$1" "${@:2}"
}

# window_views INPUT FILE: the lines of INPUT (a file or a folder) whose path is in the window, into FILE.
window_views() {
  local paths=$2.paths rc=0
  local -a files
  read_inputs files "$1"
  window_paths "$paths.log" "${files[@]}" >"$paths" || rc=$?
  if ((rc == 3)); then
    die "$EXIT_USAGE" "--window needs the views' order, a third column (path_id<TAB>product_id<TAB>order, Unix seconds): $1 has none"
  fi
  ((rc == 0)) || die "$EXIT_UNEXPECTED" "--window: reading $1 failed"
  log "$(<"$paths.log")"
  LC_ALL=C awk -F'\t' 'NR == FNR { keep[$1] = 1; next } $1 in keep' "$paths" "${files[@]}" >"$2"
  rm -f -- "$paths" "$paths.log"
}

# window_apply VAR: with --window, the views in the window into the work directory, and VAR (the
# name of the variable holding the input) set to them.
window_apply() {
  local -n input_=$1
  [[ -n $WINDOW_DAYS ]] || return 0
  window_views "$input_" "$WORK_DIR/window-views.tsv"
  input_=$WORK_DIR/window-views.tsv
}
