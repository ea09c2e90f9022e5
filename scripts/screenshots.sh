#!/usr/bin/env bash
# Produces PNG screenshots of the dashboard (headless Chromium over a demo environment of fake resources:
# a running registry, an image with build timings, a failed cluster, a deployment mid-rollout) in ./screenshots/,
# and the verify-rollout card after a real run of the verifier against a local server (verify-rollout.png).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup/browser.sh >/dev/null
out=${1:-$(pwd)/screenshots}
mkdir -p "$out"
DEVENV_SCREENSHOTS_DIR="$out" dotnet test tests/AppHost.Tests -nologo -v q \
  --filter "FullyQualifiedName~DashboardServerTests.Screenshots_of_the_dashboard|FullyQualifiedName~DashboardServerTests.Verify_rollout_draws_its_chart" >/dev/null
ls -1 "$out"/*.png
