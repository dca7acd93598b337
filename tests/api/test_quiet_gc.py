"""``api.commands.quiet_gc``: what an HTTP worker does to Python's garbage collector once its
app is loaded (run in a child process, so that this one keeps its own settings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_loaded_app_is_frozen_and_collections_are_rarer() -> None:
    code = (
        "import gc, json\n"
        "from api.app import create_app\n"
        "from api.commands import GC_THRESHOLDS, quiet_gc\n"
        "before = gc.get_threshold()\n"
        "quiet_gc()\n"
        "print(json.dumps([before, gc.get_threshold(), list(GC_THRESHOLDS), gc.get_freeze_count()]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True, timeout=60)  # fmt: skip
    before, after, wanted, frozen = json.loads(out.stdout)
    assert after == wanted and wanted[0] > before[0]
    assert frozen > 10_000  # the modules imported so far are out of every collection
