# shellcheck shell=bash
# The import half of the MySQL layer: the shrink guard, mysqlimport into a
# staging table of this run's (lib/db-staging.sh) created like the live table
# or from db/schema.sql, the checks, the atomic swap, and the cleanup of an
# unfinished import. Sourced by lib/db.sh.

# Ids are compared as strings ("" appended): awk compares number-like fields as numbers ('01' == '1').
# db_file_facts FILE: prints "rows weight_sum products fields" of an import
# file (products: distinct sources, the file being sorted by line; fields: 3, or 4 with a score).
db_file_facts() {
  awk -F'\t' '{ n++; s += $3; k = $1 ""; if (k != prev || n == 1) p++; prev = k; f = NF } END { printf "%d %.0f %d %d\n", n, s, p, (n ? f : 3) }' "$1"
}

# db_ranked_file FILE OUT: FILE's rows with list_rank appended, numbered per
# source in the job's order (docs/scores.md#ranking; compareRows in
# src/core/rank/result-row.ts, which test/db-ranked.test.ts holds this to):
# score desc (the 4th field, a decimal that reads back as the job's double; -g
# parses exponents), count desc (-n compares digits exactly at any length),
# target bytes asc (LC_ALL=C).
db_ranked_file() {
  LC_ALL=C sort -t $'\t' -k1,1 -k4,4gr -k3,3nr -k2,2 -T "$WORK_DIR" -- "$1" |
    awk -F'\t' '{ k = $1 "" } k != prev { r = 0; prev = k } { printf "%s\t%d\n", $0, ++r }' >"$2"
}

# db_live_shape TABLE: true when TABLE has the list_rank column (the current schema).
db_live_shape() {
  local n
  n=$(db_sql "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$1' AND COLUMN_NAME = 'list_rank'") || return 2
  ((n == 1))
}

