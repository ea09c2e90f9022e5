#!/usr/bin/env bash
# Pod telemetry paths (issue 25): span arrival latency at the real Aspire dashboard, p50 / p90 / max, through the
# gateway relay (one TCP hop) and through the in-cluster receiver (the real receiver process on the stand-in kubelet,
# read by the AppHost's reader through its port-forward), alternating span by span in the same run, and the ratio.
# Knob: DEVENV_TELEMETRY_BENCH_SPANS (default 100 per path). Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."

dotnet build AppHost/DevEnv.TelemetryReceiver -c Release -nologo -v q -clp:ErrorsOnly
# shellcheck source=scripts/bench/test-bench.sh
source scripts/bench/test-bench.sh
run_test_bench tests/AppHost.Tests TelemetryPathLatencyBenchmark DEVENV_TELEMETRY_BENCH_OUT "Pod telemetry paths: span arrival at the dashboard"
