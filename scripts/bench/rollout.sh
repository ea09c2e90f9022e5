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
# shellcheck source=scripts/bench/test-bench.sh
source scripts/bench/test-bench.sh
run_test_bench tests/Rollout.Tests RolloutBenchmark DEVENV_ROLLOUT_BENCH_OUT "Rollout benchmark"
