# shellcheck shell=bash
# The run lock of the MySQL layer: one run at a time per database, across
# hosts. The lock is MySQL's GET_LOCK(), held by one mysql client connection
# for the whole run (a run that dies loses its connection, and the lock with
# it); a file lock in a private folder of the user stays as a second guard on
# one host. Each run also holds viewed-products.run.ID, ID its staging
# tables' suffix (lib/db-staging.sh). Sourced by lib/db.sh.

DB_LOCK_FD=''     # the lock file's descriptor, while held
DB_LOCK_PID=''    # the mysql client holding the server lock on its connection
DB_LOCK_IN=''     # its stdin (statements) and stdout (answers), while it runs
DB_LOCK_OUT=''
DB_LOCK_ERR=''    # its stderr, logged when it fails
DB_RUN_ID=''      # this run's 8 hex digits (its staging tables' suffix), once it holds their lock

# db_lock_name: the server lock's name (GET_LOCK names are server-wide, at most 64 characters).
db_lock_name() {
  local name="viewed-products.$DB_NAME"
  ((${#name} <= 64)) || name="viewed-products.$(printf '%s' "$DB_NAME" | sha1sum | cut -c1-40)"
  printf '%s\n' "$name"
}

# db_lock_dir: the default lock file's folder, private to the user (created
# mode 700): $XDG_RUNTIME_DIR, else ~/.cache, never a shared /tmp name that
# another user could create first. Exits when it is not the user's own.
db_lock_dir() {
  local base=${XDG_RUNTIME_DIR:-}
  [[ -n $base && -d $base ]] || base=${HOME:-}/.cache
  [[ $base == /?* ]] || die "$EXIT_USAGE" "no private folder for the lock file (HOME and XDG_RUNTIME_DIR unset): give --lock-file"
  local dir=$base/viewed-products mode
  if [[ ! -d $dir ]] && ! { mkdir -p -- "$base" && mkdir -m 700 -- "$dir"; }; then
    die "$EXIT_LOCKED" "cannot create the lock folder $dir"
  fi
  mode=$(stat -L -c '%a' -- "$dir")
  if [[ ! -O $dir ]] || (((8#$mode & 8#022) != 0)); then
    die "$EXIT_LOCKED" "the lock folder $dir is not private (owned by another user, or writable by others: mode $mode); not starting"
  fi
  printf '%s\n' "$dir"
}

# db_lock_file: takes the file lock (second guard, one host) or exits with EXIT_LOCKED.
db_lock_file() {
  local holder=''
  [[ -n $DB_LOCK_FILE ]] || DB_LOCK_FILE="$(db_lock_dir)/$DB_NAME.lock"
  exec {DB_LOCK_FD}>>"$DB_LOCK_FILE" || die "$EXIT_UNEXPECTED" "cannot open the lock file $DB_LOCK_FILE"
  if ! flock -n "$DB_LOCK_FD"; then
    # The holder writes its pid just after locking: give it a moment (runs started together).
    local i
    for ((i = 0; i < 10; i++)); do
      holder=$(head -c 20 -- "$DB_LOCK_FILE" 2>/dev/null | tr -cd '0-9' || true)
      [[ -z $holder ]] || break
      sleep 0.1
    done
    die "$EXIT_LOCKED" "another run holds the lock $DB_LOCK_FILE${holder:+ (pid $holder)}; not starting"
  fi
  printf '%d\n' "$$" >"$DB_LOCK_FILE"
  log "lock: holding $DB_LOCK_FILE"
}

# db_lock_ask SQL: sends SQL (one statement giving one row) on the lock's connection; prints the row.
db_lock_ask() {
  local row
  [[ -n $DB_LOCK_PID ]] && kill -0 "$DB_LOCK_PID" 2>/dev/null || return 1
  printf '%s;\n' "$1" 2>/dev/null 1>&"$DB_LOCK_IN" || return 1
  IFS= read -r -t 60 row <&"$DB_LOCK_OUT" || return 1
  printf '%s\n' "$row"
}

# db_lock_server CONNECT_CODE: takes GET_LOCK on a connection kept for the whole
# run, or exits (EXIT_LOCKED when another run holds it; CONNECT_CODE when the connection fails).
db_lock_server() {
  local name got holder
  name=$(db_lock_name)
  DB_LOCK_ERR=$(mktemp "${TMPDIR:-/tmp}/db-lock.XXXXXX")
  # --defaults-file: exactly the given option file (docs/mysql.md); --unbuffered: each answer at once.
  coproc DB_LOCK_CONN {
    exec mysql --defaults-file="$DB_DEFAULTS_FILE" --batch --skip-column-names --unbuffered \
      --connect-timeout=30 "$DB_NAME" 2>"$DB_LOCK_ERR"
  }
  DB_LOCK_PID=$DB_LOCK_CONN_PID
  # shellcheck disable=SC2034 # read by stop_children (lib/common.sh)
  SPARE_PID=$DB_LOCK_PID
  DB_LOCK_IN=${DB_LOCK_CONN[1]}
  DB_LOCK_OUT=${DB_LOCK_CONN[0]}
  # A whole night's run: the server must not end the idle connection (1 year, MySQL's maximum).
  got=$(db_lock_ask "SET SESSION wait_timeout = 31536000; SELECT COALESCE(GET_LOCK('$name', 0), -1)") || got=''
  case $got in
    1)
      db_lock_run || { db_lock_log_error; die "$1" "cannot take this run's lock on $DB_NAME with $DB_DEFAULTS_FILE"; }
      log "lock: holding the database lock '$name' on the server (run $DB_RUN_ID)"
      ;;
    0)
      holder=$(db_lock_ask "SELECT COALESCE(IS_USED_LOCK('$name'), '')") || holder=''
      die "$EXIT_LOCKED" "another run holds the database lock '$name' on the server${holder:+ (connection $holder)}; not starting"
      ;;
    *)
      db_lock_log_error
      die "$1" "cannot take the database lock '$name' on $DB_NAME with $DB_DEFAULTS_FILE"
      ;;
  esac
}

# db_lock_run: picks the run's id and takes its lock viewed-products.run.ID on
# the lock's connection (another id if a live run holds that one).
db_lock_run() {
  local id i
  for ((i = 0; i < 3; i++)); do
    id=$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')
    case $(db_lock_ask "SELECT COALESCE(GET_LOCK('viewed-products.run.$id', 0), -1)") in
      1) DB_RUN_ID=$id; return 0 ;;
      0) ;;
      *) return 1 ;;
    esac
  done
  return 1
}

