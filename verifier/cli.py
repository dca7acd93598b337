"""``siteledger-verify``: verify proof bundles from files or stdin.

Exit codes: 0 every bundle VALID; 1 any bundle INVALID; 2 unreadable input (a file that cannot
be read or is not JSON) or a usage error; 3 any bundle INCONCLUSIVE (the chain could not be
reached, or neither --rpc nor --offline was given). When several apply, 1 wins over 2, and 2
over 3: a bundle proven false matters most.

argparse rather than click, and web3 only behind --rpc, keep start-up under half a second.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from verifier import bls12381
from verifier.i18n import CHECK, FINDING, KIND, RECORD_TYPE, STATUS, VERDICT, detail, plain, t
from verifier.result import Check, Report, Status, Verdict
from verifier.verify import ChainLike, Verifier

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE, EXIT_INCONCLUSIVE = 0, 1, 2, 3

_MARK = {
    Status.PASSED: "✓",
    Status.FAILED: "✗",
    Status.SKIPPED: "-",
    Status.INCONCLUSIVE: "?",
}


class _Usage(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="siteledger-verify",
        description="Verify siteledger proof bundles: signatures, key registrations, Merkle "
        "inclusion, and (with --rpc) the anchor on chain.",
        epilog="Exit codes: 0 all valid, 1 any invalid, 2 unreadable input or usage, "
        "3 inconclusive (chain not reachable or not asked).",
    )
    p.add_argument("bundles", nargs="+", metavar="BUNDLE", help="bundle file, or - for stdin")
    p.add_argument("--rpc", metavar="URL", help="JSON-RPC URL of the chain the bundle names")
    p.add_argument("--offline", action="store_true",
                   help="do not check the anchor on chain; a passing bundle is VALID with the "
                   "anchor NOT checked")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    p.add_argument("--report", metavar="FILE", help="write an HTML evidence report to FILE")
    p.add_argument("--lang", choices=("zh", "en"), default="en",
                   help="language of the terminal output and the report (default en)")  # fmt: skip
    p.add_argument("--explorer", metavar="URL",
                   help="block explorer link template with {tx}, e.g. "
                   "https://explorer.example/tx/{tx} (overrides the bundle's)")  # fmt: skip
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show every check of every bundle (default: details only for one "
                   "bundle or for bundles that are not VALID)")  # fmt: skip
    return p


def exit_code(reports: Sequence[Report]) -> int:
    if any(r.verdict is Verdict.INVALID and not r.unreadable for r in reports):
        return EXIT_INVALID
    if any(r.unreadable for r in reports):
        return EXIT_UNREADABLE
    if any(r.verdict is Verdict.INCONCLUSIVE for r in reports):
        return EXIT_INCONCLUSIVE
    return EXIT_VALID


def _read(name: str, stdin: Any) -> bytes:
    if name == "-":
        data: bytes = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        return data
    return Path(name).read_bytes()


def _chain(url: str) -> ChainLike:
    try:
        reader = importlib.import_module("anchor.reader")  # imports web3 lazily, on first query
    except ImportError as exc:
        raise _Usage(f"--rpc needs web3 and the anchor package: {exc}") from exc
    from ledger.core.errors import AnchorError

    try:
        chain: ChainLike = reader.ChainReader.from_url(url)
        return chain
    except AnchorError as exc:
        raise _Usage(str(exc)) from exc


def _progress(done: int, total: int, err: TextIO) -> None:
    width = 30
    filled = width * done // total
    err.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
    if done == total:
        err.write("\n")
    err.flush()


def _summary_line(r: Report, lang: str) -> str:
    verdict = t(VERDICT, r.verdict.value, lang)
    what = ""
    rec = r.facts.get("record")
    zh = lang == "zh"
    if isinstance(rec, dict):
        what = (f"（{t(RECORD_TYPE, rec['type'], lang)} {rec['id']}，序号 {rec['seq']}）" if zh
                else f" ({rec['type']} {rec['id']}, seq {rec['seq']})")  # fmt: skip
    elif isinstance(r.facts.get("run"), dict):
        run = r.facts["run"]
        what = (f"（{t(KIND, r.kind or '', lang)}：{run['subject']}，{run['entries']} 条记录）" if zh
                else f" ({r.kind}: {run['subject']}, {run['entries']} entries)")  # fmt: skip
    elif r.kind:
        what = f"（{t(KIND, r.kind, lang)}）" if zh else f" ({r.kind})"
    note = ""
    if r.verdict is Verdict.VALID and not r.anchor_checked:
        note = "  [anchor NOT checked on chain]" if lang == "en" else "  [未向区块链核对锚定]"
    return f"{r.source}: {verdict}{what}{note}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - _width(text))


def _details(r: Report, lang: str, out: TextIO) -> None:
    chain = [c for c in r.checks if c.name.startswith("chain.")]
    same = len(chain) > 1 and len({(c.status, c.detail) for c in chain}) == 1
    for c in r.checks:
        if same and c.name.startswith("chain."):
            if c is not chain[0]:
                continue
            label = f"链上核验（{len(chain)} 项）" if lang == "zh" else f"On-chain checks ({len(chain)})"
        else:
            label = t(CHECK, c.name, lang)
        out.write(f"  {_MARK[c.status]} {_pad(label, 30)}{_pad(t(STATUS, c.status, lang), 9)}")
        out.write(f"{_shorten(_said(c.detail, lang), c.status)}\n" if c.detail else "\n")
    for f in r.findings:
        mark = "·" if f.ok else "!"
        sep = "：" if lang == "zh" else ": "
        out.write(f"  {mark} {t(FINDING, f.name, lang)}{sep}{_said(f.detail, lang)}\n")
    if r.verdict is Verdict.VALID and not r.anchor_checked:
        out.write("  NOTE: the anchor was NOT checked on chain (--offline): give --rpc URL to "
                  "check it.\n" if lang == "en" else
                  "  注意：离线核验，未向区块链核对锚定；请使用 --rpc URL 核对。\n")  # fmt: skip


def _said(text: str, lang: str) -> str:
    """A check detail or finding in ``lang`` for the terminal (``verifier.i18n.detail``, the
    report's translation); a sentence no pattern knows stays in English, as the report keeps it."""
    out = detail(text, lang)
    return text if out is None else plain(out)


def _shorten(text: str, status: Status, limit: int = 400) -> str:
    return text if len(text) <= limit or status is Status.FAILED else text[:limit] + "…"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (the console script exits with it)."""
    out, err = sys.stdout, sys.stderr
    for stream in (out, err):
        # a bundle's text may name a member with a lone surrogate (JSON allows the escape): the
        # report prints it escaped instead of dying with the bundles after it unreported
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed the usage
        code = exc.code if isinstance(exc.code, int) else EXIT_UNREADABLE
        return EXIT_UNREADABLE if code else EXIT_VALID
    try:
        if args.rpc and args.offline:
            raise _Usage("--rpc and --offline exclude each other")
        if args.bundles.count("-") > 1:
            raise _Usage("stdin (-) can be read once")
        if args.explorer and "{tx}" not in args.explorer:
            raise _Usage("--explorer needs {tx} where the transaction hash goes")
        try:
            bls12381.requested()
        except bls12381.CurveError as exc:
            raise _Usage(str(exc)) from exc
        chain = _chain(args.rpc) if args.rpc else None
    except _Usage as exc:
        err.write(f"siteledger-verify: {exc}\n")
        return EXIT_UNREADABLE
    verifier = Verifier(chain, offline=args.offline)
    reports: list[Report] = []
    show_progress = len(args.bundles) > 1 and err.isatty()
    for n, name in enumerate(args.bundles, 1):
        try:
            data = _read(name, sys.stdin)
        except OSError as exc:
            detail = f"unreadable: cannot read {name}: {exc.strerror or exc}"
            reports.append(Report(name, None, (Check("format", Status.FAILED, detail),),
                                  unreadable=True))  # fmt: skip
        else:
            reports.append(verifier.verify_bytes(data, "stdin" if name == "-" else name))
        if show_progress:
            _progress(n, len(args.bundles), err)
    if args.explorer:
        for r in reports:
            for b in r.facts.get("batches", []):
                b["tx_url"] = args.explorer.replace("{tx}", b["tx_hash"])
    code = exit_code(reports)
    if args.json:
        doc = {"exit_code": code, "reports": [r.to_json() for r in reports]}
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        for r in reports:
            out.write(_summary_line(r, args.lang) + "\n")
            if len(reports) == 1 or args.verbose or r.verdict is not Verdict.VALID:
                _details(r, args.lang, out)
        if len(reports) > 1:
            counts = {v: sum(r.verdict is v for r in reports) for v in Verdict}
            out.write(", ".join(f"{n} {t(VERDICT, v.value, args.lang)}"
                                for v, n in counts.items() if n) + "\n")  # fmt: skip
    if args.report:
        from verifier.report import render_html

        try:
            Path(args.report).write_text(render_html(reports, args.lang), encoding="utf-8")
        except OSError as exc:
            err.write(f"siteledger-verify: cannot write {args.report}: {exc.strerror}\n")
            return EXIT_UNREADABLE
    return code


def run() -> None:  # pragma: no cover - the console script and python -m verifier
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
