"""`db check` finds every kind of tampering with the stored log."""

from __future__ import annotations

from datetime import date, datetime

from click.testing import CliRunner
from sqlalchemy import update

from ledger import batcher, db
from ledger.check import check
from ledger.sample import SampleSite
from ledger.store import Store


def _populate(store: Store, site: SampleSite) -> None:
    store.append(
        [site.enroll(f"w-{i}", site.subs[0], "T-REBAR", date(2026, 10, 1)) for i in range(3)]
    )
    store.append([site.punch("GATE-01", f"w-{i % 3}", datetime(2026, 10, 2, 7, i, tzinfo=site.tz), "in", i)
                  for i in range(12)])  # fmt: skip
    batcher.seal(store, max_size=8, force=True)


def _tamper(store: Store, **values: object) -> None:
    seq = values.pop("seq")
    with store.engine.begin() as conn:
        conn.execute(update(db.entries).where(db.entries.c.seq == seq).values(**values))


def test_clean_log_passes(store: Store, site: SampleSite) -> None:
    _populate(store, site)
    report = check(store)
    assert report.ok, report.lines()
    assert report.entries == store.head() and report.batches >= 2 and report.subjects == 3


def test_changed_body_is_found_by_seq(store: Store, site: SampleSite) -> None:
    _populate(store, site)
    seq = store.head() - 2
    body = store.entry(seq).entry.canonical().replace(b'"in"', b'"out"')  # type: ignore[union-attr]
    _tamper(store, seq=seq, body=body)
    report = check(store)
    assert not report.ok
    assert any(f.kind == "leaf-hash" and f.seq == seq for f in report.findings)


def test_changed_leaf_hash_breaks_the_batch_root(store: Store, site: SampleSite) -> None:
    _populate(store, site)
    _tamper(store, seq=3, leaf_hash=b"\x00" * 32)
    kinds = {(f.kind, f.seq, f.batch_no) for f in check(store).findings}
    assert ("leaf-hash", 3, None) in kinds
    assert any(k == "batch-root" for k, _, _ in kinds)


def test_deleted_entry_is_a_gap(store: Store, site: SampleSite) -> None:
    _populate(store, site)
    with store.engine.begin() as conn:
        conn.execute(db.entries.delete().where(db.entries.c.seq == 5))
    report = check(store)
    assert any(f.kind == "gap" and f.seq == 6 for f in report.findings)


def test_cli_exit_status(store: Store, site: SampleSite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from api.cli import main
    from ledger.config import Config

    _populate(store, site)
    cfg = Config(
        home=tmp_path, database_url=str(store.engine.url.render_as_string(hide_password=False))
    )
    import os

    os.environ["SITELEDGER_OPERATOR_KEY"] = store.operator_key.seed.hex()
    try:
        ok = CliRunner().invoke(main, ["db", "check"], obj={"config": cfg})
        assert ok.exit_code == 0 and "OK" in ok.output
        _tamper(store, seq=2, leaf_hash=b"\x01" * 32)
        bad = CliRunner().invoke(main, ["db", "check"], obj={"config": cfg})
        assert bad.exit_code == 1 and "MISMATCH leaf-hash seq 2" in bad.output
    finally:
        del os.environ["SITELEDGER_OPERATOR_KEY"]
