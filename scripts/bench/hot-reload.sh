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

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=$(mktemp)
export DEVENV_HOTRELOAD_BENCH_OUT=$out
trap 'rm -f "$out" "$out.log"' EXIT

dotnet build tests/AppHost.Tests -c Release -nologo -v q -clp:ErrorsOnly
if ! dotnet test tests/AppHost.Tests -c Release --no-build --filter "FullyQualifiedName~SaveToServingBenchmark" \
     --logger "console;verbosity=minimal" >"$out.log" 2>&1; then
  cat "$out.log"; echo "hot reload benchmark failed" >&2; exit 1
fi
echo "# Save -> serving benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$out"
