#!/usr/bin/env bash
# npm run cluster:up / cluster:down: a pseudo-distributed Hadoop cluster on
# this machine for `./run-job.sh --runner hadoop --hadoop-conf DIR`: Hadoop's
# own MiniCluster (org.apache.hadoop.mapreduce.MiniHadoopClusterManager, the
# pinned release's "CLI MiniCluster"): a NameNode and a DataNode (HDFS), a
# ResourceManager and a NodeManager with the MapReduce shuffle (YARN), and the
# JobHistory server, in one JVM; task containers are separate processes.
#
#   tools/cluster/cluster.sh up      start (or find running); the last stdout line is the conf dir
#   tools/cluster/cluster.sh down    stop it and remove its data (fine when nothing runs)
#   tools/cluster/cluster.sh status  "up CONF_DIR" (exit 0) or "down" (exit 3)
#
# Everything lives in .cache/cluster/: lib/ (jars, npm run setup:cluster),
# run/ (pid file, log, HDFS and NodeManager data), conf/ (the clients'
# configuration). Servers listen on 127.0.0.1, except the shuffle handler,
# which Hadoop 3.4 binds to all interfaces (on a random port).
# Environment: VP_CLUSTER_HEAP (default 1g), the MiniCluster JVM's heap.
set -Eeuo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
HOME_DIR=$ROOT/.cache/cluster
RUN=$HOME_DIR/run
CONF=$HOME_DIR/conf
PID_FILE=$RUN/minicluster.pid
LAUNCHER=$ROOT/tools/hadoop/hadoop-streaming
readonly ROOT HOME_DIR RUN CONF PID_FILE LAUNCHER

# Sized for a 2-core, 24 GiB machine: the NodeManager offers 4 GiB and 4
# vcores (the MiniCluster's own NodeManager size); containers get 768 MiB
# (application master, maps) or 1 GiB (reducers: the Node reducer's memory
# counts against the container). A task is tried twice.
readonly MAX_ATTEMPTS=2
# Short-lived task JVMs on 2 cores: start fast rather than peak (heap: Hadoop's share of the container).
readonly TASK_JVM='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true'
CLUSTER_SETTINGS=(
  yarn.nodemanager.resource.cpu-vcores=4
  yarn.scheduler.minimum-allocation-mb=256
  yarn.nodemanager.vmem-check-enabled=false
  yarn.log-aggregation-enable=true
  yarn.nodemanager.delete.debug-delay-sec=600
)
# Loopback only: every address the MiniCluster does not pick itself.
LOOPBACK=(
  yarn.resourcemanager.hostname=127.0.0.1
  yarn.resourcemanager.bind-host=127.0.0.1
  yarn.resourcemanager.webapp.address=127.0.0.1:0
  yarn.nodemanager.hostname=127.0.0.1
  yarn.nodemanager.bind-host=127.0.0.1
  yarn.nodemanager.webapp.address=127.0.0.1:0
  mapreduce.jobhistory.bind-host=127.0.0.1
  mapreduce.jobhistory.webapp.address=127.0.0.1:0
  mapreduce.jobhistory.admin.address=127.0.0.1:0
  dfs.datanode.address=127.0.0.1:0
  dfs.datanode.http.address=127.0.0.1:0
  dfs.datanode.ipc.address=127.0.0.1:0
)

