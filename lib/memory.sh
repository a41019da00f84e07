# shellcheck shell=bash
# The --memory budget: the working memory of the job's stages that run at once
# on this machine (docs/performance.md#the-memory-budget). The local runner
# divides it among a phase's reduce tasks, which all run together, and within a
# task between the input's `sort -S` and the reducer's tables (the plan's
# reducer-memory option); the final merge's sort gets all of it. On Hadoop and
# EMR it bounds only that merge: the tasks get the cluster's container memory.
# Sourced by lib/common.sh (merge_parts reads the budget for every runner); the
# local layer (lib/local.sh) parses, documents and checks --memory, for every runner.

readonly MEMORY_DEFAULT=1G
# A reduce task's least share (so a budget runs at most budget / this tasks at once).
readonly MEMORY_TASK_MIN_KIB=$((4 << 10))
# The least --memory: room for a few reduce tasks.
readonly MEMORY_MIN_KIB=$((16 << 10))
# The most a reducer's --memory-mb takes (pairs-reducer's MAX_MEMORY_MB, 1 TiB).
readonly MEMORY_REDUCER_MAX_MIB=$((1 << 20))
MEMORY_ARG=$MEMORY_DEFAULT
MEMORY_KIB=''           # the budget in KiB, once memory_check has read --memory
MEMORY_SORT_KIB=''      # a reduce task's `sort -S` (KiB), set per phase by memory_split
MEMORY_REDUCER_ARGS=()  # the reducer's option and MiB, set per phase by memory_split

memory_usage() {
  cat <<USAGE
  --memory SIZE            working memory of the stages running at once (default
                           $MEMORY_DEFAULT): SIZE a whole number of MiB, or with a K, M or G
                           suffix; the local runner splits it among a phase's
                           reduce tasks (sort -S and the reducer's tables);
                           Hadoop and EMR tasks get the cluster's own
USAGE
}

# memory_parse_option ARGS...: --memory SIZE (sets OPT_USED, as a layer's parser does).
# shellcheck disable=SC2034 # OPT_USED is read by lib/contract.sh
memory_parse_option() {
  case $1 in
    --memory) need_value "$1" $#; MEMORY_ARG=$2; OPT_USED=2 ;;
    *) OPT_USED=0 ;;
  esac
}

# memory_check: --memory's value, into MEMORY_KIB (a usage error when bad or too small).
memory_check() {
  local digits unit
  [[ $MEMORY_ARG =~ ^0*([0-9]{1,12})([KkMmGg]?)$ ]] ||
    usage_error "--memory must be a whole number of MiB, or with a K, M or G suffix (such as 512M or 2G): $MEMORY_ARG"
  digits=$((10#${BASH_REMATCH[1]}))
  unit=${BASH_REMATCH[2]:-M}
  case $unit in
    [Kk]) MEMORY_KIB=$digits ;;
    [Mm]) MEMORY_KIB=$((digits << 10)) ;;
    *) MEMORY_KIB=$((digits << 20)) ;;
  esac
  ((MEMORY_KIB >= MEMORY_MIN_KIB)) || usage_error "--memory must be at least $((MEMORY_MIN_KIB >> 10))M: $MEMORY_ARG"
}

# memory_check_reducers N: N reduce tasks at once each get at least MEMORY_TASK_MIN_KIB.
memory_check_reducers() {
  ((MEMORY_KIB / $1 >= MEMORY_TASK_MIN_KIB)) ||
    usage_error "--memory $MEMORY_ARG leaves each of $1 reducers less than $((MEMORY_TASK_MIN_KIB >> 10)) MiB: give more --memory or fewer --reducers"
}

# memory_split NRED OPTION: for one of NRED reduce tasks running at once, sets
# MEMORY_SORT_KIB (its input sort's buffer) and MEMORY_REDUCER_ARGS (OPTION and
# the reducer's MiB; none when OPTION is '', a reducer that streams).
memory_split() {
  local task=$((MEMORY_KIB / $1)) option=$2 mib
  MEMORY_SORT_KIB=$task
  MEMORY_REDUCER_ARGS=()
  [[ -n $option ]] || return 0
  # Sort's buffer stays full while the reducer fills its tables, so they share the
  # task: a quarter for sort, whose extra runs cost one cheap merge pass, the rest
  # for the reducer, where each MiB combines more pairs before the next phase.
  mib=$((task * 3 / 4 >> 10))
  ((mib <= MEMORY_REDUCER_MAX_MIB)) || mib=$MEMORY_REDUCER_MAX_MIB
  # shellcheck disable=SC2034 # read by lib/local.sh and lib/local-tasks.sh
  MEMORY_SORT_KIB=$((task - (mib << 10)))
  # shellcheck disable=SC2034
  MEMORY_REDUCER_ARGS=("$option" "$mib")
}

# memory_in_force: the budget and what to do, for a kill report (lib/stage.sh).
memory_in_force() {
  [[ -n $MEMORY_KIB ]] || return 1
  printf 'memory budget %s MiB (--memory %s) for the stages running at once, besides each process'\''s own runtime: give a smaller --memory, or free memory' \
    "$((MEMORY_KIB >> 10))" "$MEMORY_ARG"
}
