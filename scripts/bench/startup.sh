#!/usr/bin/env bash
# Start-up benchmark for SampleApi publish variants. Not part of the tests (timings are noisy).
#   scripts/bench/startup.sh [runs] [variants...]      (default: 7 runs; trimmed default r2r-startup r2r-all)
# Variants: trimmed (ReadyToRunSet=none), default (the project's default, ReadyToRunSet=core), r2r-startup,
# r2r-all, untrimmed. Per variant it prints, as medians over the runs:
#   ready_ms  wall time from exec to the first 200 on GET /healthz/ready (polled every ~5 ms)
#   cpu_ms    CPU time (user+sys) the process had used by then: far less sensitive to other load on the machine
#   size_MB   the publish folder; gzip_MB: the folder as tar | gzip, about what the app adds to a pull
#   cold_s    publish into a fresh obj/ (packages already in the NuGet cache, build servers left running)
#   warm_s    publish again after a one-line change to the app (the watch loop's case)
# Each variant is published from its own copy of the sources, so obj/ folders do not interfere. Runs are
# interleaved (variant A, B, C, A, B, C, ...) so that machine noise falls on every variant alike.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-7}
shift || true
VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(trimmed default r2r-startup r2r-all)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

props() { # variant -> msbuild properties
  case $1 in
    trimmed) echo "-p:ReadyToRunSet=none" ;;
    default) echo "" ;;
    r2r-startup) echo "-p:ReadyToRunSet=startup" ;;
    r2r-all) echo "-p:ReadyToRunSet=all" ;;
    untrimmed) echo "-p:PublishTrimmed=false" ;;
    *) echo "unknown variant '$1' (trimmed, default, r2r-startup, r2r-all, untrimmed)" >&2; exit 2 ;;
  esac
}

publish_s() { # variant -> seconds (prints), publishes $OUT/$1/src into $OUT/$1/app
  local v=$1 start end
  start=$(date +%s%N)
  # shellcheck disable=SC2046
  dotnet publish "$OUT/$v/src/SampleApi" -c Release -o "$OUT/$v/app" -nologo -v q -clp:ErrorsOnly $(props "$v") \
    >"$OUT/$v/publish.log" 2>&1 || { echo "publish of $v failed:" >&2; tail -20 "$OUT/$v/publish.log" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}

# Prints "<wall ms> <cpu ms>" for one start of the app in $1.
ready_ms() {
  local dir=$1 port mport start end pid ticks
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  start=$(date +%s%N)
  # The probes answer on the management port (Probe__Port) only.
  ASPNETCORE_URLS="http://127.0.0.1:$port" Probe__Port="$mport" Probe__StateDirectory="$OUT/state" "$dir/SampleApi" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$mport/healthz/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "SampleApi in $dir exited before it was ready" >&2; exit 1; }
    sleep 0.005
  done
  end=$(date +%s%N)
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $(( ticks * 1000 / $(getconf CLK_TCK) ))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

mkdir -p "$OUT/state"
declare -A COLD WARM SIZE GZ WALLS CPUS
for v in "${VARIANTS[@]}"; do
  props "$v" >/dev/null
  # The sources only: bin/ and obj/ (hundreds of MB after a few publishes) would be copied just to be deleted.
  for d in SampleApi ServiceDefaults; do
    mkdir -p "$OUT/$v/src/$d"; (cd "$d" && tar --exclude=./bin --exclude=./obj -cf - .) | tar -xf - -C "$OUT/$v/src/$d"
  done
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props global.json nuget.config NuGet.Config; do
    [ ! -e "$f" ] || cp "$f" "$OUT/$v/src/"
  done
  COLD[$v]=$(publish_s "$v")
  hello=$(grep -rl '"Hello, World!"' "$OUT/$v/src/SampleApi" --include='*.cs' | sed -n 1p)
  sed -i 's/"Hello, World!"/"Hello, bench!"/' "$hello"
  WARM[$v]=$(publish_s "$v")
  SIZE[$v]=$(du -sb "$OUT/$v/app" | awk '{printf "%.1f", $1 / 1e6}')
  GZ[$v]=$(tar -C "$OUT/$v/app" -cf - . | gzip -c | wc -c | awk '{printf "%.1f", $1 / 1e6}')
  echo "published $v: cold ${COLD[$v]} s, warm ${WARM[$v]} s" >&2
done

for run in $(seq "$RUNS"); do
  for v in "${VARIANTS[@]}"; do
    read -r wall cpu < <(ready_ms "$OUT/$v/app")
    WALLS[$v]="${WALLS[$v]:-} $wall"; CPUS[$v]="${CPUS[$v]:-} $cpu"
  done
  echo "run $run of $RUNS done" >&2
done

printf '%-12s %9s %7s %8s %8s %7s %7s   %s\n' variant ready_ms cpu_ms size_MB gzip_MB cold_s warm_s "ready_ms of each run ($RUNS runs, interleaved)"
for v in "${VARIANTS[@]}"; do
  # shellcheck disable=SC2086
  printf '%-12s %9s %7s %8s %8s %7s %7s   %s\n' "$v" "$(printf '%s\n' ${WALLS[$v]} | median)" "$(printf '%s\n' ${CPUS[$v]} | median)" \
    "${SIZE[$v]}" "${GZ[$v]}" "${COLD[$v]}" "${WARM[$v]}" "${WALLS[$v]# }"
done