say() { printf 'cluster: %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

# running: true when the pid file names a live MiniCluster.
running() {
  local pid
  [[ -f $PID_FILE ]] || return 1
  pid=$(cat "$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    grep -q MiniHadoopClusterManager "/proc/$pid/cmdline" 2>/dev/null
}

# client ARGS...: the pinned client (tools/hadoop/hadoop-streaming) on this cluster.
client() {
  HADOOP_CONF_DIR=$CONF VP_HADOOP=pinned VP_HADOOP_HEAP=256m "$LAUNCHER" "$@"
}

prop() {
  printf '  <property><name>%s</name><value>%s</value></property>\n' "$1" "$2"
}

# site FILE NAME=VALUE...: writes a Hadoop configuration file.
site() {
  local file=$1 kv
  shift
  {
    printf '<?xml version="1.0"?>\n<!-- Written by tools/cluster/cluster.sh up. -->\n<configuration>\n'
    for kv in "$@"; do prop "${kv%%=*}" "${kv#*=}"; done
    printf '</configuration>\n'
  } >"$CONF/$file"
}

# write_conf NN_PORT RM_PORT: the clients' configuration of this cluster.
write_conf() {
  rm -rf -- "$CONF"
  mkdir -p "$CONF"
  site core-site.xml "fs.defaultFS=hdfs://127.0.0.1:$1"
  site hdfs-site.xml dfs.replication=1
  site yarn-site.xml "yarn.resourcemanager.address=127.0.0.1:$2" yarn.resourcemanager.hostname=127.0.0.1 \
    yarn.log-aggregation-enable=true
  # The tasks' class path: the jars the MiniCluster runs on (a real cluster has its own).
  site mapred-site.xml mapreduce.framework.name=yarn "mapreduce.application.classpath=$HOME_DIR/lib/*" \
    "mapreduce.map.maxattempts=$MAX_ATTEMPTS" "mapreduce.reduce.maxattempts=$MAX_ATTEMPTS" \
    mapreduce.map.memory.mb=768 mapreduce.reduce.memory.mb=1024 yarn.app.mapreduce.am.resource.mb=768 \
    "mapreduce.map.java.opts=$TASK_JVM" "mapreduce.reduce.java.opts=$TASK_JVM" "yarn.app.mapreduce.am.command-opts=$TASK_JVM"
}

# json_port FILE KEY: a port from the MiniCluster's details file.
json_port() {
  grep -o "\"$2\":\"\\{0,1\\}[0-9]*" "$1" | grep -o '[0-9]*$'
}

java_home() {
  if [[ -n ${JAVA_HOME:-} ]]; then
    printf '%s\n' "$JAVA_HOME"
  else
    local java
    java=$(command -v java) || die "java not found (npm run setup:cluster says what to install)"
    java=$(readlink -f -- "$java")
    printf '%s\n' "${java%/bin/java}"
  fi
}

start() {
  local -a defs=() opens
  local kv
  for kv in "${CLUSTER_SETTINGS[@]}" "${LOOPBACK[@]}"; do defs+=(-D "$kv"); done
  mapfile -t opens < <(sed -n 's/^ *\(--add-opens=[^ ]*\).*/\1/p' "$LAUNCHER")
  rm -rf -- "$RUN" "$CONF"
  mkdir -p "$RUN"
  say "starting the Hadoop MiniCluster (log: $RUN/minicluster.log)"
  # Its own session, so that down ends it with every container it started.
  # JAVA_HOME: the containers' java. PATH: the containers' node.
  (
    cd "$RUN"
    exec 8>&- # the lock of up: not held for the cluster's lifetime
    export JAVA_HOME
    JAVA_HOME=$(java_home)
    exec setsid "$JAVA_HOME/bin/java" -Xmx"${VP_CLUSTER_HEAP:-1g}" "${opens[@]}" -Djava.net.preferIPv4Stack=true \
      -Dtest.build.data="$RUN/data" -Djava.io.tmpdir="$RUN" -cp "$HOME_DIR/lib/*" \
      org.apache.hadoop.mapreduce.MiniHadoopClusterManager -format -nnport 0 -nnhttpport 0 -rmport 0 -jhsport 0 \
      -writeDetails "$RUN/details.json" "${defs[@]}" </dev/null >"$RUN/minicluster.log" 2>&1
  ) &
  printf '%d\n' "$!" >"$PID_FILE"
}

# fail_start MESSAGE: stops what a failed start left (keeping its log), then fails.
fail_start() {
  local kept=$HOME_DIR/failed-start.log
  cp -- "$RUN/minicluster.log" "$kept" 2>/dev/null || true
  tail -n 30 "$kept" >&2 2>/dev/null || true
  down
  die "$* (the MiniCluster's log: $kept)"
}

# wait_ready: until the details file appears, HDFS leaves safe mode and YARN has a live node.
wait_ready() {
  local i
  for ((i = 0; i < 180; i++)); do
    [[ -s $RUN/details.json ]] && break
    # (kill -0, not running: the subshell may not have exec'd java yet)
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || fail_start "the MiniCluster exited while starting"
    sleep 1
  done
  [[ -s $RUN/details.json ]] || fail_start "the MiniCluster did not start in 180 s"
  write_conf "$(json_port "$RUN/details.json" namenode_port)" "$(json_port "$RUN/details.json" resourcemanager_port)"
  client --class org.apache.hadoop.hdfs.tools.DFSAdmin -safemode wait >&2 ||
    fail_start "HDFS did not leave safe mode"
  for ((i = 0; i < 60; i++)); do
    if client --class org.apache.hadoop.yarn.client.cli.NodeCLI -list -states RUNNING 2>/dev/null |
      grep -q 'Total Nodes:[1-9]'; then
      return 0
    fi
    sleep 1
  done
  fail_start "YARN has no running NodeManager after 60 s"
}

up() {
  bash "$ROOT/tools/cluster/setup.sh"
  exec 8>"$HOME_DIR/.up.lock"
  flock 8
  if running && [[ -f $CONF/yarn-site.xml ]]; then
    say "already up (pid $(cat "$PID_FILE"))"
  else
    if running; then down; fi
    start
    wait_ready
    say "up (pid $(cat "$PID_FILE")): HDFS $(sed -n 's:.*<value>\(hdfs\://[^<]*\)<.*:\1:p' "$CONF/core-site.xml")"
  fi
  printf '%s\n' "$CONF"
}

down() {
  local pid i
  if ! running; then
    say "not running"
    rm -rf -- "$RUN" "$CONF"
    return 0
  fi
  pid=$(cat "$PID_FILE")
  say "stopping the MiniCluster (pid $pid) and its containers"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    running || break
    sleep 1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -rf -- "$RUN" "$CONF"
  say "down"
}

main() {
  case ${1:-} in
    up) up ;;
    down) down ;;
    status)
      if running && [[ -f $CONF/yarn-site.xml ]]; then
        printf 'up %s\n' "$CONF"
      else
        printf 'down\n'
        return 3
      fi
      ;;
    -h | --help | '') sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command: $1 (up, down or status)" ;;
  esac
}

main "$@"
