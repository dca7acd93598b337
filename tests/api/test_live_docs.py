"""The real server: `siteledger serve` in a subprocess on 127.0.0.1, and the curl examples of
docs/api.md run against it, block by block, as the document says they are.

The data directory is made as a new user makes it: `siteledger init --chain embedded`, then
`siteledger quickstart`, whose printed `export` lines are the only environment the examples get
(pasted before each block, as a user pastes them into a shell), in the directory it wrote the
example records to.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api.live import ROOT, cli, free_port, serve

DOC = ROOT / "docs" / "api.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
EXPECT = re.compile(r"^# expect HTTP (\d{3})$", re.MULTILINE)


@dataclass
class Live:
    base: str
    env: dict[str, str]
    workdir: Path
    exports: str  # the `export` lines quickstart printed


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("live")
    home, workdir = root / "home", root / "work"
    cli(home, "init", "--chain", "embedded")
    port = free_port()
    printed = cli(home, "quickstart", "--dir", str(workdir), "--base-url",
                  f"http://127.0.0.1:{port}").stdout  # fmt: skip
    exports = "".join(ln + "\n" for ln in printed.splitlines() if ln.startswith("export "))
    assert exports.count("export ") == 8, printed
    assert '"sig"' in printed and '"type": "attendance"' in printed  # the example record
    with serve(home, log=root / "server.log", port=port) as server:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
        yield Live(server.base, env, workdir, exports)


def _blocks() -> list[str]:
    return BLOCK.findall(DOC.read_text())


def test_the_document_has_curl_examples() -> None:
    blocks = _blocks()
    assert len(blocks) >= 10 and all("curl" in b for b in blocks)


@pytest.mark.slow
def test_curl_examples_of_docs_api_md_run_against_a_live_server(live: Live) -> None:
    """Each block in order; curl fails on any HTTP error unless the block expects one."""
    for block in _blocks():
        expect = EXPECT.search(block)
        preamble = "set -euo pipefail\n" + live.exports
        if expect is None:
            preamble += 'curl() { command curl --fail-with-body "$@"; }\n'
        out = subprocess.run(["bash", "-c", preamble + block], cwd=live.workdir, env=live.env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
        assert out.returncode == 0, f"{block}\n--- stdout\n{out.stdout}\n--- stderr\n{out.stderr}"
        assert out.stdout.strip() or "-o " in block, block
        if "/v1/presence?" in block:  # at quickstart's records (whether on shift depends on
            # the seconds since quickstart: its last IN is dated 3 s after it ran)
            assert json.loads(out.stdout)["enrolled"] is True, out.stdout
        if expect is not None:
            status = re.search(r"^HTTP/1\.[01] (\d{3})", out.stdout, re.MULTILINE)
            assert status is not None and status.group(1) == expect.group(1), out.stdout
            assert "application/problem+json" in out.stdout
    assert (live.workdir / "openapi.json").exists()
    assert json.loads((live.workdir / "openapi.json").read_text())["openapi"] == "3.1.0"
    admin = re.search(r"^export ADMIN_TOKEN=(\S+)$", live.exports, re.MULTILINE)
    assert admin is not None
    req = urllib.request.Request(live.base + "/v1/entries?type=attendance",
                                 headers={"Authorization": "Bearer " + admin.group(1)})  # fmt: skip
    with urllib.request.urlopen(req, timeout=5) as resp:
        body = json.loads(resp.read())
    assert len(body["entries"]) == 3  # the three punches the examples posted
