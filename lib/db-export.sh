# shellcheck shell=bash
# The export half of the MySQL layer: the views streamed into a file for the
# job, and --export-views (the views with their time, for dist/evaluate.js).
# Sourced by lib/db.sh.

# db_export_rows FILE COLUMNS [WHERE]: the views query's rows (the SELECT list COLUMNS) into FILE, through cat: the mysql
# client does not fail when its stdout cannot be written (a full disk), cat does.
db_export_rows() {
  local columns=$2 err=${LOG_DIR:-${TMPDIR:-/tmp}}/export-write.log rc=0
  db_client mysql --batch --skip-column-names --quick --default-character-set=binary \
    --connect-timeout=30 -e "SELECT $columns FROM \`$DB_VIEWS_TABLE\`${3:+ WHERE $3}" "$DB_NAME" |
    cat >"$1" 2>"$err" || rc=$?
  [[ ! -s $err ]] || log "export: $(<"$err")"
  return "$rc"
}

# db_export FILE [COLUMNS [WHERE]]: streams the views (path_id<TAB>product_id per line,
# or the SELECT list COLUMNS, with the order column and --window's WHERE: db_job_export) into FILE.
db_export() {
  local file=$1 columns=${2:-path_id, product_id} where=${3:-} t0 rows
  t0=$(now)
  log "export: SELECT $columns FROM $DB_NAME.$DB_VIEWS_TABLE${where:+ WHERE $where} (streamed)"
  if ! db_wait db_export_rows "$file" "$columns" "$where"; then
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

# db_job_export FILE DAYS: the job's export: path_id, product_id, and with --order-column the
# order as a number (a date or time column as UNIX_TIMESTAMP); with DAYS (--window), only the
# paths whose first view is at most DAYS + 1 days older than the newest view (the WHERE reads the
# window through the column's index; the day of slack covers time zone shifts: the job then
# applies the exact window to the export, lib/window.sh).
db_job_export() {
  local type column=\`$DB_ORDER_COLUMN\` order cutoff slack
  if [[ -z $DB_ORDER_COLUMN ]]; then
    db_export "$1"
    return
  fi
  type=$(db_sql "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$DB_VIEWS_TABLE' AND COLUMN_NAME = '$DB_ORDER_COLUMN'") ||
    die "$EXIT_EXPORT" "export: cannot read the type of $DB_VIEWS_TABLE.$DB_ORDER_COLUMN"
  slack=$(awk -v d="${2:-0}" 'BEGIN { printf "%d", (d + 1) * 86400 }')
  case ${type,,} in
    date | datetime | timestamp) order="UNIX_TIMESTAMP($column)" cutoff="(SELECT MAX($column) FROM \`$DB_VIEWS_TABLE\`) - INTERVAL $slack SECOND" ;;
    tinyint | smallint | mediumint | int | bigint | decimal | float | double) order=$column cutoff="(SELECT MAX($column) FROM \`$DB_VIEWS_TABLE\`) - $slack" ;;
    '') die "$EXIT_EXPORT" "export: --order-column: $DB_NAME.$DB_VIEWS_TABLE has no column $DB_ORDER_COLUMN" ;;
    *) die "$EXIT_EXPORT" "export: --order-column $DB_ORDER_COLUMN is a ${type,,}, not a number, date or time" ;;
  esac
  [[ -n ${2:-} ]] || cutoff=''
  db_export "$1" "path_id, product_id, $order" "${cutoff:+$column >= $cutoff AND NOT EXISTS (SELECT 1 FROM \`$DB_VIEWS_TABLE\` o WHERE o.path_id = \`$DB_VIEWS_TABLE\`.path_id AND o.$column < $cutoff)}"
}
