#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every test: lint, types, the Python suite (SQLite always;
# PostgreSQL when SITELEDGER_TEST_DATABASE_URL is set), the contract artifact check and the
# Hardhat contract tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== ruff"
.venv/bin/ruff check .
echo "== mypy --strict (ledger/core, verifier, witness)"
.venv/bin/mypy ledger/core verifier witness
if [ -f hardhat/package.json ]; then
  echo "== contract artifacts and Hardhat tests"
  (cd hardhat && npm run --silent check-artifacts && npm test --silent)
fi
echo "== pytest"
.venv/bin/pytest "$@"
