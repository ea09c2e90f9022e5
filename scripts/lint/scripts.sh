#!/usr/bin/env bash
# Lints every shell script of the project: Debian's shellcheck, clean, plus one rule shellcheck lacks.
# The rule: under `set -o pipefail` a pipeline whose reader can stop before the writer is done (head, grep -q,
# sed …q, awk … exit) fails whenever the writer gets SIGPIPE, which is timing-dependent: a fixture build died
# silently on a third of fresh machines that way. Read the whole input instead (sed -n 1p, awk with a flag,
# or capture the output and match it). Exit 0 when clean; prints each finding and exits 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

if ! command -v shellcheck >/dev/null 2>&1; then
  echo "lint: installing Debian's shellcheck"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null; } ||
    { echo "lint: cannot install shellcheck (apt-get install -y shellcheck)"; exit 1; }
fi

mapfile -t files < <(find scripts .ci -type f \( -name '*.sh' -o -name run \) | sort)
status=0
shellcheck -x "${files[@]}" || status=1

# A pipe followed by a reader that may exit early. `head -c N /dev/urandom | …` is fine (head is the writer).
early_reader='\|[[:space:]]*(head([[:space:]]|$)|grep[[:space:]]+(-[a-zA-Z]*q|--quiet)|sed[[:space:]]+(-[a-z]+[[:space:]]+)?[^|]*[0-9]q|awk[[:space:]][^|]*exit)'
if grep -nE "$early_reader" "${files[@]}"; then
  echo "lint: the lines above pipe into a reader that can stop early; under pipefail the writer's SIGPIPE fails the script"
  status=1
fi
[ "$status" -eq 0 ] && echo "lint: ${#files[@]} scripts clean (shellcheck $(shellcheck --version | sed -n 2p | cut -d' ' -f2), SIGPIPE rule)"
exit "$status"
