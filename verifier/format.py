"""Strict decoding of a proof bundle (format ``siteledger-bundle``, versions 1 and 2) into typed
values.

Mirrors ``schemas/proof-bundle-v1.json`` and ``schemas/proof-bundle-v2.json``: unknown fields, unknown versions and kinds, wrong
types, uppercase or short hex, non-canonical times and arrays over their limits are refused with
a ``FormatError`` naming the field's path (``record.inclusion.path[3]``). Entries are decoded by
``ledger.core.entry.Entry.from_json``, the same code that wrote them. Nothing here checks a
hash or a signature: that is ``verifier.verify``'s job, in the order the format document gives.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from ledger.core.entry import Entry, Receipt
from ledger.core.errors import EncodingError
from ledger.core.heads import HeadProof
from ledger.core.records import RECORD_TYPES
from ledger.core.times import format_time, parse_month, parse_time
from verifier.witnesses import SURROGATE, WitnessError, WitnessSet

FORMAT: Final = "siteledger-bundle"
VERSION: Final = 2
"""The version the reference builder writes."""
VERSIONS: Final = (1, 2)
"""The versions this verifier reads (every version 1 bundle already anchored stays verifiable)."""
KINDS: Final = ("record", "wage", "presence")

MAX_BUNDLE_BYTES: Final = 32 * 1024 * 1024
MAX_PATH: Final = 64  # a batch holds fewer than 2**64 entries
MAX_KEYS: Final = 32
MAX_RELATED: Final = 1024
MAX_CONTEXT: Final = 16
MAX_RUN: Final = 20_000
MAX_PENDING: Final = 20_000
MAX_FIELDS: Final = 16
MAX_INT: Final = 2**53 - 1
MAX_HEADS: Final = 64  # checkpoint head proofs: the worker and each gate the bundle uses
MAX_GATES: Final = 63
MAX_SIBLINGS: Final = 256
MAX_RANGES: Final = 4096
MAX_WITNESS_SETS: Final = 16  # distinct witness sets one bundle's batches were anchored with
MAX_REASON: Final = 2000

_HEX32 = re.compile(r"[0-9a-f]{64}")
_ADDRESS = re.compile(r"0x[0-9a-f]{40}")
_HASH0X = re.compile(r"0x[0-9a-f]{64}")
_SUBJECT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,63}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_TX_URL = re.compile(r".*\{tx\}.*", re.S)
"""``explorer.tx_url``: any text holding ``{tx}`` (docs/proof-format.md); a viewer makes a link of
it only when it is http(s)."""
_KEY_ID = re.compile(r"[0-9a-f]{32}")
_SIG = re.compile(r"[0-9a-f]{128}")
_HEAD_KEY = re.compile(r"(subject/[A-Za-z0-9][A-Za-z0-9._-]{2,63}|"
                       r"device/[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[A-Za-z0-9][A-Za-z0-9._-]{0,63})")  # fmt: skip


class FormatError(EncodingError):
    """A bundle that is not a well-formed bundle of a version this verifier reads."""


class NestingError(FormatError):
    """JSON nested deeper than MAX_NESTING levels: a limit of the reader, like the size limit,
    so the input is unreadable (exit code 2) whether the depth is found before parsing (many
    brackets) or after it (``too_deep``, when ``parse`` refused the value)."""


@dataclass(frozen=True, slots=True)
class BatchRef:
    """A batch as an item names it. Version 2: the operator's signed batch head (``heads_root``,
    ``sealed_at``, ``log`` and ``sig`` set); version 1: the four unsigned members only."""

    batch_no: int
    first_seq: int
    size: int
    root: bytes
    heads_root: bytes | None = None
    sealed_at: datetime | None = None
    log: str | None = None
    sig: bytes | None = None

    @property
    def signed(self) -> bool:
        return self.sig is not None

    def head_body(self) -> dict[str, Any]:
        """The signed body of a version 2 head (``docs/proof-format.md``, signed batch heads)."""
        assert self.heads_root is not None and self.sealed_at is not None
        return {
            "v": 2, "batch_no": self.batch_no, "first_seq": self.first_seq, "size": self.size,
            "root": self.root.hex(), "heads_root": self.heads_root.hex(),
            "sealed_at": format_time(self.sealed_at), "log": self.log,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class AnchorWitnesses:
    """(v2, optional) The witness quorum the batch was anchored with, or the mark that it was
    anchored without one. ``set_index`` points into the bundle's ``witness_sets``."""

    status: str  # "witnessed" or "unwitnessed"
    set_index: int
    bitmap: int | None = None  # witnessed: bit i = member i of the set
    signature: bytes | None = None  # witnessed: the 96-byte aggregate BLS signature
    reason: str | None = None  # unwitnessed: why no quorum confirmed the batch


