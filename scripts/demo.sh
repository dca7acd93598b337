#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs `siteledger demo` on the embedded defaults: a temporary
# SQLite ledger and an in-process chain. Extra arguments go to the demo (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/siteledger demo "$@"
