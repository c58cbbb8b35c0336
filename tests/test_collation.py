"""The collator that loads only the table entries it needs gives pyuca's own keys."""

from __future__ import annotations

from functools import cache

import pyuca
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.collation import collate, sort_key


@cache
def whole_table() -> pyuca.Collator:
    """Return pyuca's collator with the whole table loaded, as pyuca makes it."""
    return pyuca.Collator()


NAMES = ["Türkiye", "Turkmenistan", "Туркменистан", "Турция", "Côte d'Ivoire", "Йемен", "Ёлка",
         "Ångström", "ǅemal", "ﬁnance", "l·l", "Ĳssel", "a\u0301\u0327", "中国", "𠀀", "ẞ",
         "Bosnia  and Herzegovina", " l\u0301 ·l "]
"""Names with contractions, combining marks, ligatures, CJK and supplementary characters."""


def test_keys_equal_the_whole_tables():
    """Contractions, combining marks and implicit weights (CJK) come out as pyuca has them."""
    assert [sort_key(name) for name in NAMES] == [whole_table().sort_key(name.strip())
                                                  for name in NAMES]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")),
               max_size=12))
def test_any_text_keys_as_the_whole_table(text):
    """Whatever the text, the entries it needs are loaded before its key is made."""
    assert sort_key(text, "ru") == whole_table().sort_key(text.strip())


def test_lists_sort_as_a_protocol_officer_expects():
    assert collate(["Turkmenistan", "the Netherlands", "Türkiye"], str) == [
        "the Netherlands", "Türkiye", "Turkmenistan"]
    assert collate(["Турция", "Туркменистан"], str, "ru") == ["Туркменистан", "Турция"]
