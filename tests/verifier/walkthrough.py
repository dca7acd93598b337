"""Produce the terminal session quoted in docs/verifying.md (real output, nothing edited).

    .venv/bin/python -m tests.verifier.walkthrough OUTDIR

Builds the scenario of ``tests/verifier/scenario.py``, anchors it on a local anvil node started
for the purpose (stopped by its PID at the end), writes a few bundles to OUTDIR and runs
``siteledger-verify`` on them the way an arbitrator would, printing each command and its output.
"""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from anchor.backends import AnvilBackend
from ledger.bundle import build_bundle, build_wage_bundle
from tests.verifier import scenario

REPO = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: str, cwd: Path) -> None:
    print(f"$ {cmd}")
    argv = shlex.split(cmd)
    argv[0] = str(REPO / ".venv/bin" / argv[0])
    res = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    sys.stdout.write(res.stdout)
    sys.stdout.write(res.stderr)
    print(f"$ echo $?\n{res.returncode}\n")


def main() -> int:
    out = Path(sys.argv[1]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sc = scenario.build(Path(tmp), anchor=False)
        anvil = AnvilBackend(Path(tmp) / "home", port=_port())
        sc.backend = anvil
        try:
            scenario.seal_and_anchor(sc, fake=False)
            wage = build_bundle(sc.store, sc.seqs["wage0"],
                                explorer_tx_url="https://explorer.example/tx/{tx}")  # fmt: skip
            (out / "wage-line.json").write_text(json.dumps(wage, indent=1, ensure_ascii=False))
            month = build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10")
            (out / "october.json").write_text(json.dumps(month, ensure_ascii=False))
            bad = json.loads(json.dumps(wage))
            bad["record"]["entry"]["record"]["gross"] += 50000
            bad["record"]["entry"]["record"]["net"] += 50000
            (out / "wage-line-altered.json").write_text(json.dumps(bad, ensure_ascii=False))
            rpc = anvil.url
            venv = "siteledger-verify"
            run(f"{venv} wage-line.json --rpc {rpc}", out)
            run(f"{venv} wage-line-altered.json --rpc {rpc}", out)
            run(f"{venv} october.json --rpc {rpc} --lang zh --report october.html", out)
            run(f"{venv} wage-line.json --offline", out)
            run(f"{venv} wage-line.json", out)
        finally:
            anvil.stop(timeout=10)
            sc.store.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
