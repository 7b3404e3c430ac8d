#!/usr/bin/env bash
# Opt-in: Virtuoso Open Source from Debian, for tests/test_store_virtuoso.py (issue 8's second engine).
# Installs only the server binaries (virtuoso-t, isql-vt): no system service, no debconf password
# prompt. The test itself starts `virtuoso-t +foreground` on loopback with a throw-away database.
# Runs only when CLAIMGRAPH_TEST_VIRTUOSO=1; idempotent; non-interactive.
set -euo pipefail
if [[ "${CLAIMGRAPH_TEST_VIRTUOSO:-0}" != "1" ]]; then
  echo "setup-virtuoso: skipped (set CLAIMGRAPH_TEST_VIRTUOSO=1 to run the Virtuoso tests)"
  exit 0
fi
if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
  echo "setup-virtuoso: virtuoso-t already installed"
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource-7-bin
virtuoso-t +help >/dev/null 2>&1 || true
echo "setup-virtuoso: installed $(dpkg-query -W -f='${Version}' virtuoso-opensource-7-bin)"
