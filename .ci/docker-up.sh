#!/usr/bin/env bash
# Starts a private dockerd and a password-protected registry for the image tests.
# Idempotent: whatever already answers is left running. Prints the exports to use.
#
#   eval "$(.ci/docker-up.sh)"
#
# Settings (environment): ECS_SHIP_DOCKER_DIR (state dir, default /tmp/ecs-ship-docker),
# ECS_SHIP_REGISTRY_PORT (default: 5055, or the next free port when something else has it).
# Credentials are written to $STATE/registry.env (mode 600), never printed. A dockerd this script
# started is stopped again when a later step of the start-up fails.
set -euo pipefail

STATE="${ECS_SHIP_DOCKER_DIR:-/tmp/ecs-ship-docker}"
SOCK="$STATE/docker.sock"
REGISTRY_USER="ecs-ship"

log() { echo "docker-up: $*" >&2; }
die() { log "$*"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  log "dockerd needs root; running again with sudo"
  exec sudo -E "$0" "$@"
fi

is_static() { ! ldd "$1" >/dev/null 2>&1; }

find_busybox() {
  local candidate
  for candidate in "${ECS_SHIP_BUSYBOX:-}" /bin/busybox /usr/bin/busybox; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && is_static "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

install_missing() {
  local packages=()
  command -v dockerd >/dev/null || packages+=(docker.io)
  command -v docker-registry >/dev/null || packages+=(docker-registry)
  command -v htpasswd >/dev/null || packages+=(apache2-utils)
  command -v curl >/dev/null || packages+=(curl)
  find_busybox >/dev/null || packages+=(busybox-static)
  [ "${#packages[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing ${packages[*]} and no apt-get to install them"
  log "installing ${packages[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
}

# The Debian client may be older or newer than the daemon; an API version both speak is pinned below.
docker_ok() { DOCKER_HOST="unix://$SOCK" DOCKER_API_VERSION=1.41 docker version >/dev/null 2>&1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_dockerd() {
  if alive "$STATE/dockerd.pid" && docker_ok; then
    log "dockerd already running"
    return 0
  fi
  alive "$STATE/dockerd.pid" && die "dockerd (pid $(cat "$STATE/dockerd.pid")) runs but does not answer on $SOCK; run .ci/docker-down.sh"
  rm -f "$SOCK" "$STATE/dockerd.pid"
  log "starting dockerd (log: $STATE/dockerd.log)"
  STARTED_DOCKERD=true
  # No bridge and no iptables: this dockerd must not touch the host network. It manages its own
  # containerd under --exec-root, in its own namespace, so it cannot meet another Docker on the host.
  setsid "$(command -v dockerd)" \
    --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
    --data-root "$STATE/data" \
    --exec-root "$STATE/exec" \
    --pidfile "$STATE/dockerd.pid" \
    --containerd-namespace ecs-ship \
    --containerd-plugins-namespace ecs-ship-plugins \
    -H "unix://$SOCK" \
    </dev/null >>"$STATE/dockerd.log" 2>&1 &
  local i
  for i in $(seq 1 60); do
    docker_ok && { log "dockerd ready"; return 0; }
    sleep 0.5
  done
  tail -20 "$STATE/dockerd.log" >&2 || true
  die "dockerd did not answer on $SOCK within 30s"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The registry already running keeps its port; otherwise the one asked for, or the first free one from 5055.
choose_registry_host() {
  local port
  if [ -f "$STATE/registry.env" ] && alive "$STATE/registry.pid"; then
    REGISTRY_HOST="$(sed -n 's/^ECS_SHIP_REGISTRY=//p' "$STATE/registry.env")"
    [ -n "$REGISTRY_HOST" ] && return 0
  fi
  if [ -n "${ECS_SHIP_REGISTRY_PORT:-}" ]; then
    REGISTRY_HOST="127.0.0.1:$ECS_SHIP_REGISTRY_PORT"
    return 0
  fi
  for port in $(seq 5055 5154); do
    if ! listening "$port"; then
      REGISTRY_HOST="127.0.0.1:$port"
      return 0
    fi
  done
  die "no free port for the registry in 5055-5154; set ECS_SHIP_REGISTRY_PORT"
}

registry_status() { curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY_HOST/v2/" || true; }

write_registry_config() {
  local password
  password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
  mkdir -p "$STATE/registry-data"
  # -i: password from stdin, -B: bcrypt (the only hash the registry accepts).
  printf '%s' "$password" | htpasswd -iBn "$REGISTRY_USER" >"$STATE/htpasswd" 2>/dev/null
  (
    umask 077
    printf 'ECS_SHIP_REGISTRY=%s\nECS_SHIP_REGISTRY_USER=%s\nECS_SHIP_REGISTRY_PASSWORD=%s\n' \
      "$REGISTRY_HOST" "$REGISTRY_USER" "$password" >"$STATE/registry.env"
  )
  cat >"$STATE/registry.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $STATE/registry-data
  delete:
    enabled: true
http:
  addr: $REGISTRY_HOST
  secret: $(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
auth:
  htpasswd:
    realm: ecs-ship-test
    path: $STATE/htpasswd
EOF
}

start_registry() {
  if alive "$STATE/registry.pid" && [ "$(registry_status)" = 401 ] && [ -f "$STATE/registry.env" ]; then
    log "registry already running on $REGISTRY_HOST"
    return 0
  fi
  alive "$STATE/registry.pid" && die "registry (pid $(cat "$STATE/registry.pid")) runs but does not answer on $REGISTRY_HOST; run .ci/docker-down.sh"
  [ "$(registry_status)" = 000 ] || die "something else already listens on $REGISTRY_HOST; set ECS_SHIP_REGISTRY_PORT to a free port (or leave it unset to pick one)"
  write_registry_config
  log "starting registry on $REGISTRY_HOST (log: $STATE/registry.log)"
  setsid docker-registry serve "$STATE/registry.yml" </dev/null >>"$STATE/registry.log" 2>&1 &
  echo $! >"$STATE/registry.pid"
  local i
  for i in $(seq 1 40); do
    [ "$(registry_status)" = 401 ] && { log "registry ready"; return 0; }
    sleep 0.25
  done
  tail -20 "$STATE/registry.log" >&2 || true
  die "registry did not answer on $REGISTRY_HOST within 10s"
}

# A dockerd started here does not outlive a start-up that fails after it.
STARTED_DOCKERD=false
stop_started_dockerd() {
  [ $? -ne 0 ] && $STARTED_DOCKERD && alive "$STATE/dockerd.pid" && {
    log "start-up failed: stopping the dockerd it started"
    kill -TERM "$(cat "$STATE/dockerd.pid")" 2>/dev/null || true
  }
  return 0
}
trap stop_started_dockerd EXIT

install_missing
BUSYBOX="$(find_busybox)" || die "no statically linked busybox found"
mkdir -p "$STATE"
chmod 700 "$STATE"
start_dockerd
choose_registry_host
start_registry
echo "ECS_SHIP_BUSYBOX=$BUSYBOX" >"$STATE/busybox.env"
# Under sudo, hand the socket and the credentials to the user who will run the tests.
if [ -n "${SUDO_UID:-}" ]; then
  chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$STATE" "$SOCK" "$STATE/registry.env" "$STATE/busybox.env"
fi

echo "export DOCKER_HOST=unix://$SOCK"
echo "export DOCKER_API_VERSION=1.41"
echo "export ECS_SHIP_DOCKER_DIR=$STATE"
echo "export ECS_SHIP_REGISTRY=$REGISTRY_HOST"
