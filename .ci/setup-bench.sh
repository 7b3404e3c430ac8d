#!/usr/bin/env bash
# Benchmarks: wrk (Debian) is the HTTP load generator for `python -m bench`. Idempotent.
# Without it the benchmark (and its smoke test) fall back to a Python client, so this is
# recommended rather than required.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-bench: wrk missing and not root; the benchmark will use its Python load generator" >&2
    exit 0
  fi
fi
$SUDO apt-get install -y -q wrk || { $SUDO apt-get update -q && $SUDO apt-get install -y -q wrk; }
