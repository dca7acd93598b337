"""Field converters (ledger.core.fields): the character rules of strings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.errors import EncodingError, ValidationError
from ledger.core.fields import Str

_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
FREE = Str(200, 0)


@pytest.mark.parametrize("ch", ["\x00", "\t", "\n", "\x1f", "\x7f", "\x80", "\x9f"])
def test_control_characters_are_refused(ch: str) -> None:
    for text in (ch, f"a{ch}", f"ab{ch}cd", f"中{ch}"):
        with pytest.raises(ValidationError, match="control characters are not allowed"):
            FREE.decode(text, "note")


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(ValidationError, match="lone surrogates"):
        FREE.decode("a\ud800b", "note")


@settings(max_examples=3000)
@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x2100, exclude_categories=()),
               max_size=12))  # fmt: skip
def test_printable_ascii_shortcut_refuses_what_the_expression_finds(text: str) -> None:
    """Str skips the expression for printable ASCII; the outcome is the expression's."""
    refused = _FORBIDDEN.search(text) is not None
    try:
        FREE.decode(text, "note")
    except EncodingError:
        assert refused
    else:
        assert not refused
