#!/usr/bin/env bash
# Install everything akhbar needs on a fresh Debian machine: system packages (Apertium's Urdu
# analyser, Chromium for browser tests, PostgreSQL for the server backend, Noto fonts) and the
# Python package with its test extras. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="apertium-urd lttoolbox chromium postgresql fonts-noto-core"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

python3 -m pip install -q --upgrade pip >/dev/null 2>&1 || true
python3 -m pip install -q -e ".[test]"
echo "akhbar installed: $(command -v akhbar)"
