# shellcheck shell=bash
# The export half of the MySQL layer: the views streamed into a file for the
# job, and --export-views (the views with their time, for dist/evaluate.js).
# Sourced by lib/db.sh.

# db_export_rows FILE COLUMNS: the views query's rows (the SELECT list COLUMNS) into FILE, through cat: the mysql
# client does not fail when its stdout cannot be written (a full disk), cat does.
db_export_rows() {
  local columns=$2 err=${LOG_DIR:-${TMPDIR:-/tmp}}/export-write.log rc=0
  db_client mysql --batch --skip-column-names --quick --default-character-set=binary \
    --connect-timeout=30 -e "SELECT $columns FROM \`$DB_VIEWS_TABLE\`" "$DB_NAME" |
    cat >"$1" 2>"$err" || rc=$?
  [[ ! -s $err ]] || log "export: $(<"$err")"
  return "$rc"
}

# db_export FILE [COLUMNS]: streams the views (path_id<TAB>product_id per line,
# or the SELECT list COLUMNS) into FILE.
db_export() {
  local file=$1 columns=${2:-path_id, product_id} t0 rows
  t0=$(now)
  log "export: SELECT $columns FROM $DB_NAME.$DB_VIEWS_TABLE (streamed)"
  if ! db_wait db_export_rows "$file" "$columns"; then
    die "$EXIT_EXPORT" "export from $DB_NAME.$DB_VIEWS_TABLE failed"
  fi
  rows=$(wc -l <"$file")
  record_timing "export" "$(elapsed "$t0")"
  if ((rows == 0)); then
    log "WARNING: export: $DB_VIEWS_TABLE is empty; the shrink guard will refuse to import an empty result"
  else
    log "export: $rows rows in $(elapsed "$t0") s"
  fi
}

# db_export_views: --export-views FILE, a run of its own (no lock taken): the
# views with their time (whole seconds, or with the column's fractions), for
# dist/evaluate.js; FILE appears only once complete.
db_export_views() {
  db_check_secrets
  if ! db_sql "SELECT 1" >/dev/null; then
    die "$EXIT_EXPORT" "cannot connect to database $DB_NAME with $DB_DEFAULTS_FILE"
  fi
  local partial=$DB_EXPORT_VIEWS.partial rc=0
  (db_export "$partial" 'path_id, product_id, UNIX_TIMESTAMP(viewed_at)') || rc=$?
  if ((rc != 0)); then
    rm -f -- "$partial"
    exit "$rc"
  fi
  mv -f -- "$partial" "$DB_EXPORT_VIEWS"
  log "wrote $DB_EXPORT_VIEWS (path_id<TAB>product_id<TAB>UNIX_TIMESTAMP(viewed_at)): node dist/evaluate.js --views $DB_EXPORT_VIEWS"
}
