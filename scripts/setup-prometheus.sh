#!/usr/bin/env bash
# Installs Prometheus and promtool (Debian package) for the pod's metrics tests. Idempotent: skips when promtool exists.
set -euo pipefail
if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  echo "setup-prometheus: $(promtool --version 2>&1 | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
echo "setup-prometheus: installing the Debian package prometheus (it does not start by itself)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package may enable a system service; the tests start their own Prometheus on a free port instead.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true; fi
promtool --version 2>&1 | head -1
