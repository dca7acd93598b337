"""``siteledger quickstart``: from an initialised data directory to a first signed punch.

It logs a project with its organisations and keys (an admin key, contractor keys, a supervisor,
a gate device), puts one made-up worker's identity into the vault and logs the enrollment,
creates the API principals that `docs/api.md` uses (admin, contractor, device, auditor, insurer)
with their tokens, and writes the example records the document posts: ``punch.json`` (one punch
signed by gate GATE-01), ``punches.json`` (three), ``punch-edited.json`` (the first punch's id
with other content, for the 409 example). It prints the environment variables of the document,
so that every example there runs as written once ``siteledger serve`` is up.

Every signing key is fresh (``SigningKey.generate``); the seeds of the gate and contractor keys
are written under ``<home>/keys/quickstart/`` (mode 0600) so that more records can be signed.
Tokens are secrets: they are printed once and written to ``env.sh`` (mode 0600), never logged.
"""

from __future__ import annotations

import json
import secrets
import shlex
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from ledger.config import Config, ConfigError, write_secret
from ledger.core.entry import SignedRecord
from ledger.core.keys import SigningKey
from ledger.core.records import ContractTerms, EnrollmentRecord
from ledger.core.times import utc_now
from ledger.sample import SampleSite

GATE = "GATE-01"
ROLES = ("admin", "contractor", "device", "auditor", "insurer")


class _FreshSite(SampleSite):
    """The sample site's record factories with keys from the operating system's CSPRNG (the
    sample site derives its keys from a seed, which is right for tests and wrong here)."""

    def _key(self) -> SigningKey:
        return SigningKey.generate()


@dataclass(frozen=True)
class Started:
    """What quickstart made: the environment of docs/api.md and where the files are."""

    env: dict[str, str]
    files: dict[str, Path]
    keys: dict[str, Path]
    punch: dict[str, Any]
    first_seq: int
    last_seq: int


def quickstart(cfg: Config, *, project: str, out_dir: Path, base_url: str) -> Started:
    """Log the project, its keys and one enrolled worker; create the principals; write the files.

    Requires an initialised data directory (`siteledger init`). Raises ConfigError if the
    project is already in the log (quickstart makes a new one; choose another code).
    """
    from ledger.db import make_engine
    from ledger.principals import Principals
    from ledger.store import Store
    from ledger.vault import Vault

    operator = cfg.operator_key()
    engine = make_engine(cfg.database_url)
    try:
        store = Store(engine, operator, skew=cfg.skew)
        if store.head() == 0:
            raise ConfigError("the log is empty: run `siteledger init` first")
        if store.entries(project=project, type="project", limit=1):
            raise ConfigError(f"project {project} is already in the log; name another with "
                              "--project")  # fmt: skip
        # Records carry whole seconds; round up, not down, so that a quickstart run in the same
        # second as `init` never dates its records before the operator key's valid_from
        # (which keeps init's milliseconds).
        clock = utc_now()
        now = clock.replace(microsecond=0) + (timedelta(seconds=1) if clock.microsecond else timedelta())
        site = _FreshSite(operator, project=project, start=now.astimezone(SampleSite.tz).date())
        records = site.setup(now, devices=1)
        org = site.subs[0]
        identity = site.identity(secrets.randbelow(1000))
        vault = Vault(engine, cfg.vault_keyring())
        got = vault.enroll(project, identity, now)
        day = now.astimezone(site.tz).date()
        records.append(SignedRecord.sign(EnrollmentRecord(
            id=f"{project}.enroll-1", signer=org.key.key_id, time=now, project=project,
            subject=got.subject, corp_code=org.corp_code, team=org.teams[0], work_type="020",
            work_role="20", team_leader=False, date=day,
            contract=ContractTerms(period_type="fixed_term", start_date=day, unit="day",
                                   unit_price=35000),
            identity_commitment=got.commitment, insured=True,
        ), org.key))  # fmt: skip
        results = store.append(records)
        refused = [r for r in results if not r.ok]
        if refused:
            raise ConfigError(f"the ledger refused a quickstart record: {refused[0].message}")
        principals = Principals(engine)
        env = {"BASE": base_url.rstrip("/"), "PROJECT": project, "WORKER": got.subject}
        for role in ROLES:
            scope: dict[str, Any] = {}
            if role in ("contractor", "device", "insurer"):
                scope["projects"] = {project}
            p = principals.create(f"quickstart {role}", role, now, **scope)
            _, token = principals.issue_token(p.principal_id, now, label="quickstart")
            env[f"{role.upper()}_TOKEN"] = token
    finally:
        engine.dispose()

    # three punches a few seconds after the enrollment (IN, OUT, IN), and an edited first one
    at = now + timedelta(seconds=1)
    punches = [site.punch(GATE, got.subject, at + timedelta(seconds=n), d, n + 1)
               for n, d in enumerate(("in", "out", "in"))]  # fmt: skip
    edited = site.punch(GATE, got.subject, at, "out", 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "punch": out_dir / "punch.json",
        "punches": out_dir / "punches.json",
        "punch-edited": out_dir / "punch-edited.json",
        "env": out_dir / "env.sh",
    }
    files["punch"].write_text(json.dumps(punches[0].to_json(), ensure_ascii=False, indent=1))
    files["punches"].write_text(json.dumps([p.to_json() for p in punches], ensure_ascii=False))
    files["punch-edited"].write_text(json.dumps(edited.to_json(), ensure_ascii=False))
    files["env"].unlink(missing_ok=True)
    write_secret(files["env"], "".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()))
    key_dir = cfg.keys_dir / "quickstart" / project
    keys = {GATE: key_dir / f"{GATE}.key", "contractor": key_dir / f"{org.corp_code}.key"}
    for path, key in ((keys[GATE], site.devices[GATE]), (keys["contractor"], org.key)):
        path.unlink(missing_ok=True)
        write_secret(path, key.seed.hex())
    return Started(env, files, keys, punches[0].to_json(), results[0].seq, results[-1].seq)