# db_guard NEW LIVE [WHAT]: returns when the import may go ahead (WHAT: rows,
# or products with a list); otherwise asks (interactive terminal) or exits with EXIT_GUARD.
db_guard() {
  local new=$1 live=$2 what=${3:-rows} why=''
  if ((new == 0)); then
    why="the new result is empty (live table: $live $what)"
  elif awk -v n="$new" -v l="$live" -v s="$DB_MIN_SHARE" 'BEGIN { exit !(n < s * l) }'; then
    why="the new result has $new $what, less than $DB_MIN_SHARE of the live table's $live"
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

# db_schema_table NAME: db/schema.sql's CREATE TABLE statement of the result
# table (viewed_products), creating NAME (quoted, `db`.`table`) instead (the schema stays the one
# definition); fails when the file holds no such complete statement.
db_schema_table() {
  local line sql='' on=0
  while IFS= read -r line || [[ -n $line ]]; do
    if ((on == 0)) && [[ $line =~ ^CREATE\ TABLE\ (IF\ NOT\ EXISTS\ )?viewed_products\ *(\(.*)$ ]]; then
      on=1
      line="CREATE TABLE $1 ${BASH_REMATCH[2]}"
    fi
    ((on == 1)) || continue
    sql+=$line$'\n'
    [[ $line != *';' ]] || break
  done <"$ROOT/db/schema.sql"
  [[ $sql == *';'$'\n' ]] || return 1
  printf '%s' "$sql"
}

# db_import FILE TOP: loads FILE (source<TAB>target<TAB>count[<TAB>score] lines),
# ranked (db_ranked_file), into a staging copy of the live table, checks it,
# and swaps it in atomically. The shrink guard compares rows, or with a --top
# TOP (not '' or 0) products with a list (a changed --top changes the rows, not the products).
db_import() {
  local file=$1 top=$2 t0 live=0 live_exists=1 facts rows sum products fields
  # Named per run, in the staging database: no other run drops them (lib/db-staging.sh).
  local staging old qs qo
  staging=$(db_staging_table new)
  old=$(db_staging_table old)
  qs=$(db_quoted "$staging")
  qo=$(db_quoted "$old")
  local what=rows count_sql='COUNT(*)'
  t0=$(now)
  [[ -f $file ]] || die "$EXIT_IMPORT" "import: no result file $file"
  facts=$(db_file_facts "$file")
  read -r rows sum products fields <<<"$facts"
  [[ -z $top || $top =~ ^0+$ ]] || { what=products; count_sql='COUNT(DISTINCT source_product_id)'; }
  db_table_exists "$DB_TABLE" || case $? in
    1) live_exists=0 ;;
    *) die "$EXIT_IMPORT" "import: cannot read the tables of $DB_NAME" ;;
  esac
  if ((live_exists == 1)); then
    live=$(db_sql "SELECT $count_sql FROM \`$DB_TABLE\`") || die "$EXIT_IMPORT" "import: cannot count $DB_TABLE"
  fi
  if [[ $what == products ]]; then db_guard "$products" "$live" products; else db_guard "$rows" "$live"; fi

  # mysqlimport loads into the table named like the file.
  local link=$WORK_DIR/${staging#*.}.tsv
  db_ranked_file "$file" "$link" || die "$EXIT_IMPORT" "import: cannot rank $file"
  DB_STAGING=$staging
  local create="CREATE TABLE $qs LIKE \`$DB_TABLE\`" shape=0
  ((live_exists == 0)) || db_live_shape "$DB_TABLE" || shape=$?
  ((shape < 2)) || die "$EXIT_IMPORT" "import: cannot read the columns of $DB_TABLE"
  if ((live_exists == 0 || shape == 1)); then
    if ((live_exists == 0)); then
      log "import: $DB_TABLE does not exist yet; creating it from db/schema.sql's definition"
    else
      log "import: $DB_TABLE has the older shape (no list_rank); the swap replaces it with db/schema.sql's"
    fi
    create=$(db_schema_table "$qs") ||
      die "$EXIT_IMPORT" "import: no CREATE TABLE viewed_products statement in $ROOT/db/schema.sql"
  fi
  local columns=source_product_id,target_product_id,count,list_rank
  ((fields != 4)) || columns=source_product_id,target_product_id,count,score,list_rank
  db_sql "DROP TABLE IF EXISTS $qs; $create" || die "$EXIT_IMPORT" "import: cannot create $staging"
  log "import: mysqlimport --local of $rows rows into $staging"
  local report
  if ! db_wait db_client mysqlimport --local --default-character-set=binary \
    --columns="$columns" \
    --fields-terminated-by='\t' --lines-terminated-by='\n' "$DB_STAGING_DB" "$link" >"${LOG_DIR:-$WORK_DIR}/mysqlimport.out"; then
    die "$EXIT_IMPORT" "import: mysqlimport failed; $DB_TABLE left as it was"
  fi
  report=$(<"${LOG_DIR:-$WORK_DIR}/mysqlimport.out")
  log "import: mysqlimport: $report"
  # With --local the server turns bad rows into warnings and skips duplicates, so check.
  if [[ ! $report =~ Skipped:\ 0\ +Warnings:\ 0$ ]]; then
    die "$EXIT_IMPORT" "import: mysqlimport skipped rows or gave warnings; $DB_TABLE left as it was"
  fi
  local got
  got=$(db_sql "SELECT COUNT(*), COALESCE(SUM(count), 0) FROM $qs") ||
    die "$EXIT_IMPORT" "import: cannot count $staging"
  if [[ $got != "$rows"$'\t'"$sum" ]]; then
    die "$EXIT_IMPORT" "import: $staging has ${got/$'\t'/ rows, weight sum } but the file has $rows rows, weight sum $sum; $DB_TABLE left as it was"
  fi
  log "import: $staging checked: $rows rows, weight sum $sum"

  db_lock_held || die "$EXIT_LOCKED" "import: this run lost its database lock (connection ended); $DB_TABLE left as it was"
  if ((live_exists == 1)); then
    DB_OLD=$old
    db_rename "\`$DB_TABLE\` TO $qo, $qs TO \`$DB_TABLE\`"
  else
    db_rename "$qs TO \`$DB_TABLE\`"
  fi
  DB_STAGING=''
  local before="no previous table"
  if ((live_exists == 1)); then
    before="the previous one had $live rows"
    [[ $what != products ]] || before="the previous one had lists for $live products"
  fi
  log "import: swapped in the new $DB_TABLE: $rows rows, lists for $products products; $before"
  if ((live_exists == 1)); then
    if db_sql "DROP TABLE $qo"; then
      DB_OLD=''
    else
      log "WARNING: could not drop $old (the next run drops it)"
    fi
  fi
  rm -f -- "$link"
  record_timing "import" "$(elapsed "$t0")"
  log "import: done in $(elapsed "$t0") s"
}

# db_rename RENAMES: RENAME TABLE RENAMES, waiting at most VP_RENAME_LOCK_WAIT
# seconds (default 10) for the tables' metadata lock per try, VP_RENAME_TRIES
# tries (default 6): a long query on the live table must not make the swap
# wait without end, nor every later query on the table wait behind the swap.
db_rename() {
  local wait=${VP_RENAME_LOCK_WAIT:-10} tries=${VP_RENAME_TRIES:-6} i
  [[ $wait =~ ^[1-9][0-9]{0,4}$ && $tries =~ ^[1-9][0-9]{0,2}$ ]] ||
    die "$EXIT_USAGE" "VP_RENAME_LOCK_WAIT and VP_RENAME_TRIES must be whole numbers from 1: $wait, $tries"
  for ((i = 1; i <= tries; i++)); do
    if db_sql "SET SESSION lock_wait_timeout = $wait; RENAME TABLE $1"; then
      return 0
    fi
    [[ $DB_CLIENT_ERROR == *'Lock wait timeout'* ]] ||
      die "$EXIT_IMPORT" "import: RENAME TABLE failed; $DB_TABLE left as it was"
    ((i == tries)) || log "import: RENAME TABLE waited $wait s for a lock on $DB_TABLE (a long query holds it); try $((i + 1)) of $tries"
  done
  die "$EXIT_IMPORT" "import: RENAME TABLE could not lock $DB_TABLE in $tries tries of $wait s (a long query or transaction holds it: SHOW PROCESSLIST); $DB_TABLE left as it was"
}

# db_cleanup: from the EXIT trap (after run-job.sh stopped leftover processes): drops the staging
# table of an unfinished import (the live table is untouched) and the old
# table after a swap.
db_cleanup() {
  ((DB_ACTIVE == 1)) || return 0
  local t
  for t in "$DB_STAGING" "$DB_OLD"; do
    [[ -n $t ]] || continue
    if db_sql "DROP TABLE IF EXISTS $(db_quoted "$t")"; then
      log "cleanup: dropped $t"
    else
      log "WARNING: cleanup: could not drop $t (the next run drops it)"
    fi
  done
  DB_STAGING=''
  DB_OLD=''
  db_unlock
}
