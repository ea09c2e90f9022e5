#!/usr/bin/env bash
# Installs dotnet-trace and dotnet-dump (global dotnet tools from NuGet): the diagnostics tests open the traces and dumps
# the pod commands write with them, as a developer would.
set -euo pipefail
version=10.0.750501
tools="${HOME}/.dotnet/tools"
for tool in dotnet-trace dotnet-dump; do
  if [ -x "${tools}/${tool}" ] && "${tools}/${tool}" --version 2>/dev/null | grep -q "^${version}"; then
    echo "diagnostics tools: ${tool} ${version} present"
    continue
  fi
  echo "diagnostics tools: installing ${tool} ${version}"
  dotnet tool update --global "${tool}" --version "${version}" >/dev/null
done
