#!/usr/bin/env bash
# The three public data sets as evaluator input (path<TAB>product<TAB>time), and
# the one command that reproduces docs/evaluation.md's numbers and charts.
#   tools/eval-data.sh movielens FILE     user as path, item as product, timestamp
#   tools/eval-data.sh diginetica FILE    session as path, itemId as product, time in
#                                         seconds = (eventdate in ms + timeframe in ms) / 1000
#   tools/eval-data.sh yoochoose FILE     SessionId as path, ItemId as product, Time
#                                         (seconds), the header line dropped
#   tools/eval-data.sh publish [DATA_DIR] the tables (TSV) and verdicts, the charts
#                                         docs/hr-at-k.svg (MovieLens), docs/hr-at-k-{diginetica,yoochoose}.svg,
#                                         and MovieLens with --window 180, 150, 120, 90 and 60 days
set -Eeuo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly WINDOWS=(180 150 120 90 60)

movielens() {
  awk -F'\t' -v OFS='\t' '{ print $1, $2, $4 }' "$1"
}

# Days since 1970-01-01 by the civil-from-days inverse (plain awk, no mktime); seconds, as the
# job's --window reads the order column, with the milliseconds as three decimals.
diginetica() {
  awk -F';' -v OFS='\t' '
    function days(date,   d, y, m, era, yoe, doy) {
      split(date, d, "-"); y = d[1] - (d[2] <= 2); m = d[2] + 0; era = int(y / 400)
      yoe = y - era * 400; doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d[3] - 1
      return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
    }
    NR > 1 { sub(/\r$/, ""); printf "%s\t%s\t%.3f\n", $1, $3, (days($5) * 86400000 + $4) / 1000 }' "$1"
}

# Already session<TAB>item<TAB>seconds: only its header (SessionId, ItemId, Time) goes.
yoochoose() {
  awk 'NR > 1 { sub(/\r$/, ""); print }' "$1"
}

# One evaluation: the TSV table, then its verdict (the evaluator's last stderr line) as a comment.
evaluation() {
  local err=$1
  shift
  if ! node "$ROOT/dist/evaluate.js" "$@" --format tsv 2>"$err"; then
    cat -- "$err" >&2
    return 1
  fi
  printf '# %s\n' "$(tail -n 1 -- "$err")"
}

publish() {
  local data=${1:-$ROOT/../shared/data} tmp name chart days
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/vp-eval-data.XXXXXX")
  trap 'rm -rf -- "$tmp"' EXIT
  (cd "$ROOT" && npm run --silent build >&2)
  movielens "$data/movielens-100k-u.data.tsv" >"$tmp/movielens.tsv"
  diginetica "$data/diginetica-sample-train-item-views.csv" >"$tmp/diginetica.tsv"
  yoochoose "$data/yoochoose-100k-train.tsv" >"$tmp/yoochoose.tsv"
  for name in movielens diginetica yoochoose; do
    chart=$ROOT/docs/hr-at-k-$name.svg
    [[ $name != movielens ]] || chart=$ROOT/docs/hr-at-k.svg
    printf '# %s\n' "$name"
    evaluation "$tmp/err" --views "$tmp/$name.tsv" --chart "$chart"
  done
  for days in "${WINDOWS[@]}"; do
    printf '# movielens --window %s\n' "$days"
    evaluation "$tmp/err" --views "$tmp/movielens.tsv" --window "$days"
  done
}

main() {
  case ${1:-} in
    movielens | diginetica | yoochoose) (($# == 2)) || { echo "usage: $0 $1 FILE" >&2; exit 2; }; "$1" "$2" ;;
    publish) shift; publish "$@" ;;
    *) sed -n '2,11p' "$0" >&2; exit 2 ;;
  esac
}

main "$@"
