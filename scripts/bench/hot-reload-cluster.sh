#!/usr/bin/env bash
# Save -> serving on the stand-in cluster (issue 23): the product's Hot Reload into three replicas of its rendered
# Deployment (tests/Rollout.Tests/HotReload/HotReloadDeployment.cs: dotnet-watch's build as an image with the SDK's
# agent, the key from the workload's Secret, the channel on the bridge network's gateway) under a trickle of traffic
# through the stand-in Service; the clock runs from the file write until every replica in rotation answers the saved text.
#   - Hot Reload: N method-body edits;
#   - rebuild: M rude edits, which dotnet-watch builds afresh and the product rolls out as a new image, in the same run.
# Prints p50 / p90 / max per path, failed requests, and the ratio. About 5-8 minutes on 2 cores.
# Knobs: DEVENV_HOTRELOAD_BENCH_EDITS (default 10), DEVENV_HOTRELOAD_BENCH_REBUILDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/../.."

export DEVENV_REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
export DEVENV_FIXTURE_BASE_IMAGE=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
# shellcheck source=scripts/bench/test-bench.sh
source scripts/bench/test-bench.sh
run_test_bench tests/Rollout.Tests HotReloadClusterBenchmark DEVENV_HOTRELOAD_CLUSTER_BENCH_OUT "Save -> serving on the stand-in cluster"
