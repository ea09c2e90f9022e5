#!/usr/bin/env bash
# Installs what the remote-registry tests use beside the fixture registry: htpasswd (apache2-utils) writes the
# registry's bcrypt password file, skopeo is the second client that pulls what DevEnv pushed. Both from Debian.
set -euo pipefail
missing=()
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "registry tools: htpasswd and skopeo present"
  exit 0
fi
echo "registry tools: installing ${missing[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "registry tools: $(skopeo --version)"
