#!/usr/bin/env bash
# Image pipeline benchmark: sizes, cold publish, warm one-line-change rebuild (edit -> image pushed) with the SDK's
# container publishing, next to the conventional path measured in the same run (dotnet publish + a Dockerfile FROM
# the same base, docker build + docker push), as a ratio; then the untrimmed inner-loop mode and ReadyToRun of every
# assembly (the default publish precompiles only ReadyToRunSet=core, see SampleApi/ReadyToRun.targets),
# each with time to first HTTP 200 of the started container; then sizes next to the same app framework-dependent on
# the shared runtime (what the aspnet image holds) and a Go hello world on scratch.
# Runs in its own environment (label dev.devenv.environment=b<hex>, a free port) on a copy of SampleApi and removes
# everything it made on exit. Needs docker, dotnet, curl, jq. Usage: scripts/bench/image.sh [--quick]
set -euo pipefail
ROOT=${DEVENV_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
QUICK=${1:-}
NAME=b$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
LABEL=dev.devenv.environment=$NAME
REGISTRY_IMAGE=${DEVENV_REGISTRY_IMAGE:-devenv-fixture/registry:2.8.2}
BASE_LOCAL=${DEVENV_FIXTURE_BASE_IMAGE:-devenv-fixture/runtime-deps:10.0}
export DOCKER_BUILDKIT=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in docker dotnet curl jq; do command -v $tool >/dev/null || { echo "bench: $tool is required (jq: apt-get install -y jq)" >&2; exit 1; }; done

WS=$(mktemp -d /tmp/devenv-bench-XXXX)
cleanup() {
  docker ps -aq --filter "label=$LABEL" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  docker volume ls -q --filter "label=$LABEL" | xargs -r docker volume rm >/dev/null 2>&1 || true
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^127.0.0.1:$PORT/\|^localhost:$PORT/\|^$NAME-" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$WS"
}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || shuf -i 40000-59999 -n1)
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

# --- registry and base -------------------------------------------------------------------------------------------
docker run -d --name "$NAME-registry" --label "$LABEL" -p "127.0.0.1:$PORT:5000" "$REGISTRY_IMAGE" >/dev/null
until curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null; do sleep 0.2; done
REG=localhost:$PORT
docker tag "$BASE_LOCAL" "$REG/runtime-deps:10.0"
docker push -q "$REG/runtime-deps:10.0" >/dev/null
BASE=$REG/runtime-deps:10.0

# --- workspace: a copy of the app (the bench edits it) --------------------------------------------------------------
for d in SampleApi ServiceDefaults; do mkdir -p "$WS/$d"; (cd "$ROOT/$d" && tar --exclude=bin --exclude=obj -cf - .) | tar -xf - -C "$WS/$d"; done
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props global.json nuget.config; do [ -f "$ROOT/$f" ] && cp "$ROOT/$f" "$WS/"; done
PROJECT=$WS/SampleApi/SampleApi.csproj
HELLO=$(grep -rl '"Hello, World!"' "$WS/SampleApi" --include='*.cs' | sed -n 1p)
edit() { sed -i "s/Hello, World![^\"]*\"/Hello, World! $1\"/" "$HELLO"; }   # a one-line change that changes the IL

# publish_container <tag> <extra msbuild args...>: the SDK path, edit -> pushed.
publish_container() {
  local tag=$1; shift
  # One publish folder per mode (as the image resource does): publish copies only newer files, so a shared folder
  # would keep stale trimmed framework files when switching to untrimmed and the app would fail at start-up.
  # DOTNET_TieredPGO=0 as the image resource sets it (AppHost/Resources/Image/ImagePublisher.cs); the conventional
  # path below runs a plain publish, as a user's script would.
  DOTNET_TieredPGO=0 dotnet publish "$PROJECT" -c Release -r linux-x64 --self-contained "$@" -p:PublishDir="$WS/pub/$(echo "$*" | tr -c 'a-zA-Z0-9' _)/" -t:PublishContainer \
    -p:ContainerRegistry="$REG" -p:ContainerRepository=sampleapi -p:ContainerImageTags="$tag" -p:ContainerBaseImage="$BASE" \
    -tl:off -nologo -v:q >"$WS/publish-$tag.log" 2>&1 || { tail -20 "$WS/publish-$tag.log"; exit 1; }
}

