# shellcheck shell=bash
# The MySQL layer of run-job.sh: export the views, import the result into a
# staging copy of the live table, check it, and swap it in with one atomic
# RENAME TABLE (lib/db-export.sh, lib/db-import.sh); a lock so runs never overlap. Sourced by
# run-job.sh: a layer of the runner contract (docs/runners.md), not a runner;
# run-job.sh also calls db_configured, db_export_only, db_export_views,
# db_before_run, db_views_label, db_export and db_import.
#
# Credentials: only in the MySQL option file given with --db-defaults-file,
# passed to every client as --defaults-file (no other option file is read, so
# ~/.my.cnf cannot override the user). The password is never read by this
# script, never on a command line, in an environment or in the log.

# shellcheck source=lib/db-export.sh
source "${BASH_SOURCE[0]%/*}/db-export.sh"
# shellcheck source=lib/db-import.sh
source "${BASH_SOURCE[0]%/*}/db-import.sh"
# shellcheck source=lib/db-lock.sh
source "${BASH_SOURCE[0]%/*}/db-lock.sh"
# shellcheck source=lib/db-staging.sh
source "${BASH_SOURCE[0]%/*}/db-staging.sh"

# Settings, from the environment first (options override them).
DB_DEFAULTS_FILE=${VP_DB_DEFAULTS_FILE:-}
DB_NAME=${VP_DATABASE:-}
DB_TABLE=${VP_TABLE:-viewed_products}
DB_STAGING_DB=${VP_STAGING_DATABASE:-}  # --staging-database: the staging tables' database (default DATABASE_staging)
DB_VIEWS_TABLE=${VP_VIEWS_TABLE:-recent_items}
DB_MIN_SHARE=${VP_MIN_SHARE:-0.5}
DB_FORCE=${VP_FORCE:-0}
DB_LOCK_FILE=${VP_LOCK_FILE:-}
DB_ORDER_COLUMN=${VP_ORDER_COLUMN:-}  # --order-column: the views' order, exported as a 3rd column
DB_EXPORT_VIEWS=''  # --export-views FILE: export with times for dist/evaluate.js, and stop

# Run state (for the cleanup trap).
DB_ACTIVE=0        # this run uses the database (lock held)
DB_STAGING=''      # staging table this run may have created (DATABASE.TABLE), until the swap
DB_OLD=''          # previous live table after the swap (DATABASE.TABLE), until dropped
DB_CLIENT_ERROR='' # the last client's stderr

# db_usage PART: its own section (no Job option lines).
db_usage() {
  [[ $1 == section ]] || return 0
  cat <<'USAGE'
MySQL (the production job; without --input the views are exported, without
--output the result is imported; see docs/mysql.md):
  --db-defaults-file FILE  MySQL option file with the credentials ([client]
                           user, password, host/socket, ssl-*); the clients
                           read it alone (--defaults-file), mode 600  [VP_DB_DEFAULTS_FILE]
  --database NAME          database                                 [VP_DATABASE]
  --table NAME             result table (default viewed_products)   [VP_TABLE]
  --staging-database NAME  database of the run's staging tables, the job
                           user's own (default DATABASE_staging)  [VP_STAGING_DATABASE]
  --views-table NAME       views table (default recent_items)       [VP_VIEWS_TABLE]
  --min-share X            shrink guard: refuse when the new result has fewer
                           rows than X times the live table's, or none; X in
                           0..1 or a percentage (default 0.5)       [VP_MIN_SHARE]
  --force                  import even when the shrink guard would refuse  [VP_FORCE=1]
  --lock-file FILE         file lock held for the whole run, besides the
                           server's GET_LOCK('viewed-products.DATABASE')
                           (default $XDG_RUNTIME_DIR/viewed-products/DATABASE.lock,
                           or under ~/.cache; a folder private to the user)  [VP_LOCK_FILE]
  --order-column NAME      also export this column of the views table, the views'
                           order (a number; a date or time as Unix seconds), for
                           --score proximity and --window        [VP_ORDER_COLUMN]
  --export-views FILE      only export path_id, product_id and
                           UNIX_TIMESTAMP(viewed_at) to FILE (the input of
                           dist/evaluate.js, docs/evaluation.md); no job, no import
  (--log FILE can also come from VP_LOG.)
USAGE
}

# db_parse_option ARGS...: the database settings, --force, --export-views FILE.
# shellcheck disable=SC2034 # OPT_USED is read by lib/contract.sh
db_parse_option() {
  case $1 in
    --db-defaults-file) need_value "$1" $#; DB_DEFAULTS_FILE=$2; OPT_USED=2 ;;
    --database) need_value "$1" $#; DB_NAME=$2; OPT_USED=2 ;;
    --table) need_value "$1" $#; DB_TABLE=$2; OPT_USED=2 ;;
    --staging-database) need_value "$1" $#; DB_STAGING_DB=$2; OPT_USED=2 ;;
    --views-table) need_value "$1" $#; DB_VIEWS_TABLE=$2; OPT_USED=2 ;;
    --min-share) need_value "$1" $#; DB_MIN_SHARE=$2; OPT_USED=2 ;;
    --lock-file) need_value "$1" $#; DB_LOCK_FILE=$2; OPT_USED=2 ;;
    --export-views) need_value "$1" $#; DB_EXPORT_VIEWS=$2; OPT_USED=2 ;;
    --order-column) need_value "$1" $#; DB_ORDER_COLUMN=$2; OPT_USED=2 ;;
    --force) DB_FORCE=1; OPT_USED=1 ;;
    *) OPT_USED=0 ;;
  esac
}

