"""The operator's side of witnessing: collect cosignatures of a batch from the witnesses'
services, keep those that verify, and aggregate a quorum (``docs/witnesses.md``, "Collecting").

Used by the operator (its anchorer), not by witnesses; it needs only the standard library and
this package. A witness that is down, late, refusing or answering with a signature that does not
verify is simply missing from the bitmap; ``collect`` says which and why.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from witness.bls import aggregate, verify_aggregate, verify_signature
from witness.errors import WitnessError
from witness.message import Commitment
from witness.quorum import WitnessSet


@dataclass(frozen=True, slots=True)
class Quorum:
    bitmap: int
    signature: bytes  # the aggregate, 96 bytes compressed G2
    signers: tuple[str, ...]  # institution names, in set order


@dataclass
class Collection:
    quorum: Quorum | None
    missing: dict[str, str] = field(default_factory=dict)  # name -> why


def _fetch(url: str, batch_no: int, timeout: float) -> dict[str, object]:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/v1/cosignatures/{batch_no}",
                                    timeout=timeout) as r:  # fmt: skip
            body = json.loads(r.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise WitnessError(_refusal(url, batch_no, timeout) or "not signed (yet)") from exc
        raise WitnessError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise WitnessError(f"unreachable: {exc}") from exc
    if not isinstance(body, dict):
        raise WitnessError("answer is not an object")
    return body


def _refusal(url: str, batch_no: int, timeout: float) -> str | None:
    """Why the witness refuses ``batch_no``, from its ``/v1/status`` (None if it does not)."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/v1/status", timeout=timeout) as r:
            status = json.loads(r.read())
        refusal = status.get("refusal") if isinstance(status, dict) else None
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if not isinstance(refusal, dict) or refusal.get("batch_no") != batch_no:
        return None
    seq = f" at seq {refusal['seq']}" if refusal.get("seq") is not None else ""
    return f"refuses the batch: {refusal.get('check')}{seq}: {refusal.get('reason')}"[:500]


def collect(wset: WitnessSet, urls: list[str], commitment: Commitment,
            timeout: float = 5.0) -> Collection:  # fmt: skip
    """Ask every witness (``urls[i]`` serves member i) for its cosignature of ``commitment``;
    a quorum if at least ``threshold`` verify, else ``quorum`` None (and why each is missing)."""
    if len(urls) != len(wset.members):
        raise WitnessError(f"urls: want one per witness ({len(wset.members)}), got {len(urls)}")
    message = commitment.message()
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        futures = [pool.submit(_fetch, u, commitment.batch_no, timeout) for u in urls]
    answers: dict[int, bytes] = {}
    missing: dict[str, str] = {}
    for i, (member, fut) in enumerate(zip(wset.members, futures, strict=True)):
        try:
            body = fut.result()
            if body.get("message") != message.hex():
                raise WitnessError("signed another message for this batch")
            answers[i] = bytes.fromhex(str(body.get("signature", "")))
        except (WitnessError, ValueError) as exc:
            missing[member.name] = str(exc)
    got = _verified(wset, message, answers, missing)
    if len(got) < wset.threshold:
        return Collection(None, missing)
    chosen = sorted(got)
    bitmap = sum(1 << i for i in chosen)
    agg = aggregate([got[i] for i in chosen])
    wset.verify_quorum(commitment, bitmap, agg)
    return Collection(Quorum(bitmap, agg, tuple(wset.members[i].name for i in chosen)), missing)


def _verified(wset: WitnessSet, message: bytes, answers: dict[int, bytes],
              missing: dict[str, str]) -> dict[int, bytes]:  # fmt: skip
    """The answers whose signatures verify. One aggregate check first (one pairing product
    instead of one per answer: the usual case, every answer good); only if it fails, each
    answer on its own, and the bad ones go to ``missing``."""
    if len(answers) >= wset.threshold:
        try:
            verify_aggregate([wset.members[i].public_key for i in sorted(answers)], message,
                             aggregate([answers[i] for i in sorted(answers)]))  # fmt: skip
        except WitnessError:
            pass
        else:
            return answers
    good: dict[int, bytes] = {}
    for i, sig in answers.items():
        try:
            verify_signature(wset.members[i].public_key, message, sig)
            good[i] = sig
        except WitnessError as exc:
            missing[wset.members[i].name] = str(exc)
    return good
