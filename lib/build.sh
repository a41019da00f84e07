# shellcheck shell=bash
# dist/ before a run: the bundles the runners execute, built when missing or
# older than their sources. Sourced by run-job.sh (uses ROOT, DIST, lib/common.sh).

# What dist/ is built from, relative to ROOT (test/build.test.ts reads this list too).
BUILD_SOURCES=(src mappers reducers bin runner build.mjs)

# ensure_built: installs the npm packages and bundles dist/ when missing or stale.
ensure_built() {
  local stale=0 f
  if [[ ! -x $DIST/pairs-reducer.js ]]; then
    stale=1
  elif [[ -f $ROOT/package.json ]]; then
    # -H: a folder linked into the checkout (a deployment, a test's copy) is judged by its files, not the link's own time.
    f=$(find -H "${BUILD_SOURCES[@]/#/$ROOT/}" -newer "$DIST/pairs-reducer.js" -print -quit 2>/dev/null || true)
    [[ -z $f ]] || stale=1
  fi
  ((stale == 1)) || return 0
  command -v npm >/dev/null || die "$EXIT_UNEXPECTED" "dist/ needs building and npm is not installed"
  if [[ ! -d $ROOT/node_modules/esbuild ]]; then
    log "installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "$EXIT_UNEXPECTED" "npm ci failed"
  fi
  log "building dist/ (npm run build)"
  (cd "$ROOT" && npm run --silent build >&2) || die "$EXIT_UNEXPECTED" "build failed"
}