# db_check_options: the --export-views FILE can be written (the database
# settings are checked by db_validate, when the run needs the database).
db_check_options() {
  db_export_only || return 0
  [[ ! -d $DB_EXPORT_VIEWS ]] || usage_error "--export-views $DB_EXPORT_VIEWS: is a directory"
  local dir
  dir=$(dirname -- "$DB_EXPORT_VIEWS")
  [[ -d $dir && -w $dir ]] || usage_error "--export-views $DB_EXPORT_VIEWS: folder $dir is not writable"
}

# db_configured: true when the run was given a database.
db_configured() {
  [[ -n $DB_NAME || -n $DB_DEFAULTS_FILE ]]
}

# db_export_only: true with --export-views, a run that only exports the views (run-job.sh's main).
db_export_only() {
  [[ -n $DB_EXPORT_VIEWS ]]
}

# db_views_label: what the export reads, for messages about the views ("DATABASE.TABLE").
db_views_label() {
  printf '%s%s\n' "${DB_NAME:+$DB_NAME.}" "$DB_VIEWS_TABLE"
}

# db_valid_identifier NAME MAXLEN: a plain MySQL identifier (letters, digits, _).
db_valid_identifier() {
  [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ && ${#1} -le $2 ]]
}

# db_validate: checks the settings (exit 2 on a bad one) and completes the defaults.
db_validate() {
  [[ -n $DB_DEFAULTS_FILE ]] || usage_error "the database needs --db-defaults-file (or VP_DB_DEFAULTS_FILE)"
  [[ -n $DB_NAME ]] || usage_error "the database needs --database (or VP_DATABASE)"
  [[ -f $DB_DEFAULTS_FILE && -r $DB_DEFAULTS_FILE ]] ||
    usage_error "--db-defaults-file: not a readable file: $DB_DEFAULTS_FILE"
  [[ $DB_NAME =~ ^[A-Za-z0-9_]{1,64}$ ]] ||
    usage_error "--database: not a valid name (letters, digits and _ only, at most 64): $DB_NAME"
  # Room for the staging tables' __new_ID / __old_ID suffixes within MySQL's 64 characters.
  db_valid_identifier "$DB_TABLE" 49 ||
    usage_error "--table: not a valid name (letter or _, then letters, digits, _; at most 49): $DB_TABLE"
  db_staging_validate
  db_valid_identifier "$DB_VIEWS_TABLE" 64 ||
    usage_error "--views-table: not a valid name (letter or _, then letters, digits, _): $DB_VIEWS_TABLE"
  [[ -z $DB_ORDER_COLUMN ]] || db_valid_identifier "$DB_ORDER_COLUMN" 64 ||
    usage_error "--order-column: not a valid name (letter or _, then letters, digits, _): $DB_ORDER_COLUMN"
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

# db_client PROGRAM ARGS...: runs a MySQL client with the option file, its
# stderr captured and logged (timestamped) on failure, and kept in DB_CLIENT_ERROR.
db_client() {
  local prog=$1 rc=0 err
  shift
  DB_CLIENT_ERROR=''
  err=$(mktemp "${LOG_DIR:-${WORK_DIR:-${TMPDIR:-/tmp}}}/db-client.XXXXXX")
  "$prog" --defaults-file="$DB_DEFAULTS_FILE" "$@" 2>"$err" || rc=$?
  if [[ -s $err ]]; then
    local line
    DB_CLIENT_ERROR=$(<"$err")
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

# db_before_run: checks secrets and, for a run that imports, its staging
# database; takes the locks (file, then server) and drops the staging tables
# killed earlier runs left behind (after db_validate, for a run that needs the database).
db_before_run() {
  db_check_secrets
  # Connect before locking: a mistyped --database must not leave a lock file named after it.
  local code=$EXIT_EXPORT probe
  [[ -z $INPUT ]] || code=$EXIT_IMPORT
  if ! probe=$(db_sql "$(db_staging_probe_sql)"); then
    die "$code" "cannot connect to database $DB_NAME with $DB_DEFAULTS_FILE (the mysql error above says why: check --database and the file's user, password, host or socket); nothing was locked or changed"
  fi
  # Said before the export and the phases: a run that imports needs its staging database.
  [[ -n $OUTPUT ]] || db_staging_check "$probe"
  db_lock_file
  DB_ACTIVE=1
  db_lock_server "$code"
  [[ -n $OUTPUT ]] || db_staging_leftovers
}
