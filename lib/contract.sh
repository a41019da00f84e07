# shellcheck shell=bash
# The runner contract (docs/runners.md): what run-job.sh does with its list of
# layers (LAYERS): offer them the options, print their help, call their checks
# and cleanups, and check that each defines the functions the contract names.
# Sourced by lib/common.sh; every function takes the layers as arguments.

# The functions every layer defines, and those a runner (a layer with <layer>_run) adds.
readonly CONTRACT_LAYER_FUNCTIONS=(usage parse_option check_options validate cleanup)
readonly CONTRACT_RUNNER_FUNCTIONS=(needs_result run)

# contract_is_runner LAYER: true when LAYER defines any runner function (then it must define all).
contract_is_runner() {
  local f
  for f in "${CONTRACT_RUNNER_FUNCTIONS[@]}"; do
    if declare -F "${1}_$f" >/dev/null; then return 0; fi
  done
  return 1
}

# contract_check LAYER...: prints each function a LAYER lacks (one name a line);
# fails when one is missing.
contract_check() {
  local layer f missing=0
  local -a wanted
  for layer; do
    wanted=("${CONTRACT_LAYER_FUNCTIONS[@]}")
    if contract_is_runner "$layer"; then wanted+=("${CONTRACT_RUNNER_FUNCTIONS[@]}"); fi
    for f in "${wanted[@]}"; do
      declare -F "${layer}_$f" >/dev/null && continue
      printf '%s_%s\n' "$layer" "$f"
      missing=1
    done
  done
  ((missing == 0))
}

# contract_require LAYER...: exits (1) naming each function a LAYER lacks, before the run starts.
contract_require() {
  local missing
  missing=$(contract_check "$@") ||
    die "$EXIT_UNEXPECTED" "the layers lack functions of the runner contract (docs/runners.md): ${missing//$'\n'/ }"
}

# contract_report LAYER...: one line per LAYER, "LAYER<TAB>runner" or "LAYER<TAB>layer" (--check-contract).
contract_report() {
  local layer
  for layer; do
    if contract_is_runner "$layer"; then printf '%s\trunner\n' "$layer"; else printf '%s\tlayer\n' "$layer"; fi
  done
}

# contract_runners ARRAY LAYER...: sets ARRAY to the LAYERs that are runners, in order.
contract_runners() {
  local -n runners_=$1
  shift
  local layer
  runners_=()
  for layer; do
    if contract_is_runner "$layer"; then runners_+=("$layer"); fi
  done
}

# contract_parse_option PARSER ARGS...: runs PARSER (the run's own or a
# layer's), which must set OPT_USED to the words it took, 0 when "$1" is not its option.
contract_parse_option() {
  local parser=$1
  shift
  OPT_USED=''
  "$parser" "$@"
  if ! [[ $OPT_USED =~ ^[0-9]$ ]] || ((OPT_USED > $#)); then
    die "$EXIT_UNEXPECTED" "$parser set OPT_USED to '$OPT_USED' for $1, not a count of its $# words (docs/runners.md)"
  fi
}

# contract_usage PART LAYER...: each LAYER's help: PART job, its lines in the Job
# options; PART section, its own section after them.
contract_usage() {
  local part=$1 layer
  shift
  for layer; do "${layer}_usage" "$part"; done
}

# contract_check_options LAYER...: each LAYER's check of its options (every run, whatever the runner).
contract_check_options() {
  local layer
  for layer; do "${layer}_check_options"; done
}

# contract_cleanup LAYER...: each LAYER's cleanup, last layer first (from the
# EXIT trap: a failing one does not stop the others).
contract_cleanup() {
  local i
  for ((i = $#; i >= 1; i--)); do "${!i}_cleanup" || true; done
}

# contract_has WORD CHOICE...: true when WORD is one of the CHOICEs.
contract_has() {
  local word=$1 choice
  shift
  for choice; do
    [[ $word != "$choice" ]] || return 0
  done
  return 1
}

# contract_choices WORD...: "a, b or c", for a usage message.
contract_choices() {
  local out=''
  while (($# > 1)); do
    out+="${out:+, }$1"
    shift
  done
  printf '%s%s\n' "${out:+$out or }" "${1:-}"
}
