#!/usr/bin/env bash
# Installs the kind CLI (>= 0.32, whose node images run Kubernetes 1.36) from Debian sid: bookworm has
# no kind package and trixie's is 0.27. Pinned low so nothing else on the machine is upgraded from sid.
# On our CI machines kind runs but its node image cannot be pulled, so the tests that need a live
# cluster detect that and skip with the reason.
set -euo pipefail
# The version is read whole, then matched: a reader that stops early (grep -q) can kill kind with SIGPIPE.
version_ok() { local v; v=$(kind version 2>/dev/null) || return 1; [[ $v =~ v0\.(3[2-9]|[4-9][0-9])\. ]]; }
if command -v kind >/dev/null 2>&1 && version_ok; then
  echo "kind: $(kind version 2>/dev/null)"
  exit 0
fi
echo "kind: installing from Debian sid (pinned, kind only)"
if [ ! -f /etc/apt/sources.list.d/devenv-sid.list ]; then
  echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main' \
    >/etc/apt/sources.list.d/devenv-sid.list
  printf 'Package: *\nPin: release n=sid\nPin-Priority: 100\n' >/etc/apt/preferences.d/devenv-sid
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t sid kind >/dev/null 2>&1 || apt-get install -y -qq -t sid kind
echo "kind: $(kind version 2>/dev/null)"
