#!/usr/bin/env bash
# The test command (README, CI). Does its own set-up on a fresh Debian machine: starts a Docker Engine
# (installing docker.io when needed), builds the FROM-scratch fixture images our machines cannot pull,
# installs headless Chromium, then runs every test project and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/setup/docker-engine.sh || exit 1
scripts/fixtures/build-images.sh || exit 1
scripts/setup/browser.sh || exit 1
scripts/setup/kind.sh || exit 1

export DEVENV_REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
export DEVENV_FIXTURE_BASE_IMAGE=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build DevEnv.sln -c Release -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; skipped=0; status=0
results=$(mktemp -d)
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  rm -f "$results/$name.trx"
  # A hung test must not eat CI's time budget: blame-hang kills and reports it.
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" \
    --logger "trx;LogFileName=$results/$name.trx" --blame-hang-timeout 10m 2>&1 | tee "$results/$name.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # The trx file's <Counters> are the machine-readable totals (skipped tests are the ones not executed).
  counters=$(grep -o '<Counters [^>]*>' "$results/$name.trx" 2>/dev/null)
  if [ -z "$counters" ]; then
    echo "$name: no test results (did the build or the test host crash?)"; failed=$((failed + 1)); status=1; continue
  fi
  count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count total) - $(count executed)))
done

echo "test results (trx): $results"
# CI shows only the tail of the output: repeat each failed test with the start of its message just above the summary.
if [ "$failed" -ne 0 ]; then
  echo "failed tests:"
  awk '/^  Failed /{print; shown=0; grab=1; next} grab && /^  Error Message:/{next} grab && /^  (Stack Trace:|Passed |Skipped )/{grab=0; next}
       grab && shown < 6 {print; shown++}' "$results"/*.log
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
