#!/usr/bin/env bash
# Installs shellcheck (Debian package), which the packaging tests run over tests/e2e/kind.sh. Idempotent.
set -euo pipefail
if command -v shellcheck >/dev/null 2>&1; then
  echo "setup-shellcheck: $(shellcheck --version | sed -n 's/^version: /shellcheck /p') present"
  exit 0
fi
echo "setup-shellcheck: installing Debian shellcheck"
apt-get install -y -q shellcheck >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q shellcheck >/dev/null; }
command -v shellcheck >/dev/null 2>&1 || { echo "setup-shellcheck: shellcheck did not install" >&2; exit 1; }
