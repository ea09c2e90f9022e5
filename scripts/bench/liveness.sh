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
# shellcheck source=scripts/bench/test-bench.sh
source scripts/bench/test-bench.sh
run_test_bench tests/Rollout.Tests LivenessProbeBenchmark DEVENV_LIVENESS_BENCH_OUT "Liveness probe benchmark"
