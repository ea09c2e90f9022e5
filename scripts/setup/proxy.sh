#!/usr/bin/env bash
# Installs Debian's tinyproxy for the registry client's proxy tests (HTTPS_PROXY with Basic proxy credentials,
# NO_PROXY). The tests start their own tinyproxy on a free loopback port with their own config; the package's
# service is not used (no systemd here), so it is only installed.
set -euo pipefail
if command -v tinyproxy >/dev/null 2>&1; then
  echo "proxy: tinyproxy present"
  exit 0
fi
echo "proxy: installing tinyproxy from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends tinyproxy >/dev/null
proxy_version=$(tinyproxy -v 2>&1 || true)
echo "proxy: ${proxy_version%%$'\n'*}"
