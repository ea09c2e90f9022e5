#!/usr/bin/env bash
# The test command (README, CI). Does its own set-up on a fresh Debian machine: starts a Docker Engine
# (installing docker.io when needed), builds the FROM-scratch fixture images our machines cannot pull,
# installs headless Chromium, kind and qemu-user-static, lints the scripts, then runs every test project and always ends with one
# line "N passed, N failed, N skipped", also when a set-up step fails.
set -uo pipefail
cd "$(dirname "$0")/.." || { echo "0 passed, 1 failed"; exit 1; }

# One set-up step: its name, what to do when it fails, the command. A failure ends the run with the summary line.
setup_step() {
  local name=$1 hint=$2; shift 2
  echo "=== set-up: $name"
  if ! "$@"; then
    echo "set-up step '$name' failed: $hint"
    echo "0 passed, 1 failed"
    exit 1
  fi
}

setup_step "Docker Engine" "see the lines above; a Docker Engine must answer on DOCKER_HOST or /var/run/docker.sock (scripts/setup/docker-engine.sh)" \
  scripts/setup/docker-engine.sh
setup_step "fixture images" "scripts/fixtures/build-images.sh --force rebuilds them; it needs Debian's docker-registry package and the engine" \
  scripts/fixtures/build-images.sh
setup_step "headless Chromium" "apt-get install -y chromium (scripts/setup/browser.sh)" \
  scripts/setup/browser.sh
setup_step "kind" "kind >= 0.32 comes from Debian sid (scripts/setup/kind.sh)" \
  scripts/setup/kind.sh
setup_step "qemu (arm64 images)" "apt-get install -y qemu-user-static (scripts/setup/qemu.sh)" \
  scripts/setup/qemu.sh
setup_step "diagnostics tools" "dotnet tool install --global dotnet-trace/dotnet-dump/dotnet-gcdump --version 10.0.750501 (scripts/setup/diagnostics-tools.sh)" \
  scripts/setup/diagnostics-tools.sh
setup_step "registry tools" "apt-get install -y apache2-utils skopeo (scripts/setup/registry-tools.sh)" \
  scripts/setup/registry-tools.sh
setup_step "proxy" "apt-get install -y tinyproxy (scripts/setup/proxy.sh)" \
  scripts/setup/proxy.sh
setup_step "file watches" "raise fs.inotify.max_user_instances (scripts/setup/file-watches.sh)" \
  scripts/setup/file-watches.sh

export DEVENV_REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
export DEVENV_FIXTURE_BASE_IMAGE=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
export DEVENV_FIXTURE_ARM64_BASE_IMAGE=${DEVENV_FIXTURE_ARM64_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0-arm64}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0; failed=0; skipped=0; status=0
failures=()

# The scripts themselves are tested: shellcheck clean and free of SIGPIPE-prone pipelines.
echo "=== lint: scripts"
if scripts/lint/scripts.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("lint: scripts (scripts/lint/scripts.sh)"); fi

echo "=== build"
if ! dotnet build DevEnv.sln -c Release -nologo -v q -clp:ErrorsOnly; then
  echo "the solution does not build: see the errors above"
  echo "$passed passed, $((failed + 1)) failed"
  exit 1
fi

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
    failures+=("$name: no test results (did the build or the test host crash?)"); failed=$((failed + 1)); status=1; continue
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
  for line in "${failures[@]}"; do echo "  $line"; done
  awk '/^  Failed /{print; shown=0; grab=1; next} grab && /^  Error Message:/{next} grab && /^  (Stack Trace:|Passed |Skipped )/{grab=0; next}
       grab && shown < 6 {print; shown++}' "$results"/*.log
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