# conventional <tag> <extra msbuild args...>: publish to a folder, Dockerfile FROM the same base, docker build + push.
conventional() {
  local tag=$1; shift
  dotnet publish "$PROJECT" -c Release -r linux-x64 --self-contained "$@" -o "$WS/out" -tl:off -nologo -v:q >"$WS/conv-$tag.log" 2>&1 || { tail -20 "$WS/conv-$tag.log"; exit 1; }
  printf 'FROM %s\nWORKDIR /app\nCOPY out/ /app/\nENV ASPNETCORE_HTTP_PORTS=8080\nUSER 1654\nENTRYPOINT ["/app/SampleApi"]\n' "$BASE_LOCAL" >"$WS/Dockerfile"
  docker build -q --label "$LABEL" -t "$REG/sampleapi-conv:$tag" -f "$WS/Dockerfile" "$WS" >/dev/null 2>&1
  docker push -q "$REG/sampleapi-conv:$tag" >/dev/null
}

# sizes <repo> <tag>: compressed (manifest config + layers) and uncompressed (pulled image) sizes.
sizes() {
  local manifest compressed uncompressed
  manifest=$(curl -fs -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' "http://127.0.0.1:$PORT/v2/$1/manifests/$2")
  compressed=$(jq '[.config.size] + [.layers[].size] | add' <<<"$manifest")
  docker pull -q "127.0.0.1:$PORT/$1:$2" >/dev/null
  uncompressed=$(docker image inspect -f '{{.Size}}' "127.0.0.1:$PORT/$1:$2")
  echo "$(mb "$uncompressed") uncompressed, $(mb "$compressed") compressed"
}

# first_200 <repo> <tag>: seconds from docker start to the first 200 on GET /.
first_200() {
  local port id t0
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  id=$(docker create --label "$LABEL" --read-only -e ASPNETCORE_HTTP_PORTS=8080 -p "127.0.0.1:$port:8080" "127.0.0.1:$PORT/$1:$2")
  t0=$(now); docker start "$id" >/dev/null
  until curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1; do
    if [ "$(docker inspect -f '{{.State.Running}}' "$id")" != true ] || [ "$(secs "$t0" "$(now)" | cut -d. -f1)" -ge 30 ]; then
      echo "no answer ($(docker logs --tail 3 "$id" 2>&1 | tr '\n' ' ' | cut -c1-300))"; docker rm -f "$id" >/dev/null; return 0
    fi
    sleep 0.02
  done
  secs "$t0" "$(now)"; docker rm -f "$id" >/dev/null
}

echo "== DevEnv image benchmark ($(nproc) cores, base $BASE_LOCAL, registry $REGISTRY_IMAGE)"
t0=$(now); publish_container cold -p:PublishTrimmed=true; cold=$(secs "$t0" "$(now)")
echo "cold publish (restore+compile+trim+image+push, self-contained trimmed): ${cold} s"
echo "image (trimmed, ReadyToRunSet=core): $(sizes sampleapi cold)"
echo "start to first 200 (trimmed): $(first_200 sampleapi cold) s"

edit 1; t0=$(now); publish_container warm1 -p:PublishTrimmed=true; warm=$(secs "$t0" "$(now)")
edit 2; t0=$(now); conventional conv1 -p:PublishTrimmed=true; conv=$(secs "$t0" "$(now)")
echo "warm one-line change, SDK container publish (edit -> pushed): ${warm} s"
echo "warm one-line change, publish + docker build + docker push:   ${conv} s"
echo "ratio SDK / conventional: $(awk -v a="$warm" -v b="$conv" 'BEGIN { printf "%.2f", a / b }')"
[ "$QUICK" = "--quick" ] && exit 0

edit 3; publish_container fast0 -p:PublishTrimmed=false >/dev/null
edit 4; t0=$(now); publish_container fast1 -p:PublishTrimmed=false; fast=$(secs "$t0" "$(now)")
echo "inner-loop mode (self-contained, untrimmed) warm one-line change: ${fast} s; image $(sizes sampleapi fast1); first 200 $(first_200 sampleapi fast1) s"

edit 5; publish_container r2r0 -p:PublishTrimmed=true -p:PublishReadyToRun=true >/dev/null
edit 6; t0=$(now); publish_container r2r1 -p:PublishTrimmed=true -p:PublishReadyToRun=true; r2r=$(secs "$t0" "$(now)")
echo "trimmed + ReadyToRun of every assembly (ReadyToRunSet=all) warm one-line change: ${r2r} s; image $(sizes sampleapi r2r1); first 200 $(first_200 sampleapi r2r1) s"

# --- size comparison: what the same app weighs the conventional way, and a Go binary on scratch ---------------------
# The aspnet image cannot be pulled here, so its equivalent is built FROM the same base: the SDK's own shared runtime
# (dotnet host, Microsoft.NETCore.App, Microsoft.AspNetCore.App, as aspnet:10.0-noble-chiseled carries them) plus a
# framework-dependent publish of the same app. The Debian-based aspnet:10.0 adds a full Debian userland on top.
DOTNET_ROOT_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")
NETCORE=$(printf '%s\n' "$DOTNET_ROOT_DIR"/shared/Microsoft.NETCore.App/10.* | sort -V | tail -1)
ASPNET=$(printf '%s\n' "$DOTNET_ROOT_DIR"/shared/Microsoft.AspNetCore.App/10.* | sort -V | tail -1)
mkdir -p "$WS/fd/dotnet/shared/Microsoft.NETCore.App" "$WS/fd/dotnet/shared/Microsoft.AspNetCore.App"
cp "$DOTNET_ROOT_DIR/dotnet" "$WS/fd/dotnet/"; cp -r "$DOTNET_ROOT_DIR/host" "$WS/fd/dotnet/"
cp -r "$NETCORE" "$WS/fd/dotnet/shared/Microsoft.NETCore.App/"; cp -r "$ASPNET" "$WS/fd/dotnet/shared/Microsoft.AspNetCore.App/"
dotnet publish "$PROJECT" -c Release -r linux-x64 --self-contained false -p:PublishTrimmed=false -p:PublishSelfContained=false \
  -o "$WS/fd/app" -tl:off -nologo -v:q >"$WS/fd.log" 2>&1 || { tail -20 "$WS/fd.log"; exit 1; }
printf 'FROM %s\nCOPY dotnet/ /usr/share/dotnet/\nCOPY app/ /app/\nENV ASPNETCORE_HTTP_PORTS=8080 DOTNET_ROOT=/usr/share/dotnet\nUSER 1654\nENTRYPOINT ["/usr/share/dotnet/dotnet", "/app/SampleApi.dll"]\n' "$BASE_LOCAL" >"$WS/fd/Dockerfile"
docker build -q --label "$LABEL" -t "$REG/sampleapi-aspnet:1" "$WS/fd" >/dev/null 2>&1 && docker push -q "$REG/sampleapi-aspnet:1" >/dev/null
echo "framework-dependent on the same base + shared runtime (aspnet-style): image $(sizes sampleapi-aspnet 1); first 200 $(first_200 sampleapi-aspnet 1) s"

if ! command -v go >/dev/null && [ "$(id -u)" = 0 ]; then apt-get install -y -qq golang-go >/dev/null 2>&1 || true; fi
if command -v go >/dev/null; then
  mkdir -p "$WS/go"
  cat >"$WS/go/main.go" <<'GO'
package main

import (
	"fmt"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "Hello, World!") })
	http.ListenAndServe(":8080", nil)
}
GO
  (cd "$WS/go" && GOCACHE="$WS/go/cache" GO111MODULE=off CGO_ENABLED=0 go build -ldflags='-s -w' -o hello main.go)
  printf 'FROM scratch\nCOPY hello /hello\nUSER 1654\nENTRYPOINT ["/hello"]\n' >"$WS/go/Dockerfile"
  docker build -q --label "$LABEL" -t "$REG/hello-go:1" -f "$WS/go/Dockerfile" "$WS/go" >/dev/null 2>&1 && docker push -q "$REG/hello-go:1" >/dev/null
  echo "Go hello world on scratch ($(go version | cut -d' ' -f3), static, stripped): image $(sizes hello-go 1); first 200 $(first_200 hello-go 1) s"
else
  echo "Go hello world on scratch: skipped (go is not installed: apt-get install -y golang-go)"
fi
