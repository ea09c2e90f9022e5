#!/usr/bin/env bash
# Layered image benchmark, one run, side by side on a copy of SampleApi: save -> image pushed, and bytes uploaded, for
#   devenv   our pipeline (the AppHost's `build` verb: dotnet publish, layers by MSBuild item metadata, content-cached
#            reproducible tars, upload of what the registry lacks, tag from the image digest)
#   sdk      the SDK's container publishing (dotnet publish -t:PublishContainer: the publish folder in one layer)
#   docker   dotnet publish + docker build (a Dockerfile FROM the same base) + docker push
# in trimmed and fast (untrimmed) mode: a one-line change, and an unchanged tree. Every measured run of every path
# compiles one fresh one-line change of its own (the paths share obj/, as they would on a developer's machine); the
# unchanged case runs each path twice on the same tree and measures the second run.
# "uploaded" is measured the same way for all three: the bytes of the new manifest, config and layers that the
# registry did not hold under the previous image (what a push has to send); devenv's own count is printed beside it.
# Runs in its own environment (label dev.devenv.environment=b<hex>, a free port) and removes what it made on exit.
# Needs docker, dotnet, curl, jq. Usage: scripts/bench/layers.sh
set -euo pipefail
ROOT=${DEVENV_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
NAME=b$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
LABEL=dev.devenv.environment=$NAME
REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
BASE_LOCAL=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
export DOCKER_BUILDKIT=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Build with the SDK's defaults, as on a developer's machine: CI machines (ours too) switch off the compiler server
# and MSBuild node reuse, which makes every compile of every path start Roslyn cold (Csc 3.6 s instead of 0.3 s for a
# one-line change). DEVENV_BENCH_BUILD_ENV=keep measures with the environment as it is.
BUILD_ENV="SDK defaults (compiler server, node reuse)"
if [ "${DEVENV_BENCH_BUILD_ENV:-}" = keep ]; then
  BUILD_ENV="as set: UseSharedCompilation=${UseSharedCompilation:-unset} MSBUILDDISABLENODEREUSE=${MSBUILDDISABLENODEREUSE:-unset} DOTNET_CLI_USE_MSBUILD_SERVER=${DOTNET_CLI_USE_MSBUILD_SERVER:-unset}"
else
  unset UseSharedCompilation MSBUILDDISABLENODEREUSE DOTNET_CLI_USE_MSBUILD_SERVER
fi
for tool in docker dotnet curl jq; do command -v $tool >/dev/null || { echo "bench: $tool is required (jq: apt-get install -y jq)" >&2; exit 1; }; done

WS=$(mktemp -d /tmp/devenv-layers-XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || shuf -i 40000-59999 -n1; }
PORT=$(free_port)
WATCH_PORT=$(free_port)
WATCH_LABEL=dev.devenv.environment=${NAME}w
cleanup() {
  [ -n "${UP_PID:-}" ] && kill "$UP_PID" 2>/dev/null && wait "$UP_PID" 2>/dev/null
  for label in "$LABEL" "$WATCH_LABEL"; do
    docker ps -aq --filter "label=$label" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
    docker volume ls -q --filter "label=$label" | xargs -r docker volume rm >/dev/null 2>&1 || true
  done
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^127.0.0.1:$PORT/\|^localhost:$PORT/" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$WS"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1e3 }'; }

# --- workspace and the AppHost --------------------------------------------------------------------------------------
for d in SampleApi ServiceDefaults registry; do mkdir -p "$WS/$d"; (cd "$ROOT/$d" && tar --exclude=bin --exclude=obj -cf - .) | tar -xf - -C "$WS/$d"; done
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props global.json nuget.config; do [ -f "$ROOT/$f" ] && cp "$ROOT/$f" "$WS/"; done
dotnet build "$ROOT/AppHost/AppHost.csproj" -c Release -nologo -v:q -o "$WS/apphost" >"$WS/apphost.log" 2>&1 || { tail -20 "$WS/apphost.log"; exit 1; }
PROJECT=$WS/SampleApi/SampleApi.csproj
HELLO=$(grep -rl '"Hello, World!' "$WS/SampleApi" --include='*.cs' | sed -n 1p)
EDITS=0
edit() { EDITS=$((EDITS + 1)); sed -i "s/Hello, World![^\"]*\"/Hello, World! $EDITS\"/" "$HELLO"; }
REG=localhost:$PORT

# manifest <repo> <tag>: the manifest JSON (from the registry on $MANIFEST_PORT, the benchmark's own by default).
manifest() { curl -fs -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' "http://127.0.0.1:${MANIFEST_PORT:-$PORT}/v2/$1/manifests/$2"; }
# uploaded <repo> <new tag> <old tag>: manifest bytes + blobs of the new image that the old one did not have.
uploaded() {
  local new old
  new=$(manifest "$1" "$2"); old=$(manifest "$1" "$3")
  jq -n --argjson n "$new" --argjson o "$old" --arg m "$(printf %s "$new" | wc -c)" \
    '([$o.config.digest] + [$o.layers[].digest]) as $had | ([$n.config] + $n.layers | map(select(.digest as $d | $had | index($d) | not)) | map(.size) | add // 0) + ($m | tonumber) |
     if ($n.config.digest == $o.config.digest and ($n.layers | map(.digest)) == ($o.layers | map(.digest))) then 0 else . end'
}
layers() { manifest "$1" "$2" | jq '.layers | length'; }

# devenv <mode>: our pipeline through the AppHost's build verb; sets TAG, OWN (its pushedBytes) and T (wall seconds).
devenv() {
  local t0 log=$WS/devenv-$EDITS-$1.log
  t0=$(now)
  DEVENV_NAME=$NAME DEVENV_SOURCE_ROOT=$WS DEVENV_STATE_DIR=$WS/state DEVENV_REGISTRY_PORT=$PORT DEVENV_REGISTRY_IMAGE=$REGISTRY_IMAGE \
    DEVENV_BASE_IMAGE=$BASE_LOCAL DEVENV_IMAGE_MODE=$1 dotnet "$WS/apphost/DevEnv.AppHost.dll" build >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
  T=$(secs "$t0" "$(now)")
  TAG=$(awk '$1 == "tag" { print $2 }' "$log" | tail -1)
  OWN=$(awk '$1 == "pushedBytes" { print $2 }' "$log" | tail -1)
  local publish push
  publish=$(awk '$1 == "publishSeconds" { print $2 }' "$log" | tail -1); push=$(awk '$1 == "pushSeconds" { print $2 }' "$log" | tail -1)
  # A reused image (same digest as the registry's) reports no timings: its publish and hashing ran, nothing was pushed.
  INNER=$([ -n "$publish" ] && echo "publish $publish s + image/push $push s" || echo "reused: published and hashed, nothing pushed")
}

# watch <mode>: the real inner loop. `up` with the watcher on (its own environment and registry; the cluster fails at
# once on a node image that cannot exist, the image resource does not wait for it), then three saves: W is the median seconds from
# the save to the console's next "sampleapi-image: Running - pushed" line, TAG and PREV the image after and before.
watch() {
  local log=$WS/up-$1.log t0 pushed
  : >"$log"
  DEVENV_NAME=${NAME}w DEVENV_SOURCE_ROOT=$WS DEVENV_STATE_DIR=$WS/state-w DEVENV_REGISTRY_PORT=$WATCH_PORT DEVENV_REGISTRY_IMAGE=$REGISTRY_IMAGE \
    DEVENV_BASE_IMAGE=$BASE_LOCAL DEVENV_IMAGE_MODE=$1 DEVENV_DASHBOARD_PORT=$(free_port) DEVENV_NODE_PORT=$(free_port) \
    DEVENV_NODE_IMAGE=devenv-test/no-such-node:v0 dotnet "$WS/apphost/DevEnv.AppHost.dll" >"$log" 2>&1 &
  UP_PID=$!
  until grep -q 'Watching .* for changes' "$log" && grep -q 'sampleapi-image: Running' "$log"; do
    kill -0 "$UP_PID" 2>/dev/null || { tail -20 "$log"; exit 1; }; sleep 0.2
  done
  # A developer saves minutes after `up`, not while the dashboard and DCP are still starting on the same 2 cores.
  sleep "${DEVENV_BENCH_SETTLE:-15}"
  # Three saves, one after another's push; W is the median, WALL all three, PREV/TAG the images around the last.
  local all=() i
  for i in 1 2 3; do
    PREV=$(grep -o 'sampleapi-image: Running.*' "$log" | grep -o 'src-[0-9a-f]*' | tail -1)
    pushed=$(grep -c 'sampleapi-image: Running - pushed' "$log" || true)
    edit; t0=$(now)
    until [ "$(grep -c 'sampleapi-image: Running - pushed' "$log" || true)" -gt "$pushed" ]; do
      kill -0 "$UP_PID" 2>/dev/null || { tail -20 "$log"; exit 1; }; sleep 0.05
    done
    all+=("$(secs "$t0" "$(now)")")
    TAG=$(grep -o 'sampleapi-image: Running - pushed.*' "$log" | grep -o 'src-[0-9a-f]*' | tail -1)
    [ "$i" = 3 ] || sleep 3
  done
  WALL="${all[*]}"
  W=$(printf '%s\n' "${all[@]}" | sort -n | sed -n 2p)
  # SIGTERM: a background job of a non-interactive shell ignores SIGINT, as the AppHost then does; both stop it the same way.
  kill -TERM "$UP_PID"; wait "$UP_PID" || true; UP_PID=
}

# sdk <mode> <tag>: the SDK's PublishContainer into repository sampleapi-sdk-<mode>.
sdk() {
  local trim=true t0; [ "$1" = fast ] && trim=false
  t0=$(now)
  DOTNET_TieredPGO=0 dotnet publish "$PROJECT" -c Release -r linux-x64 --self-contained -p:PublishTrimmed=$trim -p:PublishDir="$WS/pub-sdk-$1/" -t:PublishContainer \
    -p:ContainerRegistry="$REG" -p:ContainerRepository="sampleapi-sdk-$1" -p:ContainerImageTags="$2" -p:ContainerBaseImage="$REG/runtime-deps:10.0" \
    -tl:off -nologo -v:q >"$WS/sdk-$2.log" 2>&1 || { tail -20 "$WS/sdk-$2.log"; exit 1; }
  T=$(secs "$t0" "$(now)")
}

# conventional <mode> <tag>: publish to a folder, docker build FROM the same base, docker push, into sampleapi-docker-<mode>.
conventional() {
  local trim=true t0; [ "$1" = fast ] && trim=false
  t0=$(now)
  dotnet publish "$PROJECT" -c Release -r linux-x64 --self-contained -p:PublishTrimmed=$trim -o "$WS/out-$1" -tl:off -nologo -v:q >"$WS/conv-$2.log" 2>&1 || { tail -20 "$WS/conv-$2.log"; exit 1; }
  printf 'FROM %s\nWORKDIR /app\nCOPY out-%s/ /app/\nENV ASPNETCORE_HTTP_PORTS=8080\nUSER 1654\nENTRYPOINT ["/app/SampleApi"]\n' "$BASE_LOCAL" "$1" >"$WS/Dockerfile"
  docker build -q --label "$LABEL" -t "$REG/sampleapi-docker-$1:$2" -f "$WS/Dockerfile" "$WS" >/dev/null 2>&1
  docker push -q "$REG/sampleapi-docker-$1:$2" >/dev/null
  T=$(secs "$t0" "$(now)")
}

echo "== DevEnv layered image benchmark ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), base $BASE_LOCAL, registry $REGISTRY_IMAGE, $(date -u +%FT%TZ))"
echo "   builds: $BUILD_ENV"
printf '%-8s %-8s %-10s %8s %12s   %s\n' mode path case seconds uploaded notes
for mode in trimmed fast; do
  # Cold builds first (not compared): they create the registry, seed the base and fill obj/ and the caches.
  devenv "$mode"; d_prev=$TAG; d_cold=$T
  if [ "$mode" = trimmed ]; then
    docker tag "$BASE_LOCAL" "127.0.0.1:$PORT/runtime-deps:10.0" && docker push -q "127.0.0.1:$PORT/runtime-deps:10.0" >/dev/null
  fi
  sdk "$mode" c0; conventional "$mode" c0
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" devenv cold "$d_cold" "-" "$(layers sampleapi "$d_prev") layers"

  edit; devenv "$mode"; d_edit=$T; d_bytes=$(uploaded sampleapi "$TAG" "$d_prev"); d_own=$OWN; d_inner=$INNER; d_prev=$TAG
  edit; sdk "$mode" c1; s_edit=$T; s_bytes=$(uploaded "sampleapi-sdk-$mode" c1 c0)
  edit; conventional "$mode" c1; c_edit=$T; c_bytes=$(uploaded "sampleapi-docker-$mode" c1 c0)
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" devenv one-line "$d_edit" "$(kb "$d_bytes")" "own count $(kb "$d_own"); $d_inner; vs sdk $(ratio "$d_edit" "$s_edit"), vs docker $(ratio "$d_edit" "$c_edit")"
  watch "$mode"; w_bytes=$(MANIFEST_PORT=$WATCH_PORT uploaded sampleapi "$TAG" "$PREV")
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" "devenv up" "save" "$W" "$(kb "$w_bytes")" "save -> pushed under the watcher, median of $WALL s; vs sdk $(ratio "$W" "$s_edit"), vs docker $(ratio "$W" "$c_edit")"
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" sdk one-line "$s_edit" "$(kb "$s_bytes")" "$(layers "sampleapi-sdk-$mode" c1) layer(s)"
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" docker one-line "$c_edit" "$(kb "$c_bytes")" "$(layers "sampleapi-docker-$mode" c1) layer(s)"

  # Unchanged: each path first catches up with the other paths' edits (not measured), then runs again on the same tree.
  conventional "$mode" c2; c_same=$T; c_same_bytes=$(uploaded "sampleapi-docker-$mode" c2 c1)
  devenv "$mode"; d_prev=$TAG; devenv "$mode"; d_same=$T; d_same_bytes=$OWN; same_tag=$([ "$TAG" = "$d_prev" ] && echo "same tag" || echo "NEW TAG $TAG")
  sdk "$mode" c2; sdk "$mode" c3; s_same=$T; s_same_bytes=$(uploaded "sampleapi-sdk-$mode" c3 c2)
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" devenv unchanged "$d_same" "$(kb "$d_same_bytes")" "$same_tag; $INNER; vs sdk $(ratio "$d_same" "$s_same"), vs docker $(ratio "$d_same" "$c_same")"
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" sdk unchanged "$s_same" "$(kb "$s_same_bytes")" ""
  printf '%-8s %-8s %-10s %8s %12s   %s\n' "$mode" docker unchanged "$c_same" "$(kb "$c_same_bytes")" ""
done
echo "(seconds: wall time from the command's start to the image in the registry; devenv's include the AppHost process start;"
echo " 'devenv up' is the inner loop itself: from the save, under a running up with its watcher, to the image pushed)"
