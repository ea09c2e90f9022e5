#!/usr/bin/env bash
# Installs Debian's qemu-user-static: the arm64 image test runs the pushed linux/arm64 app on this x86-64 machine
# with qemu-aarch64-static directly (no binfmt_misc registration needed, which a container may not allow).
set -euo pipefail
if command -v qemu-aarch64-static >/dev/null 2>&1; then
  echo "qemu: qemu-aarch64-static present"
  exit 0
fi
echo "qemu: installing qemu-user-static from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null
version=$(qemu-aarch64-static --version)
echo "qemu: ${version%%$'\n'*}"
