# shellcheck shell=bash
# The MySQL layer of run-job.sh: export the views, import the result into a
# staging copy of the live table, check it, and swap it in with one atomic
# RENAME TABLE; a lock so runs never overlap. Sourced by run-job.sh, which
# calls db_parse_option, db_usage, db_configured, db_before_run, db_export,
# db_import and db_cleanup.
#
# Credentials: only in the MySQL option file given with --db-defaults-file,
# passed to every client as --defaults-extra-file. The password is never read
# by this script, never on a command line, in an environment or in the log.

# Settings, from the environment first (options override them).
DB_DEFAULTS_FILE=${VP_DB_DEFAULTS_FILE:-}
DB_NAME=${VP_DATABASE:-}
DB_TABLE=${VP_TABLE:-viewed_products}
DB_VIEWS_TABLE=${VP_VIEWS_TABLE:-recent_items}
DB_MIN_SHARE=${VP_MIN_SHARE:-0.5}
DB_FORCE=${VP_FORCE:-0}
DB_LOCK_FILE=${VP_LOCK_FILE:-}

# Run state (for the cleanup trap).
DB_ACTIVE=0        # this run uses the database (lock held)
DB_STAGING=''      # staging table this run may have created, until the swap
DB_OLD=''          # previous live table after the swap, until dropped
DB_LOCK_FD=''

db_usage() {
  cat <<'USAGE'
MySQL (the production job; without --input the views are exported, without
--output the result is imported; see README "Production job (MySQL)"):
  --db-defaults-file FILE  MySQL option file with the credentials ([client]
                           user, password, host/socket); passed to the clients
                           as --defaults-extra-file, mode 600   [VP_DB_DEFAULTS_FILE]
  --database NAME          database                                 [VP_DATABASE]
  --table NAME             result table (default viewed_products)   [VP_TABLE]
  --views-table NAME       views table (default recent_items)       [VP_VIEWS_TABLE]
  --min-share X            shrink guard: refuse when the new result has fewer
                           rows than X times the live table's, or none; X in
                           0..1 or a percentage (default 0.5)       [VP_MIN_SHARE]
  --force                  import even when the shrink guard would refuse  [VP_FORCE=1]
  --lock-file FILE         lock held for the whole run (default
                           ${TMPDIR:-/tmp}/viewed-products.DATABASE.lock)  [VP_LOCK_FILE]
  (--log FILE can also come from VP_LOG.)
USAGE
}

# db_parse_option ARGS...: consumes one of our options; returns how many words
# it used (1 or 2), or 0 when the option is not ours.
db_parse_option() {
  case $1 in
    --db-defaults-file) need_value "$1" $#; DB_DEFAULTS_FILE=$2; return 2 ;;
    --database) need_value "$1" $#; DB_NAME=$2; return 2 ;;
    --table) need_value "$1" $#; DB_TABLE=$2; return 2 ;;
    --views-table) need_value "$1" $#; DB_VIEWS_TABLE=$2; return 2 ;;
    --min-share) need_value "$1" $#; DB_MIN_SHARE=$2; return 2 ;;
    --lock-file) need_value "$1" $#; DB_LOCK_FILE=$2; return 2 ;;
    --force) DB_FORCE=1; return 1 ;;
    *) return 0 ;;
  esac
}

# db_configured: true when the run was given a database.
db_configured() {
  [[ -n $DB_NAME || -n $DB_DEFAULTS_FILE ]]
}

