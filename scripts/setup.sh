#!/usr/bin/env bash
# Sets up everything siteledger needs on a fresh machine: a virtual environment with the project
# and its development tools, and the Node packages of hardhat/ (solc-js, Hardhat 2, anvil).
# Safe to run again: it only reinstalls what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Headless Chromium for the verifier page's tests (tests/verifier/test_web.py): Debian's package,
# driven by Playwright from PyPI; Playwright never downloads a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=.venv/.siteledger-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  echo "$want" > "$stamp"
fi

if [ -f hardhat/package-lock.json ] && command -v npm >/dev/null 2>&1; then
  nstamp=hardhat/node_modules/.siteledger-installed
  nwant=$(sha256sum hardhat/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$nstamp" ] || [ "$(cat "$nstamp")" != "$nwant" ]; then
    (cd hardhat && npm ci --no-audit --no-fund --loglevel=error)
    echo "$nwant" > "$nstamp"
  fi
fi
