#!/usr/bin/env bash
# Save -> serving benchmark (issue 23): three real SampleApi replicas under a trickle of traffic, N edits of the root
# endpoint's text per path, the clock from the file write until every replica answers the new text.
#   - Hot Reload: the SDK's dotnet-watch compiles each save into deltas; DevEnv applies them to every replica through
#     its channel (the SDK's agent in each replica dials it);
#   - the rebuild loop in the same run: a build of the edit and a rolling replacement of the replicas.
# Prints p50 / p90 / max per path, failed requests, and the ratio. About 3-5 minutes on 2 cores.
# Knob: DEVENV_HOTRELOAD_BENCH_EDITS (default 10).
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=scripts/bench/test-bench.sh
source scripts/bench/test-bench.sh
run_test_bench tests/AppHost.Tests SaveToServingBenchmark DEVENV_HOTRELOAD_BENCH_OUT "Save -> serving benchmark"