@dataclass(frozen=True, slots=True)
class Anchor:
    chain_id: int
    contract: str  # 0x + 40 lowercase hex
    tx_hash: str  # 0x + 64 lowercase hex
    block_number: int
    block_hash: str  # 0x + 64 lowercase hex
    block_time: datetime
    registry: int = 1  # the AnchorRegistry contract version (version 2 bundles say which)
    witnesses: AnchorWitnesses | None = None  # (v2) absent: the bundle names no witnesses


@dataclass(frozen=True, slots=True)
class Item:
    """One proven entry: the entry, its stated leaf hash, its batch, audit path and anchor."""

    where: str
    entry: Entry
    leaf_hash: bytes  # as stated by the bundle; the verifier recomputes it
    batch: BatchRef
    index: int
    path: tuple[bytes, ...]
    anchor: Anchor

    @property
    def seq(self) -> int:
        return self.entry.seq


@dataclass(frozen=True, slots=True)
class Disclosure:
    subject: str
    enrollment_seq: int
    fields: dict[str, str]
    salt: bytes


@dataclass(frozen=True, slots=True)
class Pending:
    seq: int
    type: str
    leaf_hash: bytes


@dataclass(frozen=True, slots=True)
class HeadClaim:
    """A head proof in a checkpoint: ``key``'s value in the checkpoint batch's head map (None:
    the key is absent) and the proof (siblings root-downward; the leaf ending the path)."""

    where: str
    key: str
    counter: int | None
    seq: int | None
    leaf_hash: bytes | None
    siblings: tuple[bytes, ...]
    leaf: tuple[bytes, bytes] | None  # (key_hash, value_hash)


@dataclass(frozen=True, slots=True)
class GateStatement:
    """The operator's signed statement of the ``device_seq`` values the log holds for one gate
    in a window, as inclusive ranges with the record times at their ends."""

    where: str
    body: dict[str, Any]  # the signed body, as given
    project: str
    device: str
    window_from: datetime
    window_until: datetime
    as_of_batch: int
    log: str
    ranges: tuple[tuple[int, datetime, int, datetime], ...]  # (first, time, last, time)
    sig: bytes


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where a dispute bundle's completeness ends: the signed head of batch ``batch.batch_no``,
    its anchor, head proofs for the worker and each gate used, and the gates' statements."""

    batch: BatchRef
    anchor: Anchor
    heads: tuple[HeadClaim, ...]
    gates: tuple[GateStatement, ...]


@dataclass(frozen=True, slots=True)
class Bundle:
    kind: str
    issued_at: datetime
    operator_key: bytes
    keys: tuple[Item, ...]
    related: tuple[Item, ...]
    context: tuple[Item, ...]
    pending: tuple[Pending, ...]
    explorer_tx_url: str | None
    # kind "record"
    record: Item | None = None
    receipt: Receipt | None = None
    disclosure: Disclosure | None = None
    # kinds "wage" and "presence"
    subject: str | None = None
    project: str | None = None
    run: tuple[Item, ...] = ()
    pay_month: str | None = None
    at: datetime | None = None
    version: int = 1
    checkpoint: Checkpoint | None = None
    witness_sets: tuple[WitnessSet, ...] = ()  # (v2) the sets anchors' ``witnesses`` point into

    def items(self) -> list[Item]:
        """Every proven item, the record or run first."""
        head = [self.record] if self.record is not None else list(self.run)
        return head + list(self.keys) + list(self.related) + list(self.context)