# db_lock_held: true while this run's connection still holds the server lock (checked before the swap).
db_lock_held() {
  [[ $(db_lock_ask "SELECT IS_USED_LOCK('$(db_lock_name)') = CONNECTION_ID()") == 1 ]]
}

# db_lock_log_error: the lock connection's stderr, into the log.
db_lock_log_error() {
  local line
  [[ -n $DB_LOCK_ERR && -s $DB_LOCK_ERR ]] || return 0
  while IFS= read -r line; do log "mysql (lock): $line"; done <"$DB_LOCK_ERR"
}

# db_unlock: ends the lock's connection (which releases the server lock) and closes the lock file.
db_unlock() {
  if [[ -n $DB_LOCK_IN ]]; then
    exec {DB_LOCK_IN}>&-
    DB_LOCK_IN=''
  fi
  if [[ -n $DB_LOCK_PID ]]; then
    wait "$DB_LOCK_PID" 2>/dev/null || true
    DB_LOCK_PID=''
  fi
  if [[ -n $DB_LOCK_OUT ]]; then
    exec {DB_LOCK_OUT}<&-
    DB_LOCK_OUT=''
  fi
  [[ -z $DB_LOCK_ERR ]] || rm -f -- "$DB_LOCK_ERR"
  DB_LOCK_ERR=''
  if [[ -n $DB_LOCK_FD ]]; then
    exec {DB_LOCK_FD}>&-
    DB_LOCK_FD=''
  fi
}
