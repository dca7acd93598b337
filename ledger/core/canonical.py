"""Canonical bytes: the only module that turns ledger values into JSON bytes and back.

Encoding is RFC 8785 (JSON Canonicalization Scheme) through the ``rfc8785`` package. Decoding is
strict, because every byte that reaches a hash or a signature must have one meaning only: it
refuses input over the size limit, invalid UTF-8, duplicate object keys, non-integer numbers,
NaN and infinities, nesting deeper than the limit and anything after the top-level value.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

import rfc8785

from ledger.core.errors import EncodingError

MAX_DOCUMENT_BYTES = 64 * 1024
"""Largest single record or entry accepted for decoding."""
MAX_DEPTH = 8
"""Deepest nesting of objects and arrays accepted for decoding."""

JSONValue = Any
"""A value made of dict, list, str, int, bool and None only (no floats anywhere in the ledger)."""


_SAFE_INT = 2**53 - 1
_FAST = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)


def _fast_ok(value: Any) -> bool:
    """True if ``value`` is in the subset where the stdlib encoder's output is exactly JCS.

    That subset: dicts with ASCII keys (so code-point order equals UTF-16 order), lists, str
    without lone surrogates, bool, None and integers within ±(2**53 − 1). Strings are escaped
    identically by both (``\\"``, ``\\\\``, the five short escapes and ``\\u00xx`` for the
    other control characters; nothing else is escaped). Floats never take this path.
    """
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is str or t is bool or v is None:
            continue
        if t is int:
            if -_SAFE_INT <= v <= _SAFE_INT:
                continue
            return False
        if t is dict:
            for k in v:
                if type(k) is not str or not k.isascii():
                    return False
            stack.extend(v.values())
        elif t is list:
            stack.extend(v)
        else:
            return False
    return True


def canonical_bytes(value: JSONValue) -> bytes:
    """Return the RFC 8785 bytes of ``value``.

    Requires a value of dicts with str keys, lists, str, int (|i| <= 2**53 - 1), bool and None.
    Ledger values take a fast path through the stdlib encoder (see ``_fast_ok``; a property
    test checks it against the ``rfc8785`` package); anything else goes to ``rfc8785``.
    """
    if _fast_ok(value):
        try:
            return _FAST.encode(value).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise EncodingError(f"cannot canonicalise: {exc.reason} in a string") from exc
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise EncodingError(f"cannot canonicalise: {exc}") from exc


def canonical_bytes_of_checked(value: JSONValue) -> bytes:
    """``canonical_bytes(value)`` for a value already known to lie in ``_fast_ok``'s subset.

    Requires: dicts with ASCII keys, lists, str without lone surrogates, bool, None and
    integers within ±(2**53 − 1), no floats. A record object that every field converter has
    just accepted is such a value (``ledger.core.records``: the keys are its field names, the
    converters refuse floats, lone surrogates and integers out of their ranges), so the walk
    over it that ``canonical_bytes`` makes first is skipped.
    """
    try:
        return _FAST.encode(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EncodingError(f"cannot canonicalise: {exc.reason} in a string") from exc


def _reject_float(text: str) -> NoReturn:
    raise EncodingError(f"non-integer number {text!r}: amounts are integer fen, times are strings")


def _reject_constant(text: str) -> NoReturn:
    raise EncodingError(f"{text} is not JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # in C; a repeated key shows as fewer keys than pairs
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise EncodingError(f"duplicate key {key!r}")
            seen.add(key)
    return out


_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_QUOTED = re.compile(rb'"[^"]*"')
_PAIR = re.compile(rb"\[\]|\{\}")


def _check_depth(text: str, limit: int) -> None:
    """Refuse nesting deeper than ``limit`` before the parser sees it.

    Checked on the text, not on the parsed value: the stdlib parser recurses in C, and in a
    process whose recursion limit was raised (web3's dependencies raise it to 100,000) a deeply
    nested document overflows the C stack and kills the process instead of raising.

    Done with bytes operations that run in C (a bulk of 1,000 records in about a quarter of the
    time a regular expression over the text took): drop escaped backslashes and quotes, keep only
    brackets and quotes, drop the (now bracket-only) strings; then peel the innermost ``[]`` and
    ``{}`` pairs level by level — the number of rounds is the nesting depth. Brackets that do
    not pair up (an invalid document) are counted one by one.
    """
    data = text.encode("utf-8", "surrogatepass").replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = _QUOTED.sub(b"", data.translate(None, _NOT_STRUCTURE))
    rest, depth = brackets, 0
    while rest:
        peeled = _PAIR.sub(b"", rest)
        if peeled == rest:
            break
        depth += 1
        if depth > limit:
            raise EncodingError(f"nested deeper than {limit} levels")
        rest = peeled
    if not rest:
        return
    depth = 0
    for b in brackets:
        if b in b"[{":
            depth += 1
            if depth > limit:
                raise EncodingError(f"nested deeper than {limit} levels")
        else:
            depth -= 1


_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates,
    parse_float=_reject_float,
    parse_constant=_reject_constant,
)


def decode_json(data: bytes | str, max_bytes: int = MAX_DOCUMENT_BYTES) -> JSONValue:
    """Parse one strict JSON document (see the module docstring for what is refused)."""
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else data
    except UnicodeEncodeError as exc:
        raise EncodingError(f"not UTF-8 at character {exc.start}") from exc
    if len(raw) > max_bytes:
        raise EncodingError(f"document is {len(raw)} bytes, limit {max_bytes}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"not UTF-8 at byte {exc.start}") from exc
    if raw.count(b"{") + raw.count(b"[") > MAX_DEPTH:  # otherwise it cannot be too deep
        _check_depth(text, MAX_DEPTH)
    try:
        value, end = _DECODER.raw_decode(text.lstrip(" \t\r\n"))
    except json.JSONDecodeError as exc:
        raise EncodingError(
            f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise EncodingError(f"nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # int() refusing a number of more than 4300 digits
        raise EncodingError(f"malformed JSON: {exc}") from exc
    rest = text.lstrip(" \t\r\n")[end:]
    if rest.strip(" \t\r\n"):
        raise EncodingError(f"trailing data after the JSON value ({len(rest.strip())} characters)")
    if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(value):
        # "\ud800" is valid JSON syntax but no Unicode text: it has no UTF-8 form, so no
        # canonical bytes, and it broke whatever tried to encode it later (a 500 after a bulk's
        # other records were stored)
        raise EncodingError("a string holds an unpaired surrogate escape (\\ud800–\\udfff): "
                            "not Unicode text")
    return value


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(value: JSONValue) -> bool:
    """Whether any string of ``value``, member names included, holds an unpaired surrogate
    (escaped pairs were joined by the parser into one character)."""
    stack: list[JSONValue] = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            for k, x in v.items():
                if _SURROGATE.search(k):
                    return True
                stack.append(x)
        elif isinstance(v, list):
            stack.extend(v)
    return False
