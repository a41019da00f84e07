#!/usr/bin/env bash
# A private MariaDB server for the benchmark: its own datadir and socket under
# DIR, no TCP (skip-networking), run as the current user (--user=root when root).
#   mariadb-server.sh start DIR   initialise DIR, start the server, wait until it answers
#   mariadb-server.sh stop DIR    shut it down (by the pid file it wrote)
# Settings are what a DBA would give a one-off analytical query: 1 GiB buffer
# pool and 1 GiB in-memory temporary tables, so MariaDB is not measured spilling.
set -Eeuo pipefail

die() { printf 'mariadb-server: %s\n' "$*" >&2; exit 1; }

start() {
  local dir=$1 user_args=() i
  mkdir -p "$dir"
  dir=$(cd -- "$dir" && pwd)
  ((EUID == 0)) && user_args=(--user=root)
  if [[ ! -d $dir/data/mysql ]]; then
    mariadb-install-db "${user_args[@]}" --datadir="$dir/data" --auth-root-authentication-method=socket \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  mariadbd --no-defaults "${user_args[@]}" --datadir="$dir/data" --socket="$dir/mysqld.sock" \
    --pid-file="$dir/mysqld.pid" --skip-networking --log-error="$dir/error.log" \
    --innodb-buffer-pool-size=1G --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=2 \
    --tmp-table-size=1G --max-heap-table-size=1G --sort-buffer-size=64M \
    --local-infile=1 --tmpdir="$dir" >/dev/null 2>&1 &
  for ((i = 0; i < 300; i++)); do
    if mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  cat "$dir/error.log" >&2 || true
  die "server did not start"
}

stop() {
  local dir=$1 pid i
  [[ -f $dir/mysqld.pid ]] || return 0
  pid=$(<"$dir/mysqld.pid")
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  die "server $pid did not stop"
}

case ${1:-} in
  start) start "${2:?DIR}" ;;
  stop) stop "${2:?DIR}" ;;
  *) die "usage: mariadb-server.sh start|stop DIR" ;;
esac