def _default_project() -> str:
    return f"P-QS-{secrets.token_hex(3).upper()}"


@click.command("quickstart")
@click.option("--project", default=None, help="Project code (default: P-QS- and 6 random hex).")
@click.option("--dir", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default="siteledger-quickstart", show_default=True,
              help="Directory for punch.json, punches.json, punch-edited.json and env.sh "
              "(created; those four files in it are replaced).")  # fmt: skip
@click.option("--base-url", default="http://127.0.0.1:8080", show_default=True,
              help="The API's address, for BASE (where `siteledger serve` listens).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (for scripts).")
def quickstart_cmd(project: str | None, out_dir: Path, base_url: str, as_json: bool) -> None:
    """A project, a gate key, an enrolled worker, API tokens and signed example records: what
    every example of docs/api.md needs, in one step after `siteledger init`."""
    cfg: Config = click.get_current_context().obj["config"]
    got = quickstart(cfg, project=project or _default_project(), out_dir=out_dir,
                     base_url=base_url)  # fmt: skip
    if as_json:
        click.echo(json.dumps({"env": got.env, "files": {k: str(v) for k, v in got.files.items()},
                               "keys": {k: str(v) for k, v in got.keys.items()},
                               "punch": got.punch}, ensure_ascii=False))  # fmt: skip
        return
    env = got.env
    click.echo(f"project {env['PROJECT']} logged (seq {got.first_seq}..{got.last_seq}): "
               f"organisations, keys, gate {GATE}, worker {env['WORKER']} enrolled")  # fmt: skip
    click.echo(f"  gate key        {got.keys[GATE]}  (seed, mode 0600)")
    click.echo(f"  contractor key  {got.keys['contractor']}")
    click.echo(f"  records         {got.files['punch']}, {got.files['punches'].name}, "
               f"{got.files['punch-edited'].name}")  # fmt: skip
    click.echo(f"  environment     {got.files['env']}  (mode 0600: bearer tokens)")
    click.echo("")
    try:
        port = urlsplit(base_url).port
    except ValueError:  # not a port number: only the hint below needs it
        port = None
    serve = f"siteledger --home {shlex.quote(str(cfg.home))} serve" + (
        f" --port {port}" if port not in (None, 8080) else "")  # fmt: skip
    click.echo(f"Start the API (`{serve}`), then `cd {shlex.quote(str(out_dir))}` and:")
    click.echo("")
    for k, v in env.items():
        click.echo(f"export {k}={shlex.quote(v)}")
    click.echo("")
    click.echo(f"The example record (punch.json), signed by gate {GATE}:")
    click.echo(json.dumps(got.punch, ensure_ascii=False, indent=1))
    click.echo("")
    click.echo("Post it (docs/api.md has every other example):")
    click.echo('curl -s -X POST "$BASE/v1/records" -H "Authorization: Bearer $DEVICE_TOKEN" \\')
    click.echo('  -H "Content-Type: application/json" --data-binary @punch.json')


__all__ = ["Started", "quickstart", "quickstart_cmd"]
