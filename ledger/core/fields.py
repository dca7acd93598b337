"""Field converters: how each kind of record field is checked, decoded from JSON and encoded.

A converter both checks a Python value and turns it into its JSON form (``encode``), and checks
a JSON value and turns it into the Python value (``decode``). Records declare one converter per
field, so decoding, encoding and validation cannot drift apart. Errors name the field's path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, TypeVar

from ledger.core.errors import EncodingError, ValidationError
from ledger.core.times import format_time, parse_date, parse_month, parse_time

T = TypeVar("T")

# Runs of digits long enough to be a phone number (11), a bank card (16-19) or an ID number (18,
# maybe ending in X) have no business in free text: personal data goes to the identity vault.
_PII_DIGITS = re.compile(r"(?:\d[ -]?){10,}[\dXx]")


_FORBIDDEN_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    p = _PATTERNS.get(pattern)
    if p is None:
        p = _PATTERNS[pattern] = re.compile(pattern)
    return p


class Converter(Protocol):
    def decode(self, value: Any, path: str) -> Any: ...

    def encode(self, value: Any, path: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Str:
    """A string of ``min_len``..``max_len`` characters, optionally matching ``pattern``."""

    max_len: int = 128
    min_len: int = 1
    pattern: str | None = None
    free_text: bool = False

    def encode(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise EncodingError(f"must be a string, got {type(value).__name__}", path)
        if not self.min_len <= len(value) <= self.max_len:
            raise ValidationError(
                f"length {len(value)} outside {self.min_len}..{self.max_len}", path
            )
        if self.pattern is not None and not _compiled(self.pattern).fullmatch(value):
            raise ValidationError(f"{value!r} does not match {self.pattern}", path)
        # printable ASCII (the usual case) holds none of them: isprintable() is False on ASCII
        # exactly for \x00-\x1f and \x7f, what the expression finds in an ASCII string
        bad = None if value.isascii() and value.isprintable() else _FORBIDDEN_CHARS.search(value)
        if bad is not None:
            if 0xD800 <= ord(bad.group()) <= 0xDFFF:
                raise ValidationError(
                    "lone surrogates are not allowed (not encodable as UTF-8)", path
                )
            raise ValidationError("control characters are not allowed", path)
        if self.free_text and _PII_DIGITS.search(value):
            raise ValidationError(
                "looks like a phone, ID or bank card number; personal data belongs in the "
                "identity vault, not in a record",
                path,
            )
        return value

    decode = encode  # the same check both ways (one call less per field decoded)


@dataclass(frozen=True, slots=True)
class Int:
    """An integer in ``min``..``max`` (bool is not an integer here)."""

    min: int = 0
    max: int = 2**53 - 1

    def encode(self, value: Any, path: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise EncodingError(f"must be an integer, got {type(value).__name__}", path)
        if not self.min <= value <= self.max:
            raise ValidationError(f"{value} outside {self.min}..{self.max}", path)
        return value

    decode = encode  # the same check both ways (one call less per field decoded)


@dataclass(frozen=True, slots=True)
class Bool:
    def encode(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise EncodingError(f"must be true or false, got {type(value).__name__}", path)
        return value

    decode = encode  # the same check both ways (one call less per field decoded)


@dataclass(frozen=True, slots=True)
class Enum:
    """One of a fixed set of codes; the error lists them."""

    values: tuple[str, ...]

    def encode(self, value: Any, path: str) -> str:
        if value not in self.values:
            raise ValidationError(f"{value!r} is not one of {', '.join(self.values)}", path)
        return str(value)

    decode = encode  # the same check both ways (one call less per field decoded)


@dataclass(frozen=True, slots=True)
class Time:
    def decode(self, value: Any, path: str) -> datetime:
        return parse_time(value, path)

    def encode(self, value: Any, path: str) -> str:
        if not isinstance(value, datetime) or value.utcoffset() is None:
            raise EncodingError("must be an aware datetime", path)
        text = format_time(value)
        parse_time(text, path)
        return text


@dataclass(frozen=True, slots=True)
class Date:
    def decode(self, value: Any, path: str) -> date:
        return parse_date(value, path)

    def encode(self, value: Any, path: str) -> str:
        if not isinstance(value, date) or isinstance(value, datetime):
            raise EncodingError("must be a date", path)
        return parse_date(value.isoformat(), path).isoformat()


@dataclass(frozen=True, slots=True)
class Month:
    def decode(self, value: Any, path: str) -> str:
        return parse_month(value, path)

    def encode(self, value: Any, path: str) -> str:
        return parse_month(value, path)


_HEX = re.compile(r"[0-9a-f]*")


@dataclass(frozen=True, slots=True)
class Hex:
    """Bytes of a fixed size, written as lowercase hex."""

    size: int = 32

    def decode(self, value: Any, path: str) -> bytes:
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            raise EncodingError("must be lowercase hex", path)
        if len(value) != 2 * self.size:
            raise EncodingError(f"{len(value) // 2} bytes, want {self.size}", path)
        return bytes.fromhex(value)

    def encode(self, value: Any, path: str) -> str:
        if not isinstance(value, bytes) or len(value) != self.size:
            raise EncodingError(f"must be {self.size} bytes", path)
        return value.hex()


@dataclass(frozen=True, slots=True)
class List:
    """A list of up to ``max_items`` values of one converter; stored as a tuple."""

    item: Converter
    max_items: int = 50
    min_items: int = 0
    unique: bool = False

    def decode(self, value: Any, path: str) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise EncodingError(f"must be a list, got {type(value).__name__}", path)
        self._check_len(value, path)
        out = tuple(self.item.decode(v, f"{path}[{i}]") for i, v in enumerate(value))
        self._check_unique(value, path)
        return out

    def encode(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, tuple | list):
            raise EncodingError("must be a tuple", path)
        self._check_len(value, path)
        out = [self.item.encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
        self._check_unique(out, path)
        return out

    def _check_len(self, value: Sequence[Any], path: str) -> None:
        if not self.min_items <= len(value) <= self.max_items:
            raise ValidationError(
                f"{len(value)} items, allowed {self.min_items}..{self.max_items}", path
            )

    def _check_unique(self, value: Sequence[Any], path: str) -> None:
        if self.unique and len({repr(v) for v in value}) != len(value):
            raise ValidationError("items must be unique", path)


@dataclass(frozen=True, slots=True)
class Obj:
    """A nested value type (a subclass of Value)."""

    cls: type[Value]

    def decode(self, value: Any, path: str) -> Value:
        return self.cls.from_json(value, path)

    def encode(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, self.cls):
            raise EncodingError(f"must be a {self.cls.__name__}", path)
        try:
            return value.to_json()
        except EncodingError as exc:
            raise _within(exc, path) from exc


class Value:
    """Base of frozen dataclasses whose fields carry converters in ``metadata['conv']``.

    Optional fields default to None and are left out of the JSON when None; an explicit JSON
    null is refused, so each value has one encoding.
    """

    __slots__ = ()
    _fields_cache: ClassVar[dict[type, tuple[tuple[str, Converter, bool], ...]]] = {}
    _known_cache: ClassVar[dict[tuple[type, frozenset[str]], frozenset[str]]] = {}

    @classmethod
    def _spec(cls) -> tuple[tuple[str, Converter, bool], ...]:
        spec = Value._fields_cache.get(cls)
        if spec is None:
            spec = tuple(
                (f.name, f.metadata["conv"], f.metadata.get("optional", False))
                for f in fields(cls)  # type: ignore[arg-type]
                if "conv" in f.metadata
            )
            Value._fields_cache[cls] = spec
        return spec

    @classmethod
    def _decode_fields(cls, obj: Any, path: str, skip: frozenset[str]) -> dict[str, Any]:
        where = path or "record"
        if not isinstance(obj, dict):
            raise EncodingError(f"must be an object, got {type(obj).__name__}", where)
        spec = cls._spec()
        known = Value._known_cache.get((cls, skip))
        if known is None:
            known = Value._known_cache[(cls, skip)] = frozenset(n for n, _, _ in spec) | skip
        if not known.issuperset(obj):
            key = next(k for k in obj if k not in known)  # the first, as the loop found it
            raise EncodingError("unknown field", _join(path, key))
        out: dict[str, Any] = {}
        for name, conv, optional in spec:
            if name not in obj:
                if not optional:
                    raise EncodingError("required field is missing", _join(path, name))
                continue
            out[name] = conv.decode(obj[name], f"{path}.{name}" if path else name)
        return out

    @classmethod
    def from_json(cls: type[T], obj: Any, path: str = "") -> T:
        values = cls._decode_fields(obj, path, frozenset())  # type: ignore[attr-defined]
        try:
            return cls(**values)
        except EncodingError as exc:  # a rule across fields, raised with the field's own name
            raise _within(exc, path) from exc

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, conv, optional in self._spec():
            value = getattr(self, name)
            if value is None:
                if not optional:
                    raise EncodingError("required field is missing", name)
                continue
            out[name] = conv.encode(value, name)
        return out


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _within(exc: EncodingError, path: str) -> EncodingError:
    """The same error with its field path prefixed by the path of the value it was raised in."""
    if not path:
        return exc
    return type(exc)(exc.reason, _join(path, exc.field) if exc.field else path)


def conv(c: Converter, optional: bool = False) -> dict[str, Any]:
    """Metadata for a dataclass field: ``x: int = field(metadata=conv(Int()))``."""
    return {"conv": c, "optional": optional}
