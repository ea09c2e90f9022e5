#!/usr/bin/env bash
# Runs every benchmark in turn; each prints its own table. Takes about 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")"
./startup.sh 5
./image.sh
./rollout.sh
