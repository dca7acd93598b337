"""Canonical bytes (RFC 8785) and the strict decoder in ledger.core.canonical."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.canonical import MAX_DEPTH, MAX_DOCUMENT_BYTES, canonical_bytes, decode_json
from ledger.core.errors import EncodingError

# ---------------------------------------------------------------------------- known answers


def test_rfc8785_sorting_example_sorts_by_utf16_code_units() -> None:
    # RFC 8785 §3.2.3: U+1F600 is the surrogate pair D83D DE00 in UTF-16, so it sorts before
    # U+FB33 although its code point is larger; sorting by code point would swap the last two.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    want = (
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
        '"\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
    )
    assert canonical_bytes(value) == want.encode("utf-8")


def test_rfc8785_string_example() -> None:
    # RFC 8785 §3.2.2 (the string and literals of the example; its numbers are floats, which the
    # ledger refuses). Only ", \ and control characters are escaped, controls in lowercase \u00xx
    # unless they have a short form; everything else stays as UTF-8, including the slash.
    source = (
        r'{"string": "\u20ac$\u000F\u000aA'
        + "'"
        + r'\u0042\u0022\u005c\\\"\/", '
        + ('"literals": [null, true, false]}')
    )
    want = '{"literals":[null,true,false],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    assert canonical_bytes(decode_json(source)) == want.encode("utf-8")


def test_non_ascii_strings_are_kept_as_utf8() -> None:
    value = {"name": "钢筋工 班组", "note": "\u2028é"}
    assert canonical_bytes(value) == '{"name":"钢筋工 班组","note":"\u2028é"}'.encode()
    assert b"\\u" not in canonical_bytes(value)


def test_nested_objects_and_arrays_sort_at_every_level() -> None:
    value = {"b": [{"z": 1, "a": [True, None]}, []], "a": {"d": {}, "c": "x"}}
    assert canonical_bytes(value) == b'{"a":{"c":"x","d":{}},"b":[{"a":[true,null],"z":1},[]]}'


@pytest.mark.parametrize(
    ("number", "text"),
    [(0, b"0"), (-1, b"-1"), (10**15, b"1000000000000000"), (2**53 - 1, b"9007199254740991"),
     (-(2**53 - 1), b"-9007199254740991")],
)  # fmt: skip
def test_integers(number: int, text: bytes) -> None:
    assert canonical_bytes(number) == text
    assert canonical_bytes([number]) == b"[" + text + b"]"


@pytest.mark.parametrize("number", [2**53, -(2**53), 2**64])
def test_integers_beyond_2_53_are_refused(number: int) -> None:
    with pytest.raises(EncodingError, match=f"cannot canonicalise: {number} exceeds"):
        canonical_bytes({"amount": number})


@pytest.mark.parametrize(
    ("value", "reason"),
    [({1: "x"}, "object keys must be strings"), (b"x", "unsupported type"),
     (float("nan"), "nan is not representable"), ("\ud800", "cannot canonicalise")],
)  # fmt: skip
def test_unencodable_values_raise_encoding_error(value: object, reason: str) -> None:
    with pytest.raises(EncodingError, match=reason):
        canonical_bytes(value)


_chars = st.characters(exclude_categories=["Cs"])  # no lone surrogates: not encodable as UTF-8
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.text(_chars, max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(_chars, max_size=6), inner,
                      max_size=4),
    max_leaves=12,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_json)
def test_decode_of_canonical_bytes_is_the_identity(value: object) -> None:
    data = canonical_bytes(value)
    assert decode_json(data) == value
    assert canonical_bytes(decode_json(data)) == data
    # Any other spelling of the same value canonicalises to the same bytes.
    spaced = json.dumps(value, ensure_ascii=True, indent=1).encode()
    if len(spaced) <= MAX_DOCUMENT_BYTES:
        assert canonical_bytes(decode_json(spaced)) == data


# ---------------------------------------------------------------------------- strict decoding


def test_whitespace_around_the_value_is_allowed() -> None:
    assert decode_json(b' \t\r\n{"a": [1, 2]} \n') == {"a": [1, 2]}
    assert decode_json('"x"') == "x"


def test_oversize_input_is_refused() -> None:
    data = b'"' + b"a" * (MAX_DOCUMENT_BYTES - 1) + b'"'
    with pytest.raises(EncodingError, match=f"document is {MAX_DOCUMENT_BYTES + 1} bytes, "
                       f"limit {MAX_DOCUMENT_BYTES}"):  # fmt: skip
        decode_json(data)
    assert decode_json(data[:-2] + b'"') == "a" * (MAX_DOCUMENT_BYTES - 2)
    with pytest.raises(EncodingError, match="document is 5 bytes, limit 4"):
        decode_json(b'"abc"', max_bytes=4)


def test_size_limit_counts_utf8_bytes_of_str_input() -> None:
    with pytest.raises(EncodingError, match="document is 8 bytes, limit 7"):
        decode_json('"工资"', max_bytes=7)


@pytest.mark.parametrize(
    ("data", "at"),
    [(b'"\xff"', 1), (b'{"a":"\xc0\xaf"}', 6), (b'"\xed\xa0\x80"', 1), (b'"ok\xe5\xb7"', 3)],
    ids=["ff", "overlong", "encoded-surrogate", "truncated"],
)
def test_invalid_utf8_is_refused(data: bytes, at: int) -> None:
    with pytest.raises(EncodingError, match=f"not UTF-8 at byte {at}"):
        decode_json(data)


def test_str_input_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(EncodingError, match="not UTF-8 at character 1"):
        decode_json('"\ud800"')


def test_escaped_lone_surrogate_is_refused_and_has_no_canonical_bytes() -> None:
    """An escaped lone surrogate is JSON syntax but no Unicode text: refused when decoded (it
    used to get through and fail later, after a bulk's other records were stored), anywhere in
    the document, member names included; an escaped pair is one character and fine."""
    for doc in (b'"\\ud800"', b'{"a": ["x", "\\udfff"]}', b'{"\\ud800k": 1}', b'["\\ude00\\ud83d"]'):
        with pytest.raises(EncodingError, match="unpaired surrogate"):
            decode_json(doc)
    assert decode_json(b'"\\ud83d\\ude00"') == "\U0001f600"
    with pytest.raises(EncodingError, match="cannot canonicalise"):
        canonical_bytes("\ud800")
    with pytest.raises(EncodingError, match="cannot canonicalise"):
        canonical_bytes({"a": ["x", "\ud800"]})


@pytest.mark.parametrize(
    ("data", "key"),
    [('{"a":1,"a":2}', "a"), ('{"a":1,"b":{"c":1,"c":1}}', "c"), ('[{"工":1,"工":1}]', "工")],
)
def test_duplicate_keys_are_refused(data: str, key: str) -> None:
    with pytest.raises(EncodingError, match=f"duplicate key '{key}'"):
        decode_json(data)


@pytest.mark.parametrize("number", ["1.0", "1e3", "1E3", "-0.5", "1E+2", "0.1e-1", "100.00"])
def test_floats_are_refused(number: str) -> None:
    with pytest.raises(EncodingError, match=re.escape(f"non-integer number '{number}'")):
        decode_json(f'{{"gross": {number}}}')


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant: str) -> None:
    with pytest.raises(EncodingError, match=f"{constant} is not JSON"):
        decode_json(f"[{constant}]")


def test_integers_keep_their_value() -> None:
    assert decode_json("[0, -0, 9007199254740993]") == [0, 0, 9007199254740993]


def test_a_number_of_thousands_of_digits_is_an_encoding_error() -> None:
    # int() refuses more than 4300 digits with a ValueError; the decoder must translate it.
    with pytest.raises(EncodingError, match="malformed JSON: Exceeds the limit"):
        decode_json("1" * 5000)


@pytest.mark.parametrize(
    ("data", "count"),
    [("{} x", 1), ("{}{}", 2), ("1 2", 1), ('"a""b"', 3), ("[1]]", 1), ("null\n,", 1)],
)
def test_trailing_data_is_refused(data: str, count: int) -> None:
    with pytest.raises(EncodingError, match=rf"trailing data after the JSON value \({count} "):
        decode_json(data)


@pytest.mark.parametrize("data", ["x{}", "\ufeff{}", ",1", "//c\n{}", "'a'", ""])
def test_preceding_garbage_is_refused(data: str) -> None:
    with pytest.raises(EncodingError, match="malformed JSON: Expecting value at line 1"):
        decode_json(data)


def test_nesting_up_to_max_depth_is_allowed() -> None:
    arrays = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert canonical_bytes(decode_json(arrays)) == arrays.encode()
    objects = '{"a":' * (MAX_DEPTH - 1) + "[]" + "}" * (MAX_DEPTH - 1)
    assert canonical_bytes(decode_json(objects)) == objects.encode()


@pytest.mark.parametrize(
    "data",
    ["[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
     '{"a":' * MAX_DEPTH + "{}" + "}" * MAX_DEPTH,
     '[1,{"a":[2,' + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "]}]",
     "[" * 30000 + "]" * 30000],
    ids=["arrays", "objects", "mixed", "deep-enough-to-overflow-the-parser"],
)  # fmt: skip
def test_nesting_deeper_than_max_depth_is_refused(data: str) -> None:
    with pytest.raises(EncodingError, match=f"nested deeper than {MAX_DEPTH} levels"):
        decode_json(data)


def test_scalars_do_not_count_as_a_level() -> None:
    value: object = "deep"
    for _ in range(MAX_DEPTH):
        value = [value]
    assert decode_json("[" * MAX_DEPTH + '"deep"' + "]" * MAX_DEPTH) == value
