# shellcheck shell=bash
# --demo: sample views generated into out/demo (or --output), the job run on
# them by the chosen runner, and a few products' lists printed. Sourced by run-job.sh.

# run_demo: the whole demo; RESULT_FILE stays empty when the runner only submitted.
run_demo() {
  local out=${OUTPUT:-$ROOT/out/demo}
  # The views are kept next to the result (named so a user's views.tsv there is never overwritten).
  local views=$out/demo-views.tsv
  mkdir -p -- "$out"
  log "demo: generating sample views into $views"
  node "$DIST/generate-views.js" --paths 20000 --products 500 --catalog "$out/catalog.tsv" >"$views"
  "${RUNNER}_run" "$views" "$WORK_DIR"
  [[ -n $RESULT_FILE ]] || return 0
  print_summary
  write_output "$out"
  local related=(node "$DIST/related.js" --views "$views" --result "$out/viewed_products.tsv")
  "${related[@]}" --products 3 --top 5
  log "demo: more products, longer lists: $(printf '%q ' "${related[@]}")--products 10 --top 10"
  log "demo: one product's whole list: $(printf '%q ' node "$DIST/related.js" --result "$out/viewed_products.tsv")--product ID --top 0"
  log "demo: the gallery: $(printf '%q ' node "$DIST/serve.js" --result "$out/viewed_products.tsv" --catalog "$out/catalog.tsv")(then open the URL it prints, http://127.0.0.1:8080/)"
}
