"""Shared material of the report tests: the demo's bundles (one run per session) and a check for
untranslated text in a Chinese report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ALLOWED_WORDS = frozenset({
    # names that stay as they are in Chinese text: algorithms, formats, software, networks
    "SHA", "Ed25519", "JSON", "UTF", "ID", "RPC", "URL", "JavaScript", "eth", "tester",
    "Hardhat", "Anvil", "Ganache", "Geth", "Sepolia", "Holesky", "Hoodi", "Polygon", "Amoy", "Base",
    "Arbitrum", "OP", "Ethereum", "PoS", "One", "Mainnet", "siteledger", "verify",
})  # fmt: skip
"""Latin-script words a Chinese report may contain outside code. Identifiers (hashes, codes with
digits or hyphens such as ``GATE-02`` or ``P-DEMO-001``, command-line options) are not words."""

_TOKEN = re.compile(r"[A-Za-z0-9_.:/+-]+")
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    """Latin-script words in ``text`` that are neither allowed names nor identifiers."""
    out = []
    for tok in _TOKEN.findall(text):
        if tok.startswith("--") or any(c.isdigit() for c in tok):
            continue
        if "-" in tok and tok.upper() == tok:  # an upper-case code like GATE-A
            continue
        for w in _WORD.findall(tok):
            if w not in ALLOWED_WORDS:
                out.append(w)
    return out


class _Text(HTMLParser):
    """Visible text outside code, pre, script and style; and whether anything is marked
    untranslated."""

    SKIP = {"code", "pre", "script", "style", "title", "q"}  # q: the parties' own words, verbatim

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        self.untranslated: list[str] = []
        self._in_untranslated = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.depth += 1
        if ("class", "untranslated") in attrs:
            self._in_untranslated += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.depth -= 1
        if tag == "span" and self._in_untranslated:
            self._in_untranslated -= 1

    def handle_data(self, data: str) -> None:
        if self._in_untranslated:
            self.untranslated.append(data)
        if self.depth == 0:
            self.parts.append(data)


def untranslated(page: str) -> list[str]:
    """What in a Chinese HTML report is not Chinese: sentences marked untranslated and Latin-script
    words outside code (Python reprs such as False included)."""
    p = _Text()
    p.feed(page)
    bad = [f"untranslated: {u}" for u in p.untranslated]
    for part in p.parts:
        words = english_words(part)
        if words:
            bad.append(f"{words} in {part.strip()[:160]!r}")
    return bad


def demo_bundles(out: Path) -> dict[str, dict[str, Any]]:
    """Run ``siteledger demo`` (12 workers) into ``out``; its bundles by name."""
    from api.demo import run_demo

    run_demo(out, n_workers=12)
    return {p.stem: json.loads(p.read_text()) for p in sorted(out.glob("*.json"))}