# db_valid_identifier NAME MAXLEN: a plain MySQL identifier (letters, digits, _).
db_valid_identifier() {
  [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ && ${#1} -le $2 ]]
}

# db_validate: checks the settings (exit 2 on a bad one).
db_validate() {
  [[ -n $DB_DEFAULTS_FILE ]] || usage_error "the database needs --db-defaults-file (or VP_DB_DEFAULTS_FILE)"
  [[ -n $DB_NAME ]] || usage_error "the database needs --database (or VP_DATABASE)"
  [[ -f $DB_DEFAULTS_FILE && -r $DB_DEFAULTS_FILE ]] ||
    usage_error "--db-defaults-file: not a readable file: $DB_DEFAULTS_FILE"
  [[ $DB_NAME =~ ^[A-Za-z0-9_]{1,64}$ ]] ||
    usage_error "--database: not a valid name (letters, digits and _ only, at most 64): $DB_NAME"
  # Room for the __new / __old suffixes within MySQL's 64 characters.
  db_valid_identifier "$DB_TABLE" 58 ||
    usage_error "--table: not a valid name (letter or _, then letters, digits, _; at most 58): $DB_TABLE"
  db_valid_identifier "$DB_VIEWS_TABLE" 64 ||
    usage_error "--views-table: not a valid name (letter or _, then letters, digits, _): $DB_VIEWS_TABLE"
  if [[ $DB_MIN_SHARE =~ ^([0-9]+(\.[0-9]+)?)%$ ]]; then
    DB_MIN_SHARE=$(awk -v p="${BASH_REMATCH[1]}" 'BEGIN { printf "%.6g", p / 100 }')
  fi
  if ! [[ $DB_MIN_SHARE =~ ^([0-9]+(\.[0-9]*)?|\.[0-9]+)$ ]] ||
    ! awk -v x="$DB_MIN_SHARE" 'BEGIN { exit !(x >= 0 && x <= 1) }'; then
    usage_error "--min-share must be between 0 and 1 (or 0% to 100%): $DB_MIN_SHARE"
  fi
  case $DB_FORCE in
    0 | '' | false | no) DB_FORCE=0 ;;
    *) DB_FORCE=1 ;;
  esac
  DB_LOCK_FILE=${DB_LOCK_FILE:-${TMPDIR:-/tmp}/viewed-products.$DB_NAME.lock}
}

