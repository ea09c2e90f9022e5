#!/usr/bin/env bash
# Liveness probe benchmark (issue 26): under the same load, on the same replicas, in the same run, the latency of the
# exec liveness probe DevEnv rendered before (`/app/SampleApi probe live` by docker exec: a second .NET process in the
# pod) against the HTTP probe it renders now (GET /healthz/live on the management port), with p50 / p99 / max and how
# often each reached the rendered timeout, plus the liveness kills of the stand-in kubelet (tests/Rollout.Tests/Harness).
# Takes about 2 minutes. Knobs: DEVENV_LIVENESS_BENCH_SECONDS (default 60), DEVENV_LIVENESS_BENCH_RATE (req/s, 330).
# Needs the Docker Engine and the fixture images (scripts/setup/docker-engine.sh, scripts/fixtures/build-images.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

export DEVENV_REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
export DEVENV_FIXTURE_BASE_IMAGE=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=$(mktemp)
export DEVENV_LIVENESS_BENCH_OUT=$out
trap 'rm -f "$out" "$out.log"' EXIT

dotnet build tests/Rollout.Tests -c Release -nologo -v q -clp:ErrorsOnly
if ! dotnet test tests/Rollout.Tests -c Release --no-build --filter "FullyQualifiedName~LivenessProbeBenchmark" \
     --logger "console;verbosity=minimal" >"$out.log" 2>&1; then
  cat "$out.log"; echo "liveness benchmark failed" >&2; exit 1
fi
echo "# Liveness probe benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$out"
