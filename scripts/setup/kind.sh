#!/usr/bin/env bash
# Installs the kind CLI from Debian trixie (bookworm has no kind package), pinned low so nothing else on
# the machine is upgraded from trixie. On our CI machines kind runs but its node image cannot be pulled,
# so the tests that need a live cluster detect that and skip with the reason.
set -euo pipefail
if command -v kind >/dev/null 2>&1; then
  echo "kind: $(kind version 2>/dev/null)"
  exit 0
fi
echo "kind: installing from Debian trixie (pinned, kind only)"
if [ ! -f /etc/apt/sources.list.d/devenv-trixie.list ]; then
  echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main' \
    >/etc/apt/sources.list.d/devenv-trixie.list
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >/etc/apt/preferences.d/devenv-trixie
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t trixie kind >/dev/null
echo "kind: $(kind version 2>/dev/null)"
