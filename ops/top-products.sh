#!/usr/bin/env bash
# Prints "people who viewed X also viewed" from the database: for each product
# id given, its top N rows of the result table in the job's ranking (list_rank:
# score, count, target id; docs/scores.md), as `source<TAB>target<TAB>count`
# lines (a 4th column with the score when the job ranked by one), the same
# escaping as `mysql --batch`; a product without rows is named on stderr and
# the exit code is 3. Credentials only through the option file.
set -Eeuo pipefail

usage() {
  cat <<'USAGE'
Usage: ops/top-products.sh --db-defaults-file FILE --database NAME [--table NAME] [--top N] PRODUCT_ID...

Prints the top N "also viewed" products of each PRODUCT_ID from the result
table, one `source<TAB>target<TAB>count[<TAB>score]` line each, best first
(the job's ranking, list_rank).

  --db-defaults-file FILE  MySQL option file with the credentials   [VP_DB_DEFAULTS_FILE]
  --database NAME          database                                 [VP_DATABASE]
  --table NAME             result table (default viewed_products)   [VP_TABLE]
  --top N                  rows per product (default 10)
  -h, --help               this help

Exit codes: 0 ok, 1 mysql failed, 2 bad option, 3 a product is not in the
table (the others' lists are printed).
USAGE
}

fail() {
  printf 'top-products: %s\n' "$*" >&2
  exit 2
}

main() {
  local defaults=${VP_DB_DEFAULTS_FILE:-} database=${VP_DATABASE:-} table=${VP_TABLE:-viewed_products} top=10
  local -a products=()
  while (($# > 0)); do
    case $1 in
      --db-defaults-file | --database | --table | --top)
        (($# >= 2)) || fail "$1 needs a value"
        case $1 in
          --db-defaults-file) defaults=$2 ;;
          --database) database=$2 ;;
          --table) table=$2 ;;
          --top) top=$2 ;;
        esac
        shift
        ;;
      -h | --help) usage; exit 0 ;;
      --) shift; products+=("$@"); break ;;
      -*) fail "unknown option: $1 (see --help)" ;;
      *) products+=("$1") ;;
    esac
    shift
  done
  [[ -n $defaults ]] || fail "--db-defaults-file (or VP_DB_DEFAULTS_FILE) is required"
  [[ -f $defaults && -r $defaults ]] || fail "--db-defaults-file: not a readable file: $defaults"
  [[ $database =~ ^[A-Za-z0-9_]{1,64}$ ]] || fail "--database: not a valid name: $database"
  [[ $table =~ ^[A-Za-z_][A-Za-z0-9_]{0,63}$ ]] || fail "--table: not a valid name: $table"
  [[ $top =~ ^[1-9][0-9]{0,5}$ ]] || fail "--top must be a whole number from 1 to 999999"
  ((${#products[@]} > 0)) || fail "give at least one product id (see --help)"
  local mode
  mode=$(stat -L -c '%a' -- "$defaults")
  if (((8#$mode & 8#077) != 0)); then
    printf 'top-products: WARNING: %s is accessible by group/others (mode %s): chmod 600 it\n' "$defaults" "$mode" >&2
  fi

  # Ids go into the query as hex literals: any bytes, no quoting or injection.
  # The second query gives the argument numbers of the products without rows.
  local sql='' missing_sql='' id hex i=0
  for id in "${products[@]}"; do
    [[ -n $id ]] || fail "empty product id"
    hex=$(printf '%s' "$id" | od -An -v -tx1 | tr -d ' \n')
    [[ -z $sql ]] || { sql+=' UNION ALL '; missing_sql+=' UNION ALL '; }
    sql+="(SELECT source_product_id, target_product_id, count, score FROM \`$table\`"
    sql+=" WHERE source_product_id = X'$hex' ORDER BY list_rank LIMIT $top)"
    missing_sql+="SELECT $i FROM DUAL WHERE NOT EXISTS"
    missing_sql+=" (SELECT 1 FROM \`$table\` WHERE source_product_id = X'$hex')"
    i=$((i + 1))
  done
  unset MYSQL_PWD
  local -a client=(mysql --defaults-file="$defaults" --batch --skip-column-names --default-character-set=binary)
  # Score NULL (ranked by count): three columns, as before scores existed.
  "${client[@]}" -e "$sql" "$database" | awk -F'\t' -v OFS='\t' '$4 == "NULL" { NF = 3 } { print }'
  local missing
  missing=$("${client[@]}" -e "$missing_sql" "$database")
  [[ -n $missing ]] || return 0
  for i in $missing; do
    printf 'top-products: product "%s" is not in %s\n' "${products[i]}" "$table" >&2
  done
  exit 3
}

main "$@"
