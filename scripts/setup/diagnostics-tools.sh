#!/usr/bin/env bash
# Installs dotnet-trace, dotnet-dump and dotnet-gcdump (global dotnet tools from NuGet): the diagnostics tests open the traces, dumps and heap snapshots
# the pod commands write with them, as a developer would.
set -euo pipefail
version=10.0.750501
tools="${HOME}/.dotnet/tools"
for tool in dotnet-trace dotnet-dump dotnet-gcdump; do
  # The version into a variable first: `grep -q` on a pipe could stop reading early (SIGPIPE under pipefail).
  installed=""
  if [ -x "${tools}/${tool}" ]; then installed=$("${tools}/${tool}" --version 2>/dev/null || true); fi
  if [[ "${installed}" == "${version}"* ]]; then
    echo "diagnostics tools: ${tool} ${version} present"
    continue
  fi
  echo "diagnostics tools: installing ${tool} ${version}"
  dotnet tool update --global "${tool}" --version "${version}" >/dev/null
done
