"""Strict decoding of a proof bundle (format ``siteledger-bundle`` version 1) into typed values.

Mirrors ``schemas/proof-bundle-v1.json``: unknown fields, unknown versions and kinds, wrong
types, uppercase or short hex, non-canonical times and arrays over their limits are refused with
a ``FormatError`` naming the field's path (``record.inclusion.path[3]``). Entries are decoded by
``ledger.core.entry.Entry.from_json``, the same code that wrote them. Nothing here checks a
hash or a signature: that is ``verifier.verify``'s job, in the order the format document gives.
"""

from __future__ import annotations

import copy
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from ledger.core.entry import Entry, Receipt
from ledger.core.errors import EncodingError
from ledger.core.times import parse_month, parse_time

FORMAT: Final = "siteledger-bundle"
VERSION: Final = 1
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

_HEX32 = re.compile(r"[0-9a-f]{64}")
_ADDRESS = re.compile(r"0x[0-9a-f]{40}")
_HASH0X = re.compile(r"0x[0-9a-f]{64}")
_SUBJECT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,63}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class FormatError(EncodingError):
    """A bundle that is not a well-formed bundle of a version this verifier reads."""


class NestingError(FormatError):
    """JSON nested deeper than MAX_NESTING levels: a limit of the reader, like the size limit,
    so the input is unreadable (exit code 2) whether the depth is found before parsing (many
    brackets) or after it (``too_deep``, when ``parse`` refused the value)."""


@dataclass(frozen=True, slots=True)
class BatchRef:
    batch_no: int
    first_seq: int
    size: int
    root: bytes


@dataclass(frozen=True, slots=True)
class Anchor:
    chain_id: int
    contract: str  # 0x + 40 lowercase hex
    tx_hash: str  # 0x + 64 lowercase hex
    block_number: int
    block_hash: str  # 0x + 64 lowercase hex
    block_time: datetime


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
    if len(value) > max_len:
        raise FormatError(f"longer than {max_len} characters", path)
    if pattern is not None and not pattern.fullmatch(value):
        raise FormatError(f"{value[:80]!r} does not match {pattern.pattern}", path)
    return value


def _hex32(value: Any, path: str) -> bytes:
    return bytes.fromhex(_str(value, path, _HEX32, 64))


def _list(value: Any, path: str, max_items: int) -> list[Any]:
    if type(value) is not list:
        raise FormatError(f"must be an array, got {_type(value)}", path)
    if len(value) > max_items:
        raise FormatError(f"{len(value)} items, limit {max_items}", path)
    return value


def _time(value: Any, path: str) -> datetime:
    try:
        return parse_time(value, path)
    except EncodingError as exc:
        raise FormatError(exc.reason, path) from exc


# ---------------------------------------------------------------------------- items


