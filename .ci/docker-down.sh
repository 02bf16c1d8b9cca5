#!/usr/bin/env bash
# Stops what .ci/docker-up.sh started. Images and registry storage stay in the state dir
# (delete it to start clean); credentials are removed so the next run makes new ones.
set -euo pipefail

STATE="${ECS_SHIP_DOCKER_DIR:-/tmp/ecs-ship-docker}"

log() { echo "docker-down: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  exec sudo -E "$0" "$@"
fi

stop() {
  local name="$1" pidfile="$2" pid i
  if [ ! -f "$pidfile" ]; then
    log "$name not running"
    return 0
  fi
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for i in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) ignored TERM for 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "$name stopped"
  else
    log "$name not running (stale pid file)"
  fi
  rm -f "$pidfile"
}

stop registry "$STATE/registry.pid"
# dockerd stops its own containerd and containers on TERM.
stop dockerd "$STATE/dockerd.pid"
rm -f "$STATE/docker.sock" "$STATE/registry.env" "$STATE/htpasswd"
