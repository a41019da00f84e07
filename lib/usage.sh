# shellcheck shell=bash
# The end of run-job.sh's --help: examples, where to look at the result, and
# the exit codes (README.md's table lists the same). Sourced, not run.

# usage_epilog: prints the examples and exit codes after the options.
usage_epilog() {
  cat <<'USAGE'

Examples:
  ./run-job.sh --input views.tsv --output out/
      run on a file (or a folder of files) -> out/viewed_products.tsv
  ./run-job.sh --demo
      sample views -> out/demo/viewed_products.tsv, and a few products' lists
  ./run-job.sh --db-defaults-file /etc/viewed-products/db.cnf --database shop \
      --log /var/log/viewed-products.log
      the nightly job: export from MySQL, both phases, import (docs/mysql.md)

One product's list:
  node dist/related.js --result out/viewed_products.tsv --product ID [--top N]
      from a result file (exit 3: the product is not in it)
  ops/top-products.sh --db-defaults-file FILE --database shop [--top N] ID...
      from the database (exit 3: a product is not in the table)

Exit codes: 0 ok, 2 usage, 10 export failed, 20 a phase failed, 30 import
failed, 40 shrink guard refused the import, 50 another run holds the lock,
60 the input is not views (no valid view, or 90% or more of its lines
skipped; nothing written), 70 not enough free space in the work directory
for the next phase (docs/operations.md), 130/143 interrupted (SIGINT/SIGTERM),
1 anything else.
USAGE
}
