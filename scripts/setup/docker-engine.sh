#!/usr/bin/env bash
# Makes sure a Docker Engine answers on this machine: installs Debian's docker.io when no engine is
# installed and starts dockerd in the background when none is running (our machines have no systemd).
# Idempotent: does nothing when `docker version` already reaches a daemon.
set -euo pipefail

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  echo "docker-engine: already running ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  echo "docker-engine: DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker-engine: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

echo "docker-engine: starting dockerd (log: /var/log/dockerd.log)"
# In a session of its own: dockerd outlives the shell, job or test process that happened to start it (twice on our
# shared machines a stopped job took the engine down with it, and every later Docker test failed).
setsid nohup dockerd >/var/log/dockerd.log 2>&1 < /dev/null &

for _ in $(seq 1 60); do
  if engine_answers; then
    echo "docker-engine: ready ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "docker-engine: dockerd did not answer within 60 s; last lines of /var/log/dockerd.log:" >&2
tail -n 20 /var/log/dockerd.log >&2
exit 1
