#!/usr/bin/env bash
# Zero-downtime benchmark: the full rollout target through the test harness (tests/Rollout.Tests/Harness, a
# test-only stand-in for kubelet + kube-proxy on the real Docker Engine with real SampleApi containers).
# Prints, in the field report's format (requests, errors, avg, min, max, stddev, plus p99):
#   - steady state / during rollout / after rollout for >= 50,000 requests at 330 req/s, 3 replicas, rolling updates
#   - scale 3 -> 1 with new connections and with keep-alive
#   - the control without preStop and drain (must show failures)
#   - per replica: time to ready, exit code, SIGKILL or not
# Takes about 5-6 minutes. Knobs: DEVENV_ROLLOUT_BENCH_STEADY / _ROLLOUT (seconds, default 70 / 60).
# Needs the Docker Engine and the fixture images (scripts/setup/docker-engine.sh, scripts/fixtures/build-images.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

export DEVENV_REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
export DEVENV_FIXTURE_BASE_IMAGE=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=$(mktemp)
export DEVENV_ROLLOUT_BENCH_OUT=$out
trap 'rm -f "$out"' EXIT

dotnet build tests/Rollout.Tests -c Release -nologo -v q -clp:ErrorsOnly
if ! dotnet test tests/Rollout.Tests -c Release --no-build --filter "FullyQualifiedName~RolloutBenchmark" \
     --logger "console;verbosity=minimal" >"$out.log" 2>&1; then
  cat "$out.log"; rm -f "$out.log"; echo "rollout benchmark failed" >&2; exit 1
fi
rm -f "$out.log"
echo "# Rollout benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$out"
