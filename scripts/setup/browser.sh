#!/usr/bin/env bash
# Installs Debian's headless Chromium for the dashboard's browser tests (Playwright drives it through
# ExecutablePath=/usr/bin/chromium; a Playwright browser download cannot work on our machines).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "browser: $(chromium --version 2>/dev/null | sed -n 1p)"
  exit 0
fi
echo "browser: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "browser: $(chromium --version 2>/dev/null | sed -n 1p)"
