# shellcheck shell=bash
# The job's plan, as `dist/job-plan.js plan` renders it from the job definition
# (src/job/phases.ts; the format: docs/job-definition.md): the phases in the
# order they run, what each reads and writes, the local runner's task commands,
# which phase reads the views and how the result is finished. The runners loop
# over it and name no phase. Sourced by lib/common.sh.

PLAN=() # the plan's lines (TAB-separated words), set by plan_load

# plan_load WORDS...: the plan for the job settings WORDS (job-plan.js's options) into PLAN; a bad setting (job-plan.js exit 2) is run-job.sh's usage error.
# Renderings are kept in .cache/plans, since a Node start is a share of a small job;
# they are keyed by job-plan.js's checksum (a deployed dist/ may keep old timestamps),
# dist/ and the settings; only a rendering that succeeded is kept.
plan_load() {
  local sum key cache tmp rc=0 message
  read -r sum _ < <(cksum -- "$DIST/job-plan.js") || die "$EXIT_UNEXPECTED" "cannot read $DIST/job-plan.js"
  cache=$ROOT/.cache/plans/$sum
  # The key is a checksum of the exact words, so no two settings share a rendering.
  read -r key _ < <(printf '%s\0' "$DIST" "$@" | cksum)
  if [[ -f $cache/$key ]]; then
    mapfile -t PLAN <"$cache/$key"
    return 0
  fi
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/viewed-products-plan.XXXXXX")
  node "$DIST/job-plan.js" plan --files-dir "$DIST" "$@" >"$tmp/plan" 2>"$tmp/err" || rc=$?
  if ((rc != 0)); then
    message=$(head -n 1 -- "$tmp/err")
    rm -rf -- "$tmp"
    ((rc != EXIT_USAGE)) || usage_error "${message#job-plan: }"
    die "$EXIT_UNEXPECTED" "job-plan.js plan failed (exit $rc): $message"
  fi
  mapfile -t PLAN <"$tmp/plan"
  # Best effort (a read-only checkout only renders again): renderings of other builds go.
  { [[ -d $cache ]] || find "$ROOT/.cache/plans" -mindepth 1 -maxdepth 1 -type d -exec rm -rf -- {} + 2>/dev/null || true
    mkdir -p -- "$cache" && mv -f -- "$tmp/plan" "$cache/$key.$$" && mv -f -- "$cache/$key.$$" "$cache/$key"
  } 2>/dev/null || true
  rm -rf -- "$tmp"
}

# plan_phases ARRAY: the phase ids, in the order they run.
plan_phases() {
  local -n ids_=$1
  local line
  ids_=()
  for line in "${PLAN[@]}"; do
    [[ $line != phase$'\t'* ]] || ids_+=("${line#phase$'\t'}")
  done
}

# plan_rows ARRAY PHASE: the lines of PHASE (those after its `phase` line, up to
# the next); PHASE '' gives the job's own lines (before the first phase).
plan_rows() {
  local -n rows_=$1
  local line in=0
  [[ -n $2 ]] || in=1
  rows_=()
  for line in "${PLAN[@]}"; do
    if [[ $line == phase$'\t'* ]]; then
      in=0
      [[ ${line#phase$'\t'} != "$2" ]] || in=1
    elif ((in == 1)); then
      rows_+=("$line")
    fi
  done
}

# plan_words ARRAY PHASE KEY: the words after KEY on PHASE's first KEY line ('' PHASE:
# the job's lines); ARRAY is empty when there is none.
plan_words() {
  local -n words_=$1
  local -a rows
  local row
  words_=()
  plan_rows rows "$2"
  for row in "${rows[@]}"; do
    [[ $row == "$3" || $row == "$3"$'\t'* ]] || continue
    IFS=$'\t' read -r -a words_ <<<"$row"
    words_=("${words_[@]:1}")
    return 0
  done
}

# plan_get VAR PHASE KEY: sets VAR to the first word after KEY on PHASE's KEY line ('' when none).
plan_get() {
  local -a w
  plan_words w "$2" "$3"
  printf -v "$1" '%s' "${w[0]:-}"
}

# plan_word PHASE KEY: the same on stdout.
plan_word() {
  local word
  plan_get word "$1" "$2"
  printf '%s\n' "$word"
}

# plan_input_files ARRAY PHASE BASE VIEWS...: what PHASE's map tasks read: the
# VIEWS for its `input views` line, the part files of BASE/<output> for each
# `input phase ID` line.
plan_input_files() {
  local -n found_=$1
  local phase=$2 base=$3 row out
  shift 3
  local -a rows words
  found_=()
  plan_rows rows "$phase"
  for row in "${rows[@]}"; do
    [[ $row == input$'\t'* ]] || continue
    IFS=$'\t' read -r -a words <<<"$row"
    if [[ ${words[1]} == views ]]; then
      found_+=("$@")
    else
      plan_get out "${words[2]}" output
      found_+=("$base/$out"/part-*)
    fi
  done
}

# plan_finish VAR ORDER: sets VAR to how the result's parts are finished (merge or
# sort) by a runner whose shuffle sorts by ORDER (line: whole lines; key: the key only).
plan_finish() {
  local -a rows
  local row
  plan_rows rows ''
  for row in "${rows[@]}"; do
    [[ $row != finish$'\t'"$2"$'\t'* ]] || { printf -v "$1" '%s' "${row##*$'\t'}"; return 0; }
  done
  die "$EXIT_UNEXPECTED" "the plan has no finish for a $2-ordered shuffle"
}

# plan_outputs: the phases' output folder names, one a line.
plan_outputs() {
  local -a ids
  local id
  plan_phases ids
  for id in "${ids[@]}"; do plan_word "$id" output; done
}
