# shellcheck shell=bash
# The local runner's commands of both phases, as `job-plan.js local-phase`
# renders them from the one job definition (src/job/phases.ts), with a cache of
# the renderings. Sourced by lib/local.sh.

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
  key="$DIST ${JOB_ARGS[*]}"
  key=${key//[^A-Za-z0-9._=-]/_}
  plans_=()
  for p in 1 2; do
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
