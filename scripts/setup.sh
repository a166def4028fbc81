#!/usr/bin/env bash
# Sets up everything the project needs on a fresh machine. Idempotent: a second run only checks.
# Each part is its own script, so CI and developers install exactly the same things.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK 10 is required (dotnet not found on PATH)" >&2
  exit 1
fi

echo "setup: restoring NuGet packages"
dotnet restore RecOperator.sln --nologo -v q
bash scripts/setup-onnxruntime.sh
bash scripts/setup-prometheus.sh
bash scripts/setup-npm-clients.sh
bash scripts/setup-shellcheck.sh