# ---------------------------------------------------------------------------- primitives


def _obj(value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[
    str, Any
]:
    if not isinstance(value, dict):
        raise FormatError(f"must be an object, got {_type(value)}", path)
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise FormatError("unknown field", _join(path, key))
    for key in required:
        if key not in value:
            raise FormatError("required field is missing", _join(path, key))
    return value


def _type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _int(value: Any, path: str, lo: int = 0, hi: int = MAX_INT) -> int:
    if type(value) is not int:
        raise FormatError(f"must be an integer, got {_type(value)}", path)
    if not lo <= value <= hi:
        raise FormatError(f"{value} outside {lo}..{hi}", path)
    return value


def _str(value: Any, path: str, pattern: re.Pattern[str] | None = None, max_len: int = 256) -> str:
    if type(value) is not str:
        raise FormatError(f"must be a string, got {_type(value)}", path)
    if SURROGATE.search(value):
        # a lone surrogate (a JSON escape such as \ud800) is no Unicode text: no UTF-8, no print
        raise FormatError("holds an unpaired surrogate (not Unicode text)", path)
    if len(value) > max_len:  # code points (the page counts the same)
        raise FormatError(f"longer than {max_len} characters", path)
    if pattern is not None and not pattern.fullmatch(value):
        raise FormatError(f"{value[:80]!r} does not match {pattern.pattern}", path)
    return value


BLANK: Final = "\t\n\r \u3000"
"""What "not only spaces" means for free text the verifier reads (tab, LF, CR, space, the
ideographic space), the same in the page."""


def _hex32(value: Any, path: str) -> bytes:
    return bytes.fromhex(_str(value, path, _HEX32, 64))


def _list(value: Any, path: str, max_items: int) -> list[Any]:
    if type(value) is not list:
        raise FormatError(f"must be an array, got {_type(value)}", path)
    if len(value) > max_items:
        raise FormatError(f"{len(value)} items, limit {max_items}", path)
    return value


_TIMES: dict[str, datetime] = {}  # canonical text -> value: block and sealing times repeat


def _utc_time(value: Any, path: str) -> datetime:
    """A time the bundle's builder writes, in UTC (``docs/proof-format.md``, conventions):
    ``issued_at`` and an anchor's ``block_time``. Records keep the offset their signer used."""
    t = _time(value, path)
    if not value.endswith("Z"):
        raise FormatError(f"{value!r} is not written in UTC (Z)", path)
    return t


def _time(value: Any, path: str) -> datetime:
    if type(value) is str:
        hit = _TIMES.get(value)
        if hit is not None:
            return hit
    try:
        t = parse_time(value, path)
    except EncodingError as exc:
        raise FormatError(exc.reason, path) from exc
    if len(_TIMES) > 65_536:
        _TIMES.clear()
    _TIMES[value] = t
    return t


# ---------------------------------------------------------------------------- items


class ItemCache:
    """Parsed key items by position and stated leaf hash, for bundles that share a key chain.

    A hit needs the item object to be the one parsed before, compared as JSON text (so ``true``
    is not ``1``, as Python's ``==`` would have it; and a caller mutating its bundle afterwards
    cannot poison the cache). The verifier also keeps the
    recomputed leaf hash and inclusion result of each cached item in ``derived``. Bounded, least
    recently used out first.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._data: OrderedDict[tuple[str, str], tuple[str, Item]] = OrderedDict()
        self.derived: dict[int, Any] = {}  # id(item) -> verifier's derived values

    def get(self, where: str, raw: dict[str, Any]) -> Item | None:
        leaf = raw.get("leaf_hash")
        if not isinstance(leaf, str):
            return None
        hit = self._data.get((where, leaf))
        if hit is None or hit[0] != _text(raw):
            return None
        self._data.move_to_end((where, leaf))
        return hit[1]

    def put(self, raw: dict[str, Any], item: Item) -> None:
        self._data[(item.where, item.leaf_hash.hex())] = (_text(raw), item)
        while len(self._data) > self.size:
            _, (_, old) = self._data.popitem(last=False)
            self.derived.pop(id(old), None)


def _entry(raw: Any, path: str) -> Entry:
    try:
        return Entry.from_json(raw)
    except EncodingError as exc:
        field = exc.field or "entry"
        sub = field[len("entry") :] if field.startswith("entry") else "." + field
        raise FormatError(exc.reason, f"{path}{sub}") from exc


def _text(raw: dict[str, Any]) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _item(value: Any, path: str, cache: ItemCache | None, version: int = 1) -> Item:
    item = cache.get(path, value) if cache is not None and isinstance(value, dict) else None
    if item is None:
        item = _parse_item(value, path, version)
        if cache is not None:
            cache.put(value, item)
    v = getattr(item.entry.record, "v", 1)
    if version == 1 and v != 1:
        # a version 2 bundle relabelled as version 1 would escape the checkpoint and the
        # signed heads: version 1 bundles were only ever built of version 1 records
        raise FormatError(f"a version 1 bundle holds version 1 records only, not version {v}",
                          f"{path}.entry.record.v")  # fmt: skip
    return item


def _batch(value: Any, path: str, version: int) -> BatchRef:
    if version == 1:
        b = _obj(value, path, ("batch_no", "first_seq", "size", "root"))
        return BatchRef(_int(b["batch_no"], f"{path}.batch_no"),
                        _int(b["first_seq"], f"{path}.first_seq"),
                        _int(b["size"], f"{path}.size", 1), _hex32(b["root"], f"{path}.root"))  # fmt: skip
    b = _obj(value, path, ("v", "batch_no", "first_seq", "size", "root", "heads_root", "sealed_at",
                           "log", "sig"))  # fmt: skip
    if type(b["v"]) is not int or b["v"] != 2:
        raise FormatError(f"unknown batch head version {b['v']!r}, want 2", f"{path}.v")
    return BatchRef(
        _int(b["batch_no"], f"{path}.batch_no"), _int(b["first_seq"], f"{path}.first_seq"),
        _int(b["size"], f"{path}.size", 1), _hex32(b["root"], f"{path}.root"),
        _hex32(b["heads_root"], f"{path}.heads_root"), _time(b["sealed_at"], f"{path}.sealed_at"),
        _str(b["log"], f"{path}.log", _KEY_ID, 32),
        bytes.fromhex(_str(b["sig"], f"{path}.sig", _SIG, 128)),
    )  # fmt: skip


_ANCHOR = ("chain_id", "contract", "tx_hash", "block_number", "block_hash", "block_time")


_BITMAP = re.compile(r"[1-9a-f][0-9a-f]{0,63}")
_SIG96 = re.compile(r"[0-9a-f]{192}")


def _anchor_witnesses(value: Any, path: str) -> AnchorWitnesses:
    o = _obj(value, path, ("status", "set"), ("bitmap", "signature", "reason"))
    status = o["status"]
    index = _int(o["set"], f"{path}.set", 0, MAX_WITNESS_SETS - 1)
    if status == "witnessed":
        _obj(value, path, ("status", "set", "bitmap", "signature"))
        bitmap = int(_str(o["bitmap"], f"{path}.bitmap", _BITMAP, 64), 16)
        sig = bytes.fromhex(_str(o["signature"], f"{path}.signature", _SIG96, 192))
        return AnchorWitnesses(status, index, bitmap, sig)
    if status == "unwitnessed":
        _obj(value, path, ("status", "set", "reason"))
        reason = _str(o["reason"], f"{path}.reason", None, MAX_REASON)
        if not reason.strip(BLANK):
            raise FormatError("must say why no quorum confirmed the batch", f"{path}.reason")
        return AnchorWitnesses(status, index, reason=reason)
    raise FormatError(f"is {status!r}, want 'witnessed' or 'unwitnessed'", f"{path}.status")


def _witness_sets(value: Any) -> tuple[WitnessSet, ...]:
    out = []
    for i, v in enumerate(_list(value, "witness_sets", MAX_WITNESS_SETS)):
        try:
            out.append(WitnessSet.from_json(v, f"witness_sets[{i}]"))
        except WitnessError as exc:
            where, _, reason = str(exc).partition(": ")
            raise FormatError(reason or str(exc), where if reason else f"witness_sets[{i}]") from exc
    if not out:
        raise FormatError("holds at least one witness set (omit it when no anchor names one)",
                          "witness_sets")  # fmt: skip
    return tuple(out)


def _anchor(value: Any, path: str, version: int) -> Anchor:
    a = _obj(value, path, _ANCHOR, ("registry", "witnesses") if version >= 2 else ())
    registry = 1
    if "registry" in a:
        registry = _int(a["registry"], f"{path}.registry", 1, 2)
    witnesses = None
    if "witnesses" in a:
        witnesses = _anchor_witnesses(a["witnesses"], f"{path}.witnesses")
    return Anchor(
        _int(a["chain_id"], f"{path}.chain_id", 1),
        _str(a["contract"], f"{path}.contract", _ADDRESS, 42),
        _str(a["tx_hash"], f"{path}.tx_hash", _HASH0X, 66),
        _int(a["block_number"], f"{path}.block_number"),
        _str(a["block_hash"], f"{path}.block_hash", _HASH0X, 66),
        _utc_time(a["block_time"], f"{path}.block_time"),
        registry,
        witnesses,
    )


def _parse_item(value: Any, path: str, version: int = 1) -> Item:
    o = _obj(value, path, ("entry", "leaf_hash", "batch", "inclusion", "anchor"))
    leaf_text = _str(o["leaf_hash"], f"{path}.leaf_hash", _HEX32, 64)
    entry = _entry(o["entry"], f"{path}.entry")
    batch = _batch(o["batch"], f"{path}.batch", version)
    inc = _obj(o["inclusion"], f"{path}.inclusion", ("index", "path"))
    nodes = _list(inc["path"], f"{path}.inclusion.path", MAX_PATH)
    anchor = _anchor(o["anchor"], f"{path}.anchor", version)
    return Item(
        where=path,
        entry=entry,
        leaf_hash=bytes.fromhex(leaf_text),
        batch=batch,
        index=_int(inc["index"], f"{path}.inclusion.index"),
        path=tuple(_hex32(h, f"{path}.inclusion.path[{i}]") for i, h in enumerate(nodes)),
        anchor=anchor,
    )


def _items(
    value: Any, path: str, max_items: int, cache: ItemCache | None = None, version: int = 1
) -> tuple[Item, ...]:
    return tuple(
        _item(v, f"{path}[{i}]", cache, version)
        for i, v in enumerate(_list(value, path, max_items))
    )


def _head_claim(value: Any, path: str) -> HeadClaim:
    o = _obj(value, path, ("key", "value", "proof"))
    key = _str(o["key"], f"{path}.key", _HEAD_KEY, 140)
    counter = seq = None
    leaf_hash = None
    if o["value"] is not None:
        v = _obj(o["value"], f"{path}.value", ("counter", "seq", "leaf_hash"))
        counter = _int(v["counter"], f"{path}.value.counter")
        seq = _int(v["seq"], f"{path}.value.seq")
        leaf_hash = _hex32(v["leaf_hash"], f"{path}.value.leaf_hash")
    leaf = None
    p = o["proof"]
    if isinstance(p, dict) and "v" in p:  # form 2: bitmap and base64 (docs/proof-format.md)
        try:
            proof = HeadProof.from_json(p, f"{path}.proof")
        except EncodingError as exc:
            raise FormatError(exc.reason, exc.field or f"{path}.proof") from exc
        if proof.leaf is not None:
            leaf = (proof.leaf.key_hash, proof.leaf.value_hash)
        return HeadClaim(path, key, counter, seq, leaf_hash, proof.siblings, leaf)
    p = _obj(p, f"{path}.proof", ("siblings", "leaf"))  # form 1: every sibling in hex
    sibs = _list(p["siblings"], f"{path}.proof.siblings", MAX_SIBLINGS)
    if p["leaf"] is not None:
        lf = _obj(p["leaf"], f"{path}.proof.leaf", ("key_hash", "value_hash"))
        leaf = (_hex32(lf["key_hash"], f"{path}.proof.leaf.key_hash"),
                _hex32(lf["value_hash"], f"{path}.proof.leaf.value_hash"))  # fmt: skip
    return HeadClaim(path, key, counter, seq, leaf_hash,
                     tuple(_hex32(h, f"{path}.proof.siblings[{i}]") for i, h in enumerate(sibs)),
                     leaf)  # fmt: skip


_GATE = ("v", "project", "device", "from", "until", "as_of_batch", "log", "ranges")


def _gate(value: Any, path: str) -> GateStatement:
    o = _obj(value, path, ("statement", "sig"))
    st = _obj(o["statement"], f"{path}.statement", _GATE)
    sp = f"{path}.statement"
    if type(st["v"]) is not int or st["v"] != 2:
        raise FormatError(f"unknown gate statement version {st['v']!r}, want 2", f"{sp}.v")
    ranges = []
    prev = -2  # device_seq 0 is a valid first number
    for i, r in enumerate(_list(st["ranges"], f"{sp}.ranges", MAX_RANGES)):
        rp = f"{sp}.ranges[{i}]"
        ro = _obj(r, rp, ("first", "first_time", "last", "last_time"))
        first, last = _int(ro["first"], f"{rp}.first"), _int(ro["last"], f"{rp}.last")
        if last < first:
            raise FormatError(f"last {last} before first {first}", rp)
        if first <= prev + 1:
            raise FormatError(f"range starts at {first}, not after the previous one ending at "
                              f"{prev} with a gap", rp)  # fmt: skip
        prev = last
        ranges.append((first, _time(ro["first_time"], f"{rp}.first_time"), last,
                       _time(ro["last_time"], f"{rp}.last_time")))  # fmt: skip
    return GateStatement(
        where=path, body=st, project=_str(st["project"], f"{sp}.project", _CODE, 64),
        device=_str(st["device"], f"{sp}.device", _CODE, 64),
        window_from=_time(st["from"], f"{sp}.from"), window_until=_time(st["until"], f"{sp}.until"),
        as_of_batch=_int(st["as_of_batch"], f"{sp}.as_of_batch"),
        log=_str(st["log"], f"{sp}.log", _KEY_ID, 32), ranges=tuple(ranges),
        sig=bytes.fromhex(_str(o["sig"], f"{path}.sig", _SIG, 128)),
    )  # fmt: skip


def _checkpoint(value: Any) -> Checkpoint:
    o = _obj(value, "checkpoint", ("batch", "anchor", "heads", "gates"))
    heads = _list(o["heads"], "checkpoint.heads", MAX_HEADS)
    gates = _list(o["gates"], "checkpoint.gates", MAX_GATES)
    return Checkpoint(
        batch=_batch(o["batch"], "checkpoint.batch", 2),
        anchor=_anchor(o["anchor"], "checkpoint.anchor", 2),
        heads=tuple(_head_claim(h, f"checkpoint.heads[{i}]") for i, h in enumerate(heads)),
        gates=tuple(_gate(g, f"checkpoint.gates[{i}]") for i, g in enumerate(gates)),
    )


def _receipt(value: Any) -> Receipt:
    try:
        return Receipt.from_json(value)
    except EncodingError as exc:
        raise FormatError(exc.reason, exc.field or "receipt") from exc


def _disclosure(value: Any) -> Disclosure:
    o = _obj(value, "disclosure", ("subject", "enrollment_seq", "fields", "salt"))
    fields = o["fields"]
    if not isinstance(fields, dict):
        raise FormatError(f"must be an object, got {_type(fields)}", "disclosure.fields")
    if len(fields) > MAX_FIELDS:
        raise FormatError(f"{len(fields)} fields, limit {MAX_FIELDS}", "disclosure.fields")
    out: dict[str, str] = {}
    for k, v in fields.items():
        out[_str(k, "disclosure.fields", _CODE, 64)] = _str(v, f"disclosure.fields.{k}")
    return Disclosure(
        subject=_str(o["subject"], "disclosure.subject", _SUBJECT, 64),
        enrollment_seq=_int(o["enrollment_seq"], "disclosure.enrollment_seq"),
        fields=out,
        salt=_hex32(o["salt"], "disclosure.salt"),
    )


def _pending(value: Any) -> tuple[Pending, ...]:
    out = []
    for i, v in enumerate(_list(value, "pending", MAX_PENDING)):
        p = f"pending[{i}]"
        o = _obj(v, p, ("seq", "type", "leaf_hash"))
        kind = _str(o["type"], f"{p}.type", _CODE, 16)
        if kind not in RECORD_TYPES:
            raise FormatError(f"{kind!r} is not a record type", f"{p}.type")
        out.append(Pending(_int(o["seq"], f"{p}.seq"), kind,
                           _hex32(o["leaf_hash"], f"{p}.leaf_hash")))  # fmt: skip
    return tuple(out)


_COMMON = ("format", "version", "kind", "issued_at", "operator_key", "keys", "related", "context")
_OPTIONAL = ("pending", "explorer")
_OPTIONAL_V2 = ("witness_sets",)
_BY_KIND: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "record": (("record", "receipt"), ("disclosure",)),
    "wage": (("subject", "project", "pay_month", "run"), ()),
    "presence": (("subject", "project", "at", "run"), ()),
}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise FormatError(f"duplicate key {dup!r}", "bundle")
    return out


def _reject_float(text: str) -> Any:
    raise FormatError(f"non-integer number {text!r}", "bundle")


def _reject_constant(text: str) -> Any:
    raise FormatError(f"{text} is not JSON", "bundle")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates, parse_float=_reject_float, parse_constant=_reject_constant
)


MAX_NESTING: Final = 16
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _nesting_ok(text: str) -> None:
    """Refuse nesting deeper than MAX_NESTING before the C parser recurses into it.

    A process that imported web3 runs with a recursion limit of 100,000 (py_ecc and py-evm raise
    it), and at that limit the stdlib's C JSON scanner overflows the C stack on some tens of
    thousands of ``[`` and kills the process instead of raising RecursionError. The number of
    brackets bounds the depth, so only documents with many of them are scanned.
    """
    if text.count("[") + text.count("{") <= 1000:
        return
    depth = 0
    for m in _TOKENS.finditer(text):
        c = m.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > MAX_NESTING:
                raise NestingError(f"nested deeper than {MAX_NESTING} levels", "bundle")
        elif c == "]" or c == "}":
            depth -= 1


def too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """True if ``value`` nests objects and arrays deeper than ``limit`` levels (the outermost
    object is level 1). Iterative, so that it cannot itself overflow."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            children: Any = v.values()
        elif isinstance(v, list):
            children = v
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def load(data: bytes | str) -> Any:
    """Parse the JSON text of a bundle as strictly as ``ledger.core.canonical.decode_json``:
    UTF-8 only, no duplicate keys, no non-integer numbers, NaN or infinities, nothing after the
    value, at most MAX_BUNDLE_BYTES. Nesting deeper than MAX_NESTING raises NestingError when
    it is found here (a document with many brackets, or one the parser cannot descend); other
    deep documents fail ``parse``, and the verifier then names the nesting (``too_deep``)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_BUNDLE_BYTES:
        raise FormatError(f"{len(raw)} bytes, limit {MAX_BUNDLE_BYTES}", "bundle")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 at byte {exc.start}", "bundle") from exc
    text = text.strip(" \t\r\n")
    if not text:
        raise FormatError("empty input", "bundle")
    _nesting_ok(text)
    try:
        value, end = _DECODER.raw_decode(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                          "bundle") from exc  # fmt: skip
    except RecursionError as exc:
        raise NestingError(f"nested deeper than {MAX_NESTING} levels", "bundle") from exc
    except ValueError as exc:  # int() refusing a number of more than 4300 digits
        raise FormatError(f"malformed JSON: {exc}", "bundle") from exc
    if end != len(text):
        raise FormatError(f"trailing data after the JSON value ({len(text) - end} characters)",
                          "bundle")  # fmt: skip
    return value


def parse(value: Any, cache: ItemCache | None = None) -> Bundle:
    """Check the structure of a decoded bundle and decode its entries; raises FormatError."""
    if not isinstance(value, dict):
        raise FormatError(f"a bundle is a JSON object, got {_type(value)}", "bundle")
    if value.get("format") != FORMAT:
        raise FormatError(f"is {value.get('format')!r}, want {FORMAT!r}", "format")
    version = value.get("version")
    if type(version) is not int or version not in VERSIONS:
        raise FormatError(
            f"unknown version {version!r}: this verifier reads versions 1 and 2", "version"
        )
    kind = value.get("kind")
    if kind not in _BY_KIND:
        raise FormatError(f"unknown kind {kind!r}, want one of {', '.join(KINDS)}", "kind")
    required, optional = _BY_KIND[kind]
    if version >= 2 and kind != "record":
        required += ("checkpoint",)
    _obj(value, "", _COMMON + required,
         _OPTIONAL + optional + (_OPTIONAL_V2 if version >= 2 else ()))  # fmt: skip
    explorer = None
    if "explorer" in value:
        e = _obj(value["explorer"], "explorer", ("tx_url",))
        explorer = _str(e["tx_url"], "explorer.tx_url", _TX_URL, 512)
    common: dict[str, Any] = {
        "kind": kind,
        "issued_at": _utc_time(value["issued_at"], "issued_at"),
        "operator_key": _hex32(value["operator_key"], "operator_key"),
        "keys": _items(value["keys"], "keys", MAX_KEYS, cache, version),
        "related": _items(value["related"], "related", MAX_RELATED, None, version),
        "context": _items(value["context"], "context", MAX_CONTEXT, cache, version),
        "pending": _pending(value.get("pending", [])),
        "explorer_tx_url": explorer,
        "version": version,
    }
    if "witness_sets" in value:
        common["witness_sets"] = _witness_sets(value["witness_sets"])
    if kind == "record":
        return _witness_refs(Bundle(
            **common,
            record=_item(value["record"], "record", None, version),
            receipt=_receipt(value["receipt"]),
            disclosure=_disclosure(value["disclosure"]) if "disclosure" in value else None,
        ))
    subject = _str(value["subject"], "subject", _SUBJECT, 64)
    project = _str(value["project"], "project", _CODE, 64)
    run = _items(value["run"], "run", MAX_RUN, None, version)
    if not run:
        raise FormatError("a run holds at least one entry", "run")
    if version >= 2:
        common["checkpoint"] = _checkpoint(value["checkpoint"])
    if kind == "wage":
        try:
            month = parse_month(value["pay_month"], "pay_month")
        except EncodingError as exc:
            raise FormatError(exc.reason, "pay_month") from exc
        return _witness_refs(
            Bundle(**common, subject=subject, project=project, run=run, pay_month=month)
        )
    return _witness_refs(Bundle(**common, subject=subject, project=project, run=run,
                                at=_time(value["at"], "at")))  # fmt: skip


def _witness_refs(b: Bundle) -> Bundle:
    """Every anchor's ``witnesses.set`` names a set of ``witness_sets``, and every set is named."""
    named: set[int] = set()
    anchors = [(f"{i.where}.anchor", i.anchor) for i in b.items()]
    if b.checkpoint is not None:
        anchors.append(("checkpoint.anchor", b.checkpoint.anchor))
    for where, a in anchors:
        if a.witnesses is not None:
            if a.witnesses.set_index >= len(b.witness_sets):
                raise FormatError(f"names witness set {a.witnesses.set_index}, the bundle has "
                                  f"{len(b.witness_sets)}", f"{where}.witnesses.set")  # fmt: skip
            named.add(a.witnesses.set_index)
    unused = [i for i in range(len(b.witness_sets)) if i not in named]
    if unused:
        raise FormatError("no anchor names this set", f"witness_sets[{unused[0]}]")
    return b
