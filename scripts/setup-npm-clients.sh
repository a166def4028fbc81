#!/usr/bin/env bash
# Installs the real gRPC client (@grpc/grpc-js + @grpc/proto-loader) the pod's interop test drives, into the
# git-ignored .cache/npm. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET=.cache/npm
if [ -f "$TARGET/node_modules/@grpc/grpc-js/package.json" ] && [ -f "$TARGET/node_modules/@grpc/proto-loader/package.json" ]; then
  echo "setup-npm-clients: @grpc/grpc-js and @grpc/proto-loader present in $TARGET"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup-npm-clients: npm (and node) are required for the gRPC interop test" >&2
  exit 1
fi
mkdir -p "$TARGET"
npm install --prefix "$TARGET" --no-audit --no-fund --loglevel=error @grpc/grpc-js@1 @grpc/proto-loader@0.7 >/dev/null
echo "setup-npm-clients: installed @grpc/grpc-js and @grpc/proto-loader into $TARGET"
