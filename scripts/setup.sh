#!/usr/bin/env bash
# Sets up everything siteledger needs on a fresh machine: a virtual environment with the project
# and its development tools, and the Node packages of hardhat/ (solc-js, Hardhat 2, anvil).
# Safe to run again: it only reinstalls what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

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
