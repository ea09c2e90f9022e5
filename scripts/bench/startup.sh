#!/usr/bin/env bash
# Start-up benchmark for SampleApi: published size and time from process start to the first 200 on GET /,
# for several publish variants. Prints one line per variant. Not part of the tests (timings are noisy).
#   scripts/bench/startup.sh [runs-per-variant]     (default 5; variants: trimmed, untrimmed, trimmed+r2r)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

publish() { # name, extra msbuild properties...
  local name=$1; shift
  dotnet publish SampleApi -c Release -r linux-x64 --self-contained -o "$OUT/$name" -nologo -v q -clp:ErrorsOnly "$@" >/dev/null
}

# Prints "<wall ms> <cpu ms>": wall time from exec to the first 200 on /, and the CPU time (user+sys) the
# process had used by then, which is far less sensitive to other load on a shared machine.
first_200_ms() { # dir
  local dir=$1 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local start end
  start=$(date +%s%N)
  ASPNETCORE_URLS="http://127.0.0.1:$port" Probe__StateDirectory="$OUT/state" "$dir/SampleApi" >/dev/null 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.005; done
  end=$(date +%s%N)
  local ticks tck
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat"); tck=$(getconf CLK_TCK)
  kill -TERM "$pid"; wait "$pid" || true
  echo "$(( (end - start) / 1000000 )) $(( ticks * 1000 / tck ))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

mkdir -p "$OUT/state"
variants=("trimmed:-p:PublishTrimmed=true" "untrimmed:-p:PublishTrimmed=false" "trimmed+r2r:-p:PublishTrimmed=true -p:PublishReadyToRun=true")
printf '%-12s %8s %14s %12s   %s\n' variant size_MB first_200_ms cpu_ms "(medians of $RUNS runs; all wall times)"
for v in "${variants[@]}"; do
  name=${v%%:*}; props=${v#*:}
  # shellcheck disable=SC2086
  if ! publish "$name" $props 2>"$OUT/$name.err"; then
    printf '%-12s %8s %14s %12s   %s\n' "$name" "-" "-" "-" "publish failed: $(tail -1 "$OUT/$name.err")"; continue
  fi
  size=$(du -sm "$OUT/$name" | cut -f1)
  times=(); cpus=()
  for _ in $(seq "$RUNS"); do read -r wall cpu < <(first_200_ms "$OUT/$name"); times+=("$wall"); cpus+=("$cpu"); done
  printf '%-12s %8s %14s %12s   %s\n' "$name" "$size" "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" "${times[*]}"
done
