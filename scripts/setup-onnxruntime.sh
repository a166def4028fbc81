#!/usr/bin/env bash
# Installs what the ONNX layer needs, idempotently (a second run only checks):
#   1. ONNX Runtime 1.30.0's libonnxruntime.so.1, taken from the npm package onnxruntime-node@1.30.0 with
#      `npm pack` (its install script never runs), checked against a pinned sha256 and put in .native/onnxruntime/.
#      The RecOperator.Onnx project copies it next to every build output, so tests and ./recop find it.
#   2. Debian's python3-onnx (onnx.checker), which the model tests use to validate the reference models.
#   3. Only with --gpu (and then only this): ONNX Runtime 1.29.0's core and its CUDA 13 plugin execution provider, from the npm packages
#      com.github.asus4.onnxruntime and com.github.asus4.onnxruntime.linux-x64-gpu 0.4.9 (the route of docs/gpu.md),
#      checked against pinned sha256s and put together in .native/onnxruntime-gpu/. A GPU pod loads that core
#      (ORT_LIBRARY_PATH=.native/onnxruntime-gpu) and finds the provider beside it. About 330 MB to download; the CUDA
#      libraries themselves (libcublas.so.13, libcudart.so.13 ...) come from the host or the CUDA image.
# Usage: bash scripts/setup-onnxruntime.sh [--native-only | --checker-only | --gpu]
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

GPU_PACKAGE_VERSION=0.4.9
GPU_DIR=.native/onnxruntime-gpu
# Each library with its package and sha256: the core from the core package, the provider and the bridge it loads
# (libonnxruntime_providers_shared.so, which differs between the two packages) from the -gpu package.
GPU_LIBRARIES=(
  "com.github.asus4.onnxruntime libonnxruntime.so 5715f06d8992ca8eeeddcce43df3a7d38f97d537052126f558e912cb312460ca"
  "com.github.asus4.onnxruntime.linux-x64-gpu libonnxruntime_providers_shared.so c6a12593396095f5670160e284c35d1700b7708cf3037b7042e2a5200ccae772"
  "com.github.asus4.onnxruntime.linux-x64-gpu libonnxruntime_providers_cuda.so 56cf3254b118ad837ccc4ed8f6d1b23504bbf7ef91b34cbc0b289cb7f10b3037"
)

file_sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

install_gpu() {
  local entry package file sha missing=()
  for entry in "${GPU_LIBRARIES[@]}"; do
    read -r package file sha <<<"$entry"
    file_sha_ok "$GPU_DIR/$file" "$sha" || missing+=("$entry")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-onnxruntime: $GPU_DIR present (ONNX Runtime 1.29.0 core + CUDA plugin provider, sha256 ok)"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { echo "setup-onnxruntime: npm is required to fetch the GPU packages" >&2; return 1; }
  local tmp
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the trap must remove this very folder
  trap "rm -rf '$tmp'" RETURN
  mkdir -p "$GPU_DIR"
  for entry in "${missing[@]}"; do
    read -r package file sha <<<"$entry"
    if [ ! -f "$tmp/$package.tgz" ]; then
      echo "setup-onnxruntime: fetching $package@$GPU_PACKAGE_VERSION with npm pack (no install scripts run)"
      (cd "$tmp" && npm pack "$package@$GPU_PACKAGE_VERSION" --silent >/dev/null && mv "$package-$GPU_PACKAGE_VERSION.tgz" "$package.tgz")
    fi
    tar -xzf "$tmp/$package.tgz" -C "$tmp" "package/Plugins/Linux/x64/$file"
    if ! file_sha_ok "$tmp/package/Plugins/Linux/x64/$file" "$sha"; then
      echo "setup-onnxruntime: sha256 mismatch for $package/$file (expected $sha); refusing to install" >&2
      return 1
    fi
    cp "$tmp/package/Plugins/Linux/x64/$file" "$GPU_DIR/$file.partial"
    mv -f "$GPU_DIR/$file.partial" "$GPU_DIR/$file"
    echo "setup-onnxruntime: installed $GPU_DIR/$file"
  done
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
  --gpu) install_gpu ;;
  # The checker only serves the model tests, so a machine without apt still gets the engine and every other test.
  "") install_native; install_checker || echo "setup-onnxruntime: WARNING: python3-onnx unavailable; the ONNX checker tests will fail" >&2 ;;
  *) echo "usage: $0 [--native-only | --checker-only | --gpu]" >&2; exit 2 ;;
esac
