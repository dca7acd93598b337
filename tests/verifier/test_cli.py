"""siteledger-verify: exit codes, stdin, JSON, the HTML report, usage errors.

Most tests call ``main(argv)`` in process; a few run ``python -m verifier`` as a subprocess to
check what the user really gets (exit status, stdin, stderr)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.bundle import build_bundle, build_wage_bundle
from tests.verifier import scenario
from tests.verifier.reportdata import english_words
from verifier.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files(fake_site: scenario.Scenario, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bundles")
    sc = fake_site
    out = {}
    for name, b in {
        "punch": build_bundle(sc.store, sc.seqs["in-0-5"]),
        "voided": build_bundle(sc.store, sc.seqs["dup"], disclose=True, vault=sc.vault),
        "wage": build_wage_bundle(sc.store, sc.workers[0], sc.site.project, "2026-10"),
    }.items():
        p = d / f"{name}.json"
        p.write_text(json.dumps(b, ensure_ascii=False))
        out[name] = p
    bad = json.loads(out["punch"].read_text())
    bad["record"]["entry"]["record"]["direction"] = "out"
    (d / "bad.json").write_text(json.dumps(bad))
    out["bad"] = d / "bad.json"
    (d / "cut.json").write_text(out["punch"].read_text()[:100])
    out["cut"] = d / "cut.json"
    return out


def test_exit_codes(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    p = str(files["punch"])
    assert main([p, "--offline"]) == 0
    assert main([p]) == 3  # no chain and not --offline: inconclusive
    assert main([str(files["bad"]), "--offline"]) == 1
    assert main([str(files["cut"]), "--offline"]) == 2
    assert main([str(files["punch"].parent / "missing.json"), "--offline"]) == 2
    # Several bundles: invalid beats unreadable beats inconclusive.
    assert main([p, str(files["cut"]), str(files["bad"]), "--offline"]) == 1
    assert main([p, str(files["cut"]), "--offline"]) == 2
    assert main([p, str(files["cut"])]) == 2
    assert main([p, str(files["wage"])]) == 3


def test_usage_errors(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    p = str(files["punch"])
    assert main([]) == 2
    assert main([p, "--rpc", "http://127.0.0.1:9", "--offline"]) == 2
    assert "exclude" in capsys.readouterr().err
    assert main([p, "--lang", "fr"]) == 2
    assert main([p, "--explorer", "https://x.example/tx/"]) == 2
    assert main(["-", "-"]) == 2
    assert main([p, "--rpc", "ftp://x"]) == 2
    assert main(["--help"]) == 0


def test_terminal_output(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    main([str(files["punch"]), "--offline"])
    out = capsys.readouterr().out
    assert "VALID" in out and "anchor NOT checked" in out
    assert "✓ Record signature" in out
    main([str(files["bad"]), "--offline", "--lang", "zh"])
    out = capsys.readouterr().out
    assert "无效" in out and "✗ 记录签名" in out
    main([str(files["punch"]), str(files["voided"]), str(files["wage"]), "--offline"])
    out = capsys.readouterr().out
    assert out.count("\n") < 10  # one line per valid bundle and a summary
    assert "3 VALID" in out


def test_json_output(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(files["voided"]), "--offline", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    r = doc["reports"][0]
    assert doc["exit_code"] == 0 and r["verdict"] == "VALID" and r["anchor_checked"] is False
    assert [c["name"] for c in r["checks"]][:6] == ["format", "items.unique", "batch.heads",
                                                    "record.signature", "keys",
                                                    "signer.registered"]  # fmt: skip
    assert r["facts"]["status"]["state"] == "voided"


@pytest.mark.parametrize("lang,words", [
    ("zh", ["电子证据核验报告", "有效", "第十六条至第十八条", "未向区块链核对"]),
    ("en", ["Evidence verification report", "VALID", "§16–18", "NOT checked"]),
])  # fmt: skip
def test_html_report(files: dict[str, Path], tmp_path: Path, lang: str, words: list[str]) -> None:
    out = tmp_path / "r.html"
    code = main([str(files["voided"]), str(files["wage"]), "--offline", "--lang", lang,
                 "--report", str(out), "--explorer", "https://scan.example/tx/{tx}"])  # fmt: skip
    assert code == 0
    html = out.read_text()
    for w in words:
        assert w in html, w
    assert 'href="https://scan.example/tx/0x' in html
    assert " src=" not in html and "https://" not in html.replace('href="https://scan.example', "")


def test_subprocess_stdin_and_exit(files: dict[str, Path]) -> None:
    data = files["punch"].read_bytes()
    res = subprocess.run([sys.executable, "-m", "verifier", "-", "--offline"], input=data,
                         capture_output=True, cwd=REPO, timeout=60)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(b"stdin: VALID")
    assert res.stderr == b""  # no progress bar when stderr is not a terminal
    res = subprocess.run([sys.executable, "-m", "verifier", "-", "--offline"], input=data[:50],
                         capture_output=True, cwd=REPO, timeout=60)  # fmt: skip
    assert res.returncode == 2


def test_a_lone_surrogate_is_reported_not_a_crash(files: dict[str, Path], tmp_path: Path) -> None:
    """A member name with a lone surrogate (a legal JSON escape) crashed the CLI while printing,
    with the exit code of INVALID and the bundles after it unreported."""
    text = files["punch"].read_text().replace('"format":', '"\\ud800x": 1, "format":', 1)
    odd = tmp_path / "odd.json"
    odd.write_text(text)
    for extra in ([], ["--json"]):
        res = subprocess.run([sys.executable, "-m", "verifier", str(odd), str(files["punch"]),
                              "--offline", *extra], capture_output=True, cwd=REPO, timeout=60)  # fmt: skip
        assert res.returncode == 1 and b"Traceback" not in res.stderr, res.stderr
        out = res.stdout.decode()
        assert "\\ud800x" in out and "unknown field" in out
        assert ("1 VALID, 1 INVALID" in out) if not extra else out.count('"verdict"') == 2


def test_unreachable_rpc_exits_3(files: dict[str, Path]) -> None:
    res = subprocess.run([sys.executable, "-m", "verifier", str(files["punch"]), "--rpc",
                          "http://127.0.0.1:9"], capture_output=True, cwd=REPO, timeout=120)  # fmt: skip
    assert res.returncode == 3, res.stdout
    assert b"unreachable" in res.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_rpc_against_a_real_node(tmp_path: Path) -> None:
    """The whole path an arbitrator takes: anchored on anvil, checked over JSON-RPC."""
    from anchor.backends import ANVIL_BINARY, AnvilBackend

    if not ANVIL_BINARY.exists():
        pytest.skip("anvil is not installed: run scripts/setup.sh")
    sc = scenario.build(tmp_path / "site", anchor=False)
    anvil = AnvilBackend(tmp_path / "home", port=_free_port())
    sc.backend = anvil
    try:
        scenario.seal_and_anchor(sc, fake=False)
        good = tmp_path / "good.json"
        good.write_text(json.dumps(build_bundle(sc.store, sc.seqs["wage0"])))
        bad_bundle = json.loads(good.read_text())
        bad_bundle["record"]["batch"]["batch_no"] = 7  # consistent offline, wrong on chain
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(bad_bundle))
        res = subprocess.run([sys.executable, "-m", "verifier", str(good), str(bad), "--rpc",
                              anvil.url, "--json"], capture_output=True, cwd=REPO, timeout=120)  # fmt: skip
        doc = json.loads(res.stdout)
        assert res.returncode == 1
        good_r, bad_r = doc["reports"]
        assert good_r["verdict"] == "VALID" and good_r["anchor_checked"] is True
        failed = [c["name"] for c in bad_r["checks"] if c["status"] == "failed"]
        assert {"chain.root", "chain.event"} <= set(failed)
    finally:
        anvil.stop(timeout=10)
        sc.store.engine.dispose()


CORPUS = Path(__file__).resolve().parents[1] / "vectors" / "bundles"
_MARKED = re.compile(r"⟦[^⟧]*⟧|⟪[^⟫]*⟫")


def test_chinese_terminal_output_has_no_untranslated_text(
    demo_out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--lang zh` prints every check detail and finding in Chinese, for the demo's bundles and
    every bundle of the tamper corpus (valid, invalid and unreadable ones). Identifiers and the
    parties' own words stay as they are: the markers the translation puts around them are kept
    for the test (the terminal drops them) and those spans are not judged."""
    monkeypatch.setattr("verifier.cli.plain", lambda text: text)
    names = sorted(str(p) for p in demo_out.glob("*.json"))
    for n, vector in enumerate(sorted([*CORPUS.glob("*.json"), *CORPUS.glob("v2/*.json")])):
        if vector.name == "chain.json":
            continue
        v = json.loads(vector.read_text())
        text = json.dumps(v["bundle"], ensure_ascii=False) if "bundle" in v else v["bundle_text"]
        path = tmp_path / f"{n:03d}.json"  # a name with digits: not a word
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    assert len(names) > 100
    main(["--lang", "zh", "--offline", "-v", *names])
    out = capsys.readouterr().out
    bad = []
    for line in out.splitlines():
        for name in names:
            line = line.replace(name, "")
        words = english_words(_MARKED.sub("", line))
        if words:
            bad.append(f"{words}: {line.strip()[:200]}")
    assert not bad, f"{len(bad)} lines not in Chinese:\n" + "\n".join(bad[:40])