class ItemCache:
    """Parsed key items by position and stated leaf hash, for bundles that share a key chain.

    A hit needs the item object to be equal to the one parsed before (a deep copy is kept, so a
    caller mutating its bundle afterwards cannot poison the cache). The verifier also keeps the
    recomputed leaf hash and inclusion result of each cached item in ``derived``. Bounded, least
    recently used out first.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._data: OrderedDict[tuple[str, str], tuple[dict[str, Any], Item]] = OrderedDict()
        self.derived: dict[int, Any] = {}  # id(item) -> verifier's derived values

    def get(self, where: str, raw: dict[str, Any]) -> Item | None:
        leaf = raw.get("leaf_hash")
        if not isinstance(leaf, str):
            return None
        hit = self._data.get((where, leaf))
        if hit is None or hit[0] != raw:
            return None
        self._data.move_to_end((where, leaf))
        return hit[1]

    def put(self, raw: dict[str, Any], item: Item) -> None:
        self._data[(item.where, item.leaf_hash.hex())] = (copy.deepcopy(raw), item)
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


def _item(value: Any, path: str, cache: ItemCache | None) -> Item:
    if cache is not None and isinstance(value, dict):
        hit = cache.get(path, value)
        if hit is not None:
            return hit
    item = _parse_item(value, path)
    if cache is not None:
        cache.put(value, item)
    return item


def _parse_item(value: Any, path: str) -> Item:
    o = _obj(value, path, ("entry", "leaf_hash", "batch", "inclusion", "anchor"))
    leaf_text = _str(o["leaf_hash"], f"{path}.leaf_hash", _HEX32, 64)
    entry = _entry(o["entry"], f"{path}.entry")
    b = _obj(o["batch"], f"{path}.batch", ("batch_no", "first_seq", "size", "root"))
    batch = BatchRef(
        _int(b["batch_no"], f"{path}.batch.batch_no"),
        _int(b["first_seq"], f"{path}.batch.first_seq"),
        _int(b["size"], f"{path}.batch.size", 1),
        _hex32(b["root"], f"{path}.batch.root"),
    )
    inc = _obj(o["inclusion"], f"{path}.inclusion", ("index", "path"))
    nodes = _list(inc["path"], f"{path}.inclusion.path", MAX_PATH)
    a = _obj(o["anchor"], f"{path}.anchor",
             ("chain_id", "contract", "tx_hash", "block_number", "block_hash", "block_time"))  # fmt: skip
    anchor = Anchor(
        _int(a["chain_id"], f"{path}.anchor.chain_id", 1),
        _str(a["contract"], f"{path}.anchor.contract", _ADDRESS, 42),
        _str(a["tx_hash"], f"{path}.anchor.tx_hash", _HASH0X, 66),
        _int(a["block_number"], f"{path}.anchor.block_number"),
        _str(a["block_hash"], f"{path}.anchor.block_hash", _HASH0X, 66),
        _time(a["block_time"], f"{path}.anchor.block_time"),
    )
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
    value: Any, path: str, max_items: int, cache: ItemCache | None = None
) -> tuple[Item, ...]:
    return tuple(
        _item(v, f"{path}[{i}]", cache) for i, v in enumerate(_list(value, path, max_items))
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
        out.append(Pending(_int(o["seq"], f"{p}.seq"), _str(o["type"], f"{p}.type", _CODE, 16),
                           _hex32(o["leaf_hash"], f"{p}.leaf_hash")))  # fmt: skip
    return tuple(out)


_COMMON = ("format", "version", "kind", "issued_at", "operator_key", "keys", "related", "context")
_OPTIONAL = ("pending", "explorer")
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
    if type(version) is not int or version != VERSION:
        raise FormatError(
            f"unknown version {version!r}: this verifier reads version {VERSION} only", "version"
        )
    kind = value.get("kind")
    if kind not in _BY_KIND:
        raise FormatError(f"unknown kind {kind!r}, want one of {', '.join(KINDS)}", "kind")
    required, optional = _BY_KIND[kind]
    _obj(value, "", _COMMON + required, _OPTIONAL + optional)
    explorer = None
    if "explorer" in value:
        e = _obj(value["explorer"], "explorer", ("tx_url",))
        explorer = _str(e["tx_url"], "explorer.tx_url", re.compile(r"https?://\S*\{tx\}\S*"), 512)
    common: dict[str, Any] = {
        "kind": kind,
        "issued_at": _time(value["issued_at"], "issued_at"),
        "operator_key": _hex32(value["operator_key"], "operator_key"),
        "keys": _items(value["keys"], "keys", MAX_KEYS, cache),
        "related": _items(value["related"], "related", MAX_RELATED),
        "context": _items(value["context"], "context", MAX_CONTEXT),
        "pending": _pending(value.get("pending", [])),
        "explorer_tx_url": explorer,
    }
    if kind == "record":
        return Bundle(
            **common,
            record=_item(value["record"], "record", None),
            receipt=_receipt(value["receipt"]),
            disclosure=_disclosure(value["disclosure"]) if "disclosure" in value else None,
        )
    subject = _str(value["subject"], "subject", _SUBJECT, 64)
    project = _str(value["project"], "project", _CODE, 64)
    run = _items(value["run"], "run", MAX_RUN)
    if not run:
        raise FormatError("a run holds at least one entry", "run")
    if kind == "wage":
        try:
            month = parse_month(value["pay_month"], "pay_month")
        except EncodingError as exc:
            raise FormatError(exc.reason, "pay_month") from exc
        return Bundle(**common, subject=subject, project=project, run=run, pay_month=month)
    return Bundle(**common, subject=subject, project=project, run=run,
                  at=_time(value["at"], "at"))  # fmt: skip
