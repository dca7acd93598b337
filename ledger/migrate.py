"""Alembic migrations, run programmatically (no alembic.ini needed): ``siteledger db upgrade``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

from ledger.store import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` and make sure the log head row exists."""
    command.upgrade(alembic_config(url), revision)
    from ledger.core.keys import SigningKey
    from ledger.db import make_engine

    engine = make_engine(url)
    try:
        Store(engine, SigningKey(bytes(32))).ensure_head()
    finally:
        engine.dispose()
