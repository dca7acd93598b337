"""The insurer's question: was worker W on project P at instant T?

The answer is computed by ``verifier.presence.presence_at``, the function the presence bundle's
findings use, from the same kind of input: the worker's entries (``Store.subject_chain``) and
every entry naming them (corrections, approvals, and the replacement punches corrections bring
in). So corrections, rejected repairs and late-synced punches count here exactly as they count
in the bundle. The difference is only which entries exist: this answer reads every stored entry,
the bundle only anchored ones (the rest are listed as ``pending`` in it).
"""

from __future__ import annotations

from datetime import datetime

from ledger.core.entry import Entry
from ledger.core.records import AttendanceRecord, CorrectionRecord, EnrollmentRecord, ExitRecord
from ledger.store import Store, StoredEntry
from verifier.presence import PresenceAnswer, effects_of, presence_at

MAX_DEPTH = 4  # as ledger.bundle's related entries: a correction, its approval, a replacement …


def evidence(store: Store, subject: str, project: str) -> list[tuple[bytes, Entry]]:
    """(leaf hash, entry) of the worker's entries on ``project`` that presence depends on, and
    of every entry naming them, transitively to MAX_DEPTH."""
    found: dict[int, StoredEntry] = {}
    frontier: list[bytes] = []
    for s in store.subject_chain(subject):
        rec = s.entry.record
        found[s.seq] = s
        if rec.project_code == project and isinstance(
            rec, AttendanceRecord | EnrollmentRecord | ExitRecord | CorrectionRecord
        ):
            frontier.append(s.leaf_hash)  # corrections too: their approvals name them
    expanded: set[bytes] = set()
    for _ in range(MAX_DEPTH):
        nxt: list[bytes] = []
        for leaf in frontier:
            if leaf in expanded:
                continue
            expanded.add(leaf)
            named = store.referring(leaf)
            for s in list(named):
                rec = s.entry.record
                if isinstance(rec, CorrectionRecord) and rec.replacement is not None:
                    rep = store.by_leaf(rec.replacement)
                    if rep is not None:
                        named.append(rep)  # the replacement a correction brings in
            for s in named:
                found.setdefault(s.seq, s)
                if s.leaf_hash not in expanded:
                    nxt.append(s.leaf_hash)
        if not nxt:
            break
        frontier = nxt
    return [(s.leaf_hash, s.entry) for _, s in sorted(found.items())]


def presence(store: Store, subject: str, project: str, at: datetime) -> PresenceAnswer:
    """The answer for ``subject`` on ``project`` at ``at`` (an aware datetime)."""
    return presence_at(effects_of(evidence(store, subject, project)), subject, project, at)


__all__ = ["PresenceAnswer", "evidence", "presence"]
