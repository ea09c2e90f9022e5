#!/usr/bin/env bash
# Dashboard reliability (issue 26): runs the real-dashboard test (a real `up`, the real Aspire dashboard in headless
# Chromium, AspireDashboardTests) RUNS times in a row, optionally while a build keeps the CPUs busy as on a busy laptop,
# and prints each run's result and duration, then passed/failed and min/median/max. The failed runs' logs are kept.
# Usage: scripts/bench/dashboard-repeat.sh [RUNS=20] [LOAD=1]   (LOAD=1: `dotnet build SampleApi --no-incremental`
# in a loop in the background; LOAD=0: an idle machine). A run takes about 40-90 s.
# Needs the Docker Engine, the fixture images and Chromium (scripts/setup/docker-engine.sh, scripts/fixtures/build-images.sh,
# scripts/setup/browser.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-20}
load=${2:-1}
export DEVENV_REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
export DEVENV_FIXTURE_BASE_IMAGE=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
logs=$(mktemp -d /tmp/devenv-dashboard-repeat-XXXXXX)
loader=

stop_load() {
  if [[ -n $loader ]]; then
    kill -- "-$loader" 2>/dev/null || true
    wait "$loader" 2>/dev/null || true
    loader=
  fi
}
trap stop_load EXIT

dotnet build tests/AppHost.Tests -c Release -nologo -v q -clp:ErrorsOnly

if [[ $load == 1 ]]; then
  # Its own process group, so stopping it stops the build it is running too.
  set -m
  ( while true; do dotnet build SampleApi -c Release --no-incremental -nologo -v q -p:UseSharedCompilation=false >/dev/null 2>&1 || true; done ) &
  loader=$!
  set +m
fi

passed=0 failed=0 durations=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s)
  log="$logs/run-$i.log"
  if dotnet test tests/AppHost.Tests -c Release --no-build --filter "FullyQualifiedName~Dashboard.AspireDashboardTests" \
       --logger "console;verbosity=normal" >"$log" 2>&1; then
    result=passed; passed=$((passed + 1)); rm -f "$log"
  else
    result="FAILED (log: $log)"; failed=$((failed + 1))
  fi
  seconds=$(($(date +%s) - start))
  durations+=("$seconds")
  printf 'run %2d: %s in %d s (load average %s)\n' "$i" "$result" "$seconds" "$(cut -d' ' -f1 /proc/loadavg)"
done
stop_load

sorted=$(printf '%s\n' "${durations[@]}" | sort -n)
min=$(sed -n 1p <<<"$sorted")
max=$(sed -n "${#durations[@]}p" <<<"$sorted")
median=$(sed -n "$(((${#durations[@]} + 1) / 2))p" <<<"$sorted")
echo "# Dashboard test, $runs runs in a row ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, background build: $([[ $load == 1 ]] && echo yes || echo no))"
echo "passed $passed, failed $failed; duration min $min s, median $median s, max $max s"
[[ $failed == 0 ]] || { echo "failed runs' logs: $logs" >&2; exit 1; }
rmdir "$logs" 2>/dev/null || true
