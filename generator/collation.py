"""Sorting names as a protocol officer expects: Türkiye before Turkmenistan, "the" ignored."""

from __future__ import annotations

from functools import cache
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

_ARTICLES = ("the ",)


@cache
def _collator():
    """Return the Unicode Collation Algorithm collator (loaded once)."""
    import pyuca

    return pyuca.Collator()


def sort_key(name: str) -> tuple[int, ...]:
    """Return the collation key of a name, ignoring a leading article."""
    text = name.strip()
    for article in _ARTICLES:
        if text.lower().startswith(article):
            text = text[len(article):]
    return _collator().sort_key(text)


def collate(items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    """Return the items sorted by the collation key of name(item); ties keep their order."""
    return sorted(items, key=lambda item: sort_key(name(item)))
