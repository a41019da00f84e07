#!/usr/bin/env bash
# EMR bootstrap action: installs Node.js 20 on every node of an EMR 7 cluster
# (Amazon Linux 2023 has no Node.js by default) so the streaming tasks can run
# `node identity-mapper.js` etc. from their working directory.
#
# Runs as the `hadoop` user on every node before YARN starts; a non-zero exit
# fails the node's bootstrap and with it the cluster, before any step runs,
# which is what we want: a node without Node would fail every task it gets.
#
# AL2023 ships Node.js namespaced (package nodejs20 -> /usr/bin/node-20); the
# plain `node` is a link managed by `alternatives`. We point it at node-20,
# or link it ourselves when alternatives has no entry for node.
#
# Environment (for tests and other distributions): NODE_MAJOR (default 20),
# MIN_NODE_MAJOR (default 18), NODE_BIN_DIR (default /usr/bin).
set -Eeuo pipefail

NODE_MAJOR=${NODE_MAJOR:-20}
MIN_NODE_MAJOR=${MIN_NODE_MAJOR:-18}
NODE_BIN_DIR=${NODE_BIN_DIR:-/usr/bin}

say() { printf 'bootstrap-node: %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}
trap 'die "failed at line $LINENO: $BASH_COMMAND"' ERR

# as_root COMMAND...: bootstrap actions run as `hadoop`, which has passwordless sudo.
as_root() {
  if ((EUID == 0)); then "$@"; else sudo -n "$@"; fi
}

# node_major: the major version of `node` on PATH, or nothing.
node_major() {
  local v
  v=$(node --version 2>/dev/null) || return 0
  if [[ $v =~ ^v([0-9]+)\. ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
}

install_node() {
  say "installing nodejs$NODE_MAJOR with dnf"
  as_root dnf install -y -q "nodejs$NODE_MAJOR" >&2 || die "dnf install nodejs$NODE_MAJOR failed"
  local versioned=$NODE_BIN_DIR/node-$NODE_MAJOR
  [[ -x $versioned ]] || die "nodejs$NODE_MAJOR installed no $versioned"
  if command -v alternatives >/dev/null 2>&1 && as_root alternatives --display node >/dev/null 2>&1; then
    as_root alternatives --set node "$versioned" || die "alternatives --set node $versioned failed"
  else
    as_root ln -sfn "$versioned" "$NODE_BIN_DIR/node" || die "cannot link $NODE_BIN_DIR/node"
  fi
  hash -r
}

main() {
  local major
  major=$(node_major)
  if [[ -n $major ]] && ((major >= MIN_NODE_MAJOR)); then
    say "node $(node --version) already installed"
  else
    [[ -z $major ]] || say "node $(node --version) is older than $MIN_NODE_MAJOR"
    install_node
    major=$(node_major)
  fi
  [[ -n $major ]] || die "node is not on PATH after the install (PATH=$PATH)"
  ((major >= MIN_NODE_MAJOR)) || die "node $(node --version) is older than the $MIN_NODE_MAJOR the job needs"
  say "ok: $(command -v node) $(node --version)"
}

main "$@"
