#!/usr/bin/env bash
# Regenerates src/Kube/Generated from the official Kubernetes schema (shared/k8s/swagger.json).
# Commit the result; tests/RecOperator.Kube.Tests fails when the committed files differ from a fresh run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

schema="../shared/k8s/swagger.json"
[ -f "$schema" ] || schema="shared/k8s/swagger.json"
dotnet run --project tools/KubeTypesGen -c Release -- "$schema" src/Kube/Generated
