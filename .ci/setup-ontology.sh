#!/usr/bin/env bash
# The ontology tests run HermiT (through owlready2), which needs a Java runtime.
# Idempotent and non-interactive: installs default-jre-headless only when `java` is missing.
set -euo pipefail
if command -v java >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends default-jre-headless
java -version
