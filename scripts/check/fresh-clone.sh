#!/usr/bin/env bash
# What a new user gets: clones the committed HEAD into an empty temporary folder (nothing outside the repository beside it),
# removes the fixture images so they are built again, runs the test command's set-up, rebuilds the fixtures from
# nothing N more times (default 5) counting failures, and runs the tests that need the Kubernetes schema.
# Usage: scripts/check/fresh-clone.sh [repeats]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
repeats=${1:-5}

parent=$(mktemp -d)
trap 'rm -rf "$parent"' EXIT
git clone -q . "$parent/repo" || { echo "fresh-clone: git clone failed"; exit 1; }
cd "$parent/repo" || exit 1
echo "fresh-clone: $(git log -1 --format='%h %s') in $parent/repo; beside it: $(find "$parent" -mindepth 1 -maxdepth 1 -printf '%f ')"

docker image rm -f devenv-fixture/registry:2.8.2 devenv-fixture/runtime-deps:10.0 >/dev/null 2>&1
scripts/setup/docker-engine.sh || { echo "fresh-clone: Docker Engine set-up failed"; exit 1; }

failures=0
for i in $(seq 0 "$repeats"); do
  if [ "$i" -eq 0 ]; then scripts/fixtures/build-images.sh >/dev/null; else scripts/fixtures/build-images.sh --force >/dev/null; fi \
    || { failures=$((failures + 1)); echo "fresh-clone: fixture build $i failed"; }
done
echo "fresh-clone: fixture build from nothing $((repeats + 1)) times, $failures failed"

dotnet test tests/AppHost.Tests/AppHost.Tests.csproj -c Release --filter "FullyQualifiedName~KubernetesSchema|FullyQualifiedName~Manifests" \
  -nologo -v q 2>&1 | grep -E '^(Passed!|Failed!|  Failed )|error' ; test_status=${PIPESTATUS[0]}
echo "fresh-clone: schema tests exit $test_status"
[ "$failures" -eq 0 ] && [ "$test_status" -eq 0 ]