# db_check_secrets: warns about an option file others can read, and keeps
# MYSQL_PWD (if set) out of every child process.
db_check_secrets() {
  local mode
  mode=$(stat -L -c '%a' -- "$DB_DEFAULTS_FILE")
  if (((8#$mode & 8#077) != 0)); then
    log "WARNING: $DB_DEFAULTS_FILE is accessible by group/others (mode $mode); it holds the database password: chmod 600 it"
  fi
  if [[ -n ${MYSQL_PWD+set} ]]; then
    log "WARNING: MYSQL_PWD is set in the environment; ignoring it (credentials come only from $DB_DEFAULTS_FILE)"
    unset MYSQL_PWD
  fi
}

# db_lock: takes the run lock or exits with EXIT_LOCKED.
db_lock() {
  local holder=''
  exec {DB_LOCK_FD}>>"$DB_LOCK_FILE" || die "$EXIT_UNEXPECTED" "cannot open the lock file $DB_LOCK_FILE"
  if ! flock -n "$DB_LOCK_FD"; then
    holder=$(head -c 20 -- "$DB_LOCK_FILE" 2>/dev/null | tr -cd '0-9' || true)
    die "$EXIT_LOCKED" "another run holds the lock $DB_LOCK_FILE${holder:+ (pid $holder)}; not starting"
  fi
  printf '%d\n' "$$" >"$DB_LOCK_FILE"
  log "lock: holding $DB_LOCK_FILE"
}

# db_client PROGRAM ARGS...: runs a MySQL client with the option file, its
# stderr captured and logged (timestamped) on failure.
db_client() {
  local prog=$1 rc=0 err
  shift
  err=$(mktemp "${WORK_DIR:-${TMPDIR:-/tmp}}/db-client.XXXXXX")
  "$prog" --defaults-extra-file="$DB_DEFAULTS_FILE" "$@" 2>"$err" || rc=$?
  if [[ -s $err ]]; then
    local line
    while IFS= read -r line; do log "$prog: $line"; done <"$err"
  fi
  rm -f -- "$err"
  return "$rc"
}

# db_wait COMMAND...: runs COMMAND in the background and waits for it, so a
# signal's trap runs at once instead of after COMMAND (the cleanup then stops it).
db_wait() {
  "$@" &
  wait "$!"
}

# db_sql SQL: runs statements in the database; prints rows (tab-separated, no header).
db_sql() {
  db_client mysql --batch --skip-column-names --default-character-set=binary \
    --connect-timeout=30 -e "$1" "$DB_NAME"
}

# db_table_exists NAME
db_table_exists() {
  local n
  n=$(db_sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '$1'") ||
    return 2
  [[ $n == 1 ]]
}

# db_before_run: validates, checks secrets, takes the lock and removes what a
# killed earlier run left behind. Nothing to do when the run needs no database.
db_before_run() {
  [[ -z $INPUT || -z $OUTPUT ]] || return 0
  db_validate
  db_check_secrets
  db_lock
  DB_ACTIVE=1
  if ! db_sql "SELECT 1" >/dev/null; then
    local code=$EXIT_EXPORT
    [[ -z $INPUT ]] || code=$EXIT_IMPORT
    die "$code" "cannot connect to database $DB_NAME with $DB_DEFAULTS_FILE"
  fi
  local t
  for t in "${DB_TABLE}__new" "${DB_TABLE}__old"; do
    if db_table_exists "$t"; then
      log "dropping $t, left behind by an interrupted run"
      db_sql "DROP TABLE IF EXISTS \`$t\`" || die "$EXIT_IMPORT" "cannot drop the leftover table $t"
    fi
  done
}

# db_export FILE: streams the views (path_id<TAB>product_id per line) into FILE.
db_export() {
  local file=$1 t0 rows
  t0=$(now)
  log "export: SELECT path_id, product_id FROM $DB_NAME.$DB_VIEWS_TABLE (streamed)"
  if ! db_wait db_client mysql --batch --skip-column-names --quick --default-character-set=binary \
    --connect-timeout=30 -e "SELECT path_id, product_id FROM \`$DB_VIEWS_TABLE\`" "$DB_NAME" >"$file"; then
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

# db_file_facts FILE: prints "rows weight_sum" of an import file.
db_file_facts() {
  awk -F'\t' '{ n++; s += $3 } END { printf "%d %.0f\n", n, s }' "$1"
}

# db_guard NEW_ROWS LIVE_ROWS: returns when the import may go ahead; otherwise
# asks (interactive terminal) or exits with EXIT_GUARD.
db_guard() {
  local new=$1 live=$2 why=''
  if ((new == 0)); then
    why="the new result is empty (live table: $live rows)"
  elif awk -v n="$new" -v l="$live" -v s="$DB_MIN_SHARE" 'BEGIN { exit !(n < s * l) }'; then
    why="the new result has $new rows, less than $DB_MIN_SHARE of the live table's $live"
  fi
  [[ -n $why ]] || return 0
  if ((DB_FORCE == 1)); then
    log "shrink guard: $why; importing anyway (--force)"
    return 0
  fi
  if [[ -t 0 ]] && [[ -x $DIST/confirm.js ]]; then
    log "shrink guard: $why; asking"
    if node "$DIST/confirm.js" --question "viewed-products: $why. Replace $DB_NAME.$DB_TABLE anyway?" >&2; then
      log "shrink guard: confirmed on the terminal; importing"
      return 0
    fi
    die "$EXIT_GUARD" "shrink guard: $why; not confirmed, $DB_TABLE left as it was"
  fi
  die "$EXIT_GUARD" "shrink guard: $why; refusing to replace $DB_TABLE (--force or --min-share to override)"
}

# db_import FILE: loads FILE (source<TAB>target<TAB>count lines) into a staging
# copy of the live table, checks it, and swaps it in atomically.
db_import() {
  local file=$1 t0 live=0 live_exists=1 facts rows sum staging=${DB_TABLE}__new old=${DB_TABLE}__old
  t0=$(now)
  [[ -f $file ]] || die "$EXIT_IMPORT" "import: no result file $file"
  facts=$(db_file_facts "$file")
  read -r rows sum <<<"$facts"
  db_table_exists "$DB_TABLE" || case $? in
    1) live_exists=0 ;;
    *) die "$EXIT_IMPORT" "import: cannot read the tables of $DB_NAME" ;;
  esac
  if ((live_exists == 1)); then
    live=$(db_sql "SELECT COUNT(*) FROM \`$DB_TABLE\`") || die "$EXIT_IMPORT" "import: cannot count $DB_TABLE"
  fi
  db_guard "$rows" "$live"

  # mysqlimport loads into the table named like the file.
  local link=$WORK_DIR/$staging.tsv
  ln -sfn -- "$(realpath -- "$file")" "$link"
  DB_STAGING=$staging
  local create="CREATE TABLE \`$staging\` LIKE \`$DB_TABLE\`"
  if ((live_exists == 0)); then
    log "import: $DB_TABLE does not exist yet; creating it from db/schema.sql's definition"
    create="CREATE TABLE \`$staging\` (
      source_product_id VARBINARY(255) NOT NULL, target_product_id VARBINARY(255) NOT NULL,
      count INT UNSIGNED NOT NULL, PRIMARY KEY (source_product_id, target_product_id)) ENGINE=InnoDB"
  fi
  db_sql "DROP TABLE IF EXISTS \`$staging\`; $create" || die "$EXIT_IMPORT" "import: cannot create $staging"
  log "import: mysqlimport --local of $rows rows into $DB_NAME.$staging"
  local report
  if ! db_wait db_client mysqlimport --local --default-character-set=binary \
    --columns=source_product_id,target_product_id,count \
    --fields-terminated-by='\t' --lines-terminated-by='\n' "$DB_NAME" "$link" >"$WORK_DIR/mysqlimport.out"; then
    die "$EXIT_IMPORT" "import: mysqlimport failed; $DB_TABLE left as it was"
  fi
  report=$(<"$WORK_DIR/mysqlimport.out")
  log "import: mysqlimport: $report"
  # With --local the server turns bad rows into warnings and skips duplicates, so check.
  if [[ ! $report =~ Skipped:\ 0\ +Warnings:\ 0$ ]]; then
    die "$EXIT_IMPORT" "import: mysqlimport skipped rows or gave warnings; $DB_TABLE left as it was"
  fi
  local got
  got=$(db_sql "SELECT COUNT(*), COALESCE(SUM(count), 0) FROM \`$staging\`") ||
    die "$EXIT_IMPORT" "import: cannot count $staging"
  if [[ $got != "$rows"$'\t'"$sum" ]]; then
    die "$EXIT_IMPORT" "import: $staging has ${got/$'\t'/ rows, weight sum } but the file has $rows rows, weight sum $sum; $DB_TABLE left as it was"
  fi
  log "import: $staging checked: $rows rows, weight sum $sum"

  if ((live_exists == 1)); then
    DB_OLD=$old
    db_sql "RENAME TABLE \`$DB_TABLE\` TO \`$old\`, \`$staging\` TO \`$DB_TABLE\`" ||
      die "$EXIT_IMPORT" "import: RENAME TABLE failed; $DB_TABLE left as it was"
  else
    db_sql "RENAME TABLE \`$staging\` TO \`$DB_TABLE\`" || die "$EXIT_IMPORT" "import: RENAME TABLE failed"
  fi
  DB_STAGING=''
  log "import: swapped in the new $DB_TABLE ($rows rows; previous had $live)"
  if ((live_exists == 1)); then
    if db_sql "DROP TABLE \`$old\`"; then
      DB_OLD=''
    else
      log "WARNING: could not drop $old (the next run drops it)"
    fi
  fi
  rm -f -- "$link"
  record_timing "import" "$(elapsed "$t0")"
  log "import: done in $(elapsed "$t0") s"
}

# db_cleanup: from the EXIT trap (after run-job.sh stopped leftover processes): drops the staging
# table of an unfinished import (the live table is untouched) and the old
# table after a swap.
db_cleanup() {
  ((DB_ACTIVE == 1)) || return 0
  local t
  for t in "$DB_STAGING" "$DB_OLD"; do
    [[ -n $t ]] || continue
    if db_sql "DROP TABLE IF EXISTS \`$t\`"; then
      log "cleanup: dropped $t"
    else
      log "WARNING: cleanup: could not drop $t (the next run drops it)"
    fi
  done
  DB_STAGING=''
  DB_OLD=''
}

# adapter (until helper E's conversion): db_parse_option sets OPT_USED, as the layer contract says.
# (eval: the old parser keeps its body under a new name, and the contract's takes its name)
eval "db_parse_option_old() $(declare -f db_parse_option | tail -n +2)"
eval 'db_parse_option() { OPT_USED=0; db_parse_option_old "$@" || OPT_USED=$?; }'
