"""The import rules of DESIGN.md ("Layout"), enforced on the source rather than by review."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names) | {"__future__"}

# package -> third-party top-level modules it may import (stdlib is always allowed)
RULES: dict[str, tuple[set[str], set[str]]] = {
    # package: (allowed project packages, allowed third-party modules)
    "ledger/core": ({"ledger.core"}, {"cryptography", "rfc8785"}),
    # nacl: libsodium signature checks on ingest; cryptography: AES-GCM of the identity vault;
    # psycopg: the PostgreSQL driver under SQLAlchemy, whose client-side binding sends an
    # append's statements as one script a round trip (ledger.db).
    "ledger": ({"ledger"}, {"sqlalchemy", "alembic", "nacl", "cryptography", "rfc8785",
                            "psycopg"}),  # fmt: skip
    # witness: the operator's side of witnessing (witness.collect, the BLS point encodings)
    "anchor": ({"ledger", "anchor", "witness"}, {"web3", "eth_account", "eth_abi", "eth_utils", "eth_typing",
                                      "eth_tester", "hexbytes", "sqlalchemy", "click", "requests"}),  # fmt: skip
    "verifier": ({"ledger.core", "verifier", "anchor.reader", "anchor.errors"},
                 {"nacl", "cryptography", "py_ecc", "py_arkworks_bls12381", "eth_utils"}),
    # an institution audits what it runs: the core and the verifier only, never the store or API;
    # its curve arithmetic is verifier.bls12381's (one implementation, no curve library of its own)
    "witness": ({"ledger.core", "verifier", "witness"}, set()),
}


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(), str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out += [(node.module, node.lineno)]
            out += [(f"{node.module}.{a.name}", node.lineno) for a in node.names]
    return out


def _package_of(rel: str) -> str:
    return "ledger/core" if rel.startswith("ledger/core/") else rel.split("/")[0]


FILES = [p for pkg in ("ledger", "anchor", "verifier", "witness") for p in sorted((ROOT / pkg).rglob("*.py"))
         if "migrations" not in p.parts]  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    projects, third = RULES[_package_of(rel)]
    bad = []
    for name, line in _imports(path):
        top = name.split(".")[0]
        if top in STDLIB:
            continue
        if top in ("ledger", "anchor", "verifier", "api", "witness"):
            # "from ledger import db" lists both "ledger" and "ledger.db": judge the longest.
            if any(name == p or name.startswith(p + ".") for p in projects):
                continue
            if any(p.startswith(name + ".") for p in projects):
                continue  # a parent package of an allowed one, e.g. "ledger" for ledger.core
            bad.append(f"line {line}: {name}")
        elif top not in third:
            bad.append(f"line {line}: {name}")
    assert not bad, f"{rel} imports outside its layer: {bad}"


def test_verifier_never_loads_flask_sqlalchemy_or_the_store() -> None:
    import subprocess

    code = (
        "import sys, verifier.cli, verifier.verify\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'web3')"
        " or m in ('ledger.store', 'ledger.db', 'ledger.vault', 'ledger.bundle')]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_witness_never_loads_flask_sqlalchemy_or_the_store() -> None:
    import subprocess

    code = (
        "import sys, witness.core, witness.bank, witness.follow\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'web3', 'api')"
        " or (m.startswith('ledger.') and not m.startswith('ledger.core'))]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
