#!/usr/bin/env bash
# Installs what the ONNX layer needs, idempotently (a second run only checks):
#   1. ONNX Runtime 1.30.0's libonnxruntime.so.1, taken from the npm package onnxruntime-node@1.30.0 with
#      `npm pack` (its install script never runs), checked against a pinned sha256 and put in .native/onnxruntime/.
#      The RecOperator.Onnx project copies it next to every build output, so tests and ./recop find it.
#   2. Debian's python3-onnx (onnx.checker), which the model tests use to validate the reference models.
# Usage: bash scripts/setup-onnxruntime.sh [--native-only | --checker-only]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ORT_VERSION=1.30.0
ORT_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
TARBALL_PATH=package/bin/napi-v6/linux/x64/libonnxruntime.so.1
DEST_DIR=.native/onnxruntime
DEST="$DEST_DIR/libonnxruntime.so.1"

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$ORT_SHA256" ]; }

install_native() {
  if sha_ok "$DEST"; then
    echo "setup-onnxruntime: $DEST present (ONNX Runtime $ORT_VERSION, sha256 ok)"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { echo "setup-onnxruntime: npm is required to fetch onnxruntime-node@$ORT_VERSION" >&2; return 1; }
  local tmp
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the trap must remove this very folder
  trap "rm -rf '$tmp'" RETURN
  echo "setup-onnxruntime: fetching onnxruntime-node@$ORT_VERSION with npm pack (no install scripts run)"
  (cd "$tmp" && npm pack "onnxruntime-node@$ORT_VERSION" --silent >/dev/null)
  tar -xzf "$tmp/onnxruntime-node-$ORT_VERSION.tgz" -C "$tmp" "$TARBALL_PATH"
  if ! sha_ok "$tmp/$TARBALL_PATH"; then
    echo "setup-onnxruntime: sha256 mismatch for $TARBALL_PATH (expected $ORT_SHA256); refusing to install" >&2
    return 1
  fi
  mkdir -p "$DEST_DIR"
  # Write then rename, so a concurrent reader never sees half a library.
  cp "$tmp/$TARBALL_PATH" "$DEST.partial"
  mv -f "$DEST.partial" "$DEST"
  echo "setup-onnxruntime: installed $DEST"
}

install_checker() {
  if /usr/bin/python3 -c "import onnx.checker" >/dev/null 2>&1; then
    echo "setup-onnxruntime: python3-onnx present ($(/usr/bin/python3 -c 'import onnx; print(onnx.__version__)'))"
    return 0
  fi
  if ! dpkg -s python3-onnx >/dev/null 2>&1; then
    echo "setup-onnxruntime: installing Debian python3-onnx (onnx.checker)"
    apt-get install -y -q python3-onnx >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q python3-onnx >/dev/null; }
  fi
  /usr/bin/python3 -c "import onnx.checker" || { echo "setup-onnxruntime: python3-onnx did not install" >&2; return 1; }
}

case "${1:-}" in
  --native-only) install_native ;;
  --checker-only) install_checker ;;
  # The checker only serves the model tests, so a machine without apt still gets the engine and every other test.
  "") install_native; install_checker || echo "setup-onnxruntime: WARNING: python3-onnx unavailable; the ONNX checker tests will fail" >&2 ;;
  *) echo "usage: $0 [--native-only | --checker-only]" >&2; exit 2 ;;
esac
