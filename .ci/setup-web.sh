#!/usr/bin/env bash
# Web pages and browser tests: the browser libraries from npm (YASGUI, Cytoscape.js, ECharts, pinned by
# server/web/package-lock.json) and Debian's chromium for the Playwright tests (never a
# downloaded browser build). Idempotent and non-interactive.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

if [ ! -f server/web/node_modules/.package-lock.json ] || \
   [ server/web/package-lock.json -nt server/web/node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq nodejs npm
  fi
  npm ci --prefix server/web --no-audit --no-fund --loglevel=error
fi

if [ ! -x /usr/bin/chromium ]; then
  apt-get install -y -qq chromium || { apt-get update -qq && apt-get install -y -qq chromium; }
fi
