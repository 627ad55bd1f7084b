#!/usr/bin/env bash
# A local Redis Cluster for leakproof-kv's Redis backend: 3 masters + 3 replicas on 127.0.0.1.
#
#   scripts/redis-cluster.sh install   install redis-server and libhiredis from apt when missing
#   scripts/redis-cluster.sh start     install if needed, start the six nodes, create the cluster, wait until
#                                      every node says cluster_state:ok with all 16384 slots and every replica
#                                      is linked; prints the seed URI (redis://127.0.0.1:7101,...)
#   scripts/redis-cluster.sh stop      stop the nodes by their PID files (TERM, then KILL) and delete the directory
#   scripts/redis-cluster.sh status    print each node's state; exit 0 when the cluster is up and ok, 1 otherwise
#   scripts/redis-cluster.sh wait      wait (up to 30 s) until the running cluster is ok again (after a failover)
#   scripts/redis-cluster.sh uri       print the seed URI
#   scripts/redis-cluster.sh pid PORT  print the pid of the node on PORT (tests stop and kill nodes by it)
#
# Environment: LEAKPROOF_REDIS_PORT (first port, default 7101; the nodes use six ports from it),
# LEAKPROOF_REDIS_DIR (default ${TMPDIR:-/tmp}/leakproof-redis-<first port>). Each node runs in DIR/<port> with
# its own nodes.conf, pid file and log, no persistence, node timeout 2000 ms.
# Exit status: 0 on success, 1 when the cluster is not up (status) or failed to start, 2 for bad usage,
# 3 when redis-server or libhiredis is missing and cannot be installed on this machine.
set -euo pipefail

base=${LEAKPROOF_REDIS_PORT:-7101}
dir=${LEAKPROOF_REDIS_DIR:-${TMPDIR:-/tmp}/leakproof-redis-$base}
ports=()
for i in 0 1 2 3 4 5; do ports+=($((base + i))); done

say() { echo "redis-cluster: $*" >&2; }

uri() {
  local s="redis://" sep=""
  for p in "${ports[@]}"; do s+="${sep}127.0.0.1:$p"; sep=","; done
  echo "$s"
}

have_hiredis() {
  ldconfig -p 2>/dev/null | grep -q 'libhiredis\.so\.' || ls /usr/lib/*/libhiredis.so.* >/dev/null 2>&1
}

install() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && have_hiredis; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "redis-server or libhiredis is missing and this is not a Debian-like system: install Redis 7 and" \
        "hiredis 0.14 (libhiredis.so.0.14) yourself"
    exit 3
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      say "redis-server or libhiredis is missing: run 'sudo apt-get install -y redis-server libhiredis-dev' (needs root)"
      exit 3
    fi
  fi
  say "installing redis-server and libhiredis from apt..."
  export DEBIAN_FRONTEND=noninteractive
  if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq redis-server libhiredis-dev; } >&2; then
    say "apt-get could not install redis-server libhiredis-dev"
    exit 3
  fi
}

node_ok() { # port -> 0 when the node answers and reports cluster_state:ok with every slot
  local info
  info=$(redis-cli -p "$1" --no-auth-warning cluster info 2>/dev/null) || return 1
  grep -q '^cluster_state:ok' <<<"$info" && grep -q '^cluster_slots_ok:16384' <<<"$info"
}

all_ok() {
  local p
  for p in "${ports[@]}"; do node_ok "$p" || return 1; done
  # every replica linked to its master
  for p in "${ports[@]}"; do
    if redis-cli -p "$p" info replication 2>/dev/null | grep -q '^role:slave'; then
      redis-cli -p "$p" info replication | grep -q '^master_link_status:up' || return 1
    fi
  done
}

running() { # port -> 0 when its pid file names a live process
  local pidfile="$dir/$1/redis.pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

wait_for() { # seconds, command... -> 0 when the command succeeded within the time
  local limit=$1; shift
  local end=$((SECONDS + limit))
  while ! "$@"; do
    if [ "$SECONDS" -ge "$end" ]; then return 1; fi
    sleep 0.2
  done
}

start() {
  install
  if all_ok 2>/dev/null; then
    say "already up in $dir"
    uri
    return 0
  fi
  local p all_running=1
  for p in "${ports[@]}"; do running "$p" || all_running=0; done
  # every node runs but the cluster is not ok: most likely a failover in progress (a test stopped or killed a
  # master); give it the time a failover takes before throwing away a cluster someone else may be using
  if [ "$all_running" = 1 ] && wait_for 30 all_ok; then
    say "up in $dir after waiting for it to be ok"
    uri
    return 0
  fi
  for p in "${ports[@]}"; do
    if running "$p"; then
      say "a node of a previous run is still running on port $p but the cluster is not ok: stopping it first"
      stop
      break
    fi
  done
  rm -rf "$dir"
  for p in "${ports[@]}"; do
    if redis-cli -p "$p" ping >/dev/null 2>&1; then
      say "port $p is taken by a server this script did not start: set LEAKPROOF_REDIS_PORT to another first port"
      exit 1
    fi
    mkdir -p "$dir/$p"
    redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 2000 --dir "$dir/$p" --pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log" \
      --save '' --appendonly no --daemonize yes >/dev/null
  done
  for p in "${ports[@]}"; do
    if ! wait_for 10 redis-cli -p "$p" ping >/dev/null 2>&1; then
      say "node $p did not start: see $dir/$p/redis.log"
      exit 1
    fi
  done
  local addrs=()
  for p in "${ports[@]}"; do addrs+=("127.0.0.1:$p"); done
  if ! redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1; then
    say "redis-cli --cluster create failed: see $dir/create.log"
    exit 1
  fi
  if ! wait_for 30 all_ok; then
    say "the cluster did not reach cluster_state:ok with all slots and linked replicas within 30 s"
    status >&2 || true
    exit 1
  fi
  say "up in $dir"
  uri
}

stop() {
  local p pid
  for p in "${ports[@]}"; do
    if running "$p"; then
      pid=$(cat "$dir/$p/redis.pid")
      kill -CONT "$pid" 2>/dev/null || true # a node a test stopped with SIGSTOP
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for p in "${ports[@]}"; do
    if [ -f "$dir/$p/redis.pid" ]; then
      pid=$(cat "$dir/$p/redis.pid")
      if ! wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  done
  rm -rf "$dir"
}

status() {
  local p state up=0
  for p in "${ports[@]}"; do
    if running "$p"; then
      state=$(redis-cli -p "$p" cluster info 2>/dev/null | tr -d '\r' | grep '^cluster_state:' || echo "cluster_state:no answer")
      role=$(redis-cli -p "$p" info replication 2>/dev/null | tr -d '\r' | grep '^role:' || echo "role:?")
      echo "127.0.0.1:$p pid $(cat "$dir/$p/redis.pid") $role $state"
    else
      echo "127.0.0.1:$p not running"
      up=1
    fi
  done
  if [ "$up" = 0 ] && all_ok; then echo "ok: $(uri)"; return 0; fi
  return 1
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  uri) uri ;;
  pid) [ -n "${2:-}" ] && running "$2" || { say "no node of this cluster runs on port ${2:-?}"; exit 1; }; cat "$dir/$2/redis.pid" ;;
  wait) if ! wait_for 30 all_ok; then say "the cluster is not ok after 30 s"; status >&2 || true; exit 1; fi ;;
  *) echo "usage: $0 install|start|stop|status|wait|uri" >&2; exit 2 ;;
esac
