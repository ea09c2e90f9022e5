#!/usr/bin/env bash
# Sourced by the benchmarks that are a test class skipped unless its output variable is set (hot-reload.sh,
# hot-reload-cluster.sh, liveness.sh, rollout.sh): builds the test project, runs that class alone, shows the test log
# only when it fails, then prints a header with the machine's load and the table the class wrote.
#   run_test_bench <test project folder> <test class> <output variable> <title>

run_test_bench() {
  local project=$1 class=$2 variable=$3 title=$4
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  bench_out=$(mktemp)
  export "$variable=$bench_out"
  trap 'rm -f "$bench_out" "$bench_out.log"' EXIT

  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly
  if ! dotnet test "$project" -c Release --no-build --filter "FullyQualifiedName~$class" \
       --logger "console;verbosity=minimal" >"$bench_out.log" 2>&1; then
    cat "$bench_out.log"; echo "$title failed" >&2; exit 1
  fi
  echo "# $title ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  cat "$bench_out"
}
