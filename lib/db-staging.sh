# shellcheck shell=bash
# The staging tables of the MySQL layer: named per run (TABLE__new_ID,
# TABLE__old_ID, ID the run's 8 hex digits) in a staging database the job's
# user owns, so the shop database needs no grant on any name but the live
# table's, and a run can never drop another run's staging table: each run
# holds the server lock viewed-products.run.ID (lib/db-lock.sh) while its
# tables exist, and leftovers are dropped only when their run's lock is free.
# Sourced by lib/db.sh.

# db_staging_validate: completes and checks --staging-database (exit 2 on a bad one).
db_staging_validate() {
  if [[ -z $DB_STAGING_DB ]]; then
    DB_STAGING_DB=${DB_NAME}_staging
    ((${#DB_STAGING_DB} <= 64)) ||
      usage_error "--database: $DB_NAME is too long for the default staging database ${DB_NAME}_staging (at most 64): give --staging-database"
  fi
  [[ $DB_STAGING_DB =~ ^[A-Za-z0-9_]{1,64}$ ]] ||
    usage_error "--staging-database: not a valid name (letters, digits and _ only, at most 64): $DB_STAGING_DB"
}

# db_staging_table KIND: this run's staging table, DATABASE.TABLE (KIND: new or old).
db_staging_table() {
  printf '%s.%s__%s_%s\n' "$DB_STAGING_DB" "$DB_TABLE" "$1" "$DB_RUN_ID"
}

# db_quoted DATABASE.TABLE: the name quoted for SQL (both parts are plain identifiers).
db_quoted() { # \x60: a backquote
  printf '\x60%s\x60.\x60%s\x60\n' "${1%%.*}" "${1#*.}"
}

# db_staging_probe_sql: the connection check's query: the user, and whether it sees the staging database.
db_staging_probe_sql() {
  printf "SELECT CURRENT_USER(), COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '%s'\n" "$DB_STAGING_DB"
}

# db_staging_check PROBE: exits with EXIT_IMPORT and the admin's SQL when the
# user cannot see the staging database (db_staging_probe_sql's answer PROBE).
db_staging_check() {
  local user=${1%%$'\t'*} seen=${1##*$'\t'}
  [[ $seen == 0 ]] || return 0
  # A database-level grant reads _ and % as wildcards: escaped, the grant names this database alone.
  local pattern=${DB_STAGING_DB//_/\\_}
  die "$EXIT_IMPORT" "the staging database $DB_STAGING_DB does not exist or ${user%@*} has no grant on it; as the admin, run: CREATE DATABASE IF NOT EXISTS \`$DB_STAGING_DB\`; GRANT SELECT, INSERT, CREATE, DROP, ALTER ON \`$pattern\`.* TO '${user%@*}'@'${user##*@}'; (docs/mysql.md#set-up-once); nothing was locked or changed"
}

# db_staging_leftovers: drops the staging tables of killed earlier runs (while
# this run holds the database lock), only those whose run's lock is free: a
# run that still holds it (another database's run sharing the staging
# database) keeps its tables.
db_staging_leftovers() {
  local rows t free
  rows=$(db_sql "SELECT table_name, IS_FREE_LOCK(CONCAT('viewed-products.run.', RIGHT(table_name, 8))) FROM information_schema.tables WHERE table_schema = '$DB_STAGING_DB' AND BINARY table_name REGEXP '^${DB_TABLE}__(new|old)_[0-9a-f]{8}\$'") ||
    die "$EXIT_IMPORT" "cannot read the tables of $DB_STAGING_DB"
  while IFS=$'\t' read -r t free; do
    [[ -n $t ]] || continue
    if [[ $free != 1 ]]; then
      log "keeping $DB_STAGING_DB.$t: its run still holds its lock"
      continue
    fi
    log "dropping $DB_STAGING_DB.$t, left behind by an interrupted run"
    db_sql "DROP TABLE IF EXISTS \`$DB_STAGING_DB\`.\`$t\`" || die "$EXIT_IMPORT" "cannot drop the leftover table $DB_STAGING_DB.$t"
  done <<<"$rows"
}
