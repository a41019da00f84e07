# shellcheck shell=bash
# Up-front checks of the paths and option combinations a run is given, so that a
# mistake is a usage error (exit 2, one line) before anything is installed,
# built, locked or run, instead of a failure after the whole job. Sourced by
# lib/common.sh; run-job.sh calls check_log_file before redirecting stderr and
# check_run from validate_args (job-plan.js checks the job options, lib/plan.sh).
# After the job, check_views checks that the input was views (from the counters
# of the plan's views phase, lib/counters.sh).

# check_dir_target OPTION DIR: DIR is a directory this run can write into, or
# one `mkdir -p` can create.
check_dir_target() {
  local opt=$1 d=$2 p
  while [[ $d == */ && $d != / ]]; do d=${d%/}; done
  if [[ -e $d || -L $d ]]; then
    [[ -d $d ]] || die "$EXIT_USAGE" "$opt $2: exists and is not a directory"
    [[ -w $d && -x $d ]] || die "$EXIT_USAGE" "$opt $2: directory is not writable"
    return 0
  fi
  # mkdir -p starts at the nearest existing ancestor.
  p=$d
  while [[ ! -e $p && ! -L $p ]]; do p=$(dirname -- "$p"); done
  [[ -d $p ]] || die "$EXIT_USAGE" "$opt $2: cannot be created, $p is not a directory"
  [[ -w $p && -x $p ]] || die "$EXIT_USAGE" "$opt $2: cannot be created, $p is not writable"
}

# check_log_file FILE: FILE (--log or VP_LOG) can be appended to.
check_log_file() {
  local f=$1 d
  if [[ -e $f ]]; then
    [[ ! -d $f ]] || die "$EXIT_USAGE" "--log $f: is a directory"
    [[ -w $f ]] || die "$EXIT_USAGE" "--log $f: is not writable"
    return 0
  fi
  d=$(dirname -- "$f")
  [[ -d $d ]] || die "$EXIT_USAGE" "--log $f: folder $d does not exist"
  [[ -w $d && -x $d ]] || die "$EXIT_USAGE" "--log $f: folder $d is not writable"
}

# check_input INPUT: a readable file, a folder with readable input files, a
# pipe or /dev/stdin; an s3:// URI only for the EMR runner, which reads it in place.
check_input() {
  local input=$1 f
  local -a files
  if [[ $input == s3://* ]]; then
    [[ $RUNNER == emr ]] || die "$EXIT_USAGE" "an s3:// --input needs --runner emr: $input"
    return 0
  fi
  if [[ -d $input && ! (-r $input && -x $input) ]]; then
    die "$EXIT_USAGE" "cannot read input folder: $input"
  fi
  if [[ -e $input && ! -d $input && ! -f $input && ! -p $input && $input != /dev/stdin ]]; then
    die "$EXIT_USAGE" "input is not a file, folder or pipe: $input"
  fi
  read_inputs files "$input"
  for f in "${files[@]}"; do
    [[ -r $f ]] || die "$EXIT_USAGE" "cannot read input: $f"
  done
}

# check_run: the paths (--input, --output, --work-dir) and the combinations of
# options that would fail late or be silently ignored.
check_run() {
  local out=$OUTPUT
  if ((DEMO == 1)); then
    [[ -z $INPUT ]] || die "$EXIT_USAGE" "--demo generates its own views: give --demo or --input, not both"
    out=${OUTPUT:-$ROOT/out/demo}
  fi
  [[ -z $INPUT ]] || check_input "$INPUT"
  if [[ -n $out ]]; then
    check_dir_target --output "$out"
    [[ ! -d $out/viewed_products.tsv ]] || die "$EXIT_USAGE" "--output $out: viewed_products.tsv in it is a directory"
  fi
  [[ -z $WORK_ARG ]] || check_dir_target --work-dir "$WORK_ARG"
}

# check_views INPUT [LABEL]: fails the run (exit 60, before anything is written)
# when the plan's views phase kept no view of INPUT (named LABEL in the message,
# INPUT by default), or skipped 90% or more of its lines other than headers: the
# input is not views (another separator, say). Only then does inspect-input.js
# read INPUT's first file, to say what its lines look like.
check_views() {
  local phase input=$1 label=${2:-$1} lines views skipped=0 n reason reasons='' message what files shape=''
  phase=$(plan_word '' views-phase)
  lines=$(($(recorded_counter "$phase" map_lines) - $(recorded_counter "$phase" header_lines)))
  views=$(recorded_counter "$phase" views_in)
  if ((lines <= 0)); then
    views_unchecked "$input" "$phase" && log "input check skipped: no phase-1 counters (the runner could not read the job's counters)"
    return 0
  fi
  for reason in 'wrong_field_count:wrong field count' 'empty_field:empty field' 'null_id:NULL id' 'too_long:too long' \
    'bad_order:order not a number' 'missing_order:no order column'; do
    n=$(recorded_counter "$phase" "skipped_${reason%%:*}")
    ((n == 0)) || reasons+="${reasons:+, }${reason#*:} $n"
    skipped=$((skipped + n))
  done
  # --score proximity on views without their order (two columns): a usage error naming the column.
  if ((views == 0 && $(recorded_counter "$phase" skipped_missing_order) > 0)); then
    die "$EXIT_USAGE" "$(missing_order_message "$label")"
  fi
  ((views == 0 || skipped * 10 >= lines * 9)) || return 0
  if ((views == 0)); then
    message="no valid views in $label ($skipped of $lines lines skipped: $reasons)"
  else
    message="$skipped of $lines lines of $label skipped ($reasons): 90% or more, so the input is not views"
  fi
  mapfile -t files < <(input_files "$1" 2>/dev/null)
  if [[ ${#files[@]} -gt 0 && -f ${files[0]} ]]; then
    what=${files[0]##*/}
    [[ ${files[0]} == "$1" ]] && what='its lines' || what="the lines of its first file, $what,"
    shape=$(node "$DIST/inspect-input.js" --subject "$what" <"${files[0]}") || shape=''
  fi
  die "$EXIT_NOT_VIEWS" "$message${shape:+; $shape}"
}

# views_unchecked INPUT PHASE: true when the views phase PHASE recorded no counter at
# all (EMR with --cluster-id reads none) while INPUT is not known to be empty (all files empty).
views_unchecked() {
  local phase rest f
  while IFS=$'\t' read -r phase rest; do
    [[ $phase != "$2" ]] || return 1
  done <"$WORK_DIR/counters.tsv"
  while IFS= read -r f; do
    [[ -f $f && ! -s $f ]] || return 0
  done < <(input_files "$1" 2>/dev/null)
  return 1
}

# missing_order_message LABEL: --score proximity's error for views of two columns.
missing_order_message() {
  printf '%s' "--score proximity needs the views' order, a third column (path_id<TAB>product_id<TAB>order, a number): $1 has two columns"
}

# check_order_column INPUT: with --score proximity, a usage error when INPUT (a file, or a
# folder's first file) starts with a line of two columns; other lines are checked by phase 1.
check_order_column() {
  local f line
  [[ ${SCORE:-} == proximity ]] || return 0
  f=$(input_files "$1" 2>/dev/null | head -n 1) || return 0
  [[ -n $f && -f $f && -r $f ]] || return 0
  IFS= read -r line <"$f" || [[ -n $line ]] || return 0
  line=${line%$'\r'}
  [[ $line == *$'\t'* && $line != *$'\t'*$'\t'* ]] || return 0
  die "$EXIT_USAGE" "$(missing_order_message "$1")"
}
