"""Sorting names as a protocol officer expects: Türkiye before Turkmenistan, "the" ignored."""

from __future__ import annotations

from functools import cache
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

# Leading articles a list ignores, lower case, per language. French short country names carry
# no article in lists ("Émirats arabes unis"), Russian has none.
_ARTICLES = {"en": ("the ",)}


@cache
def _collator():
    """Return the Unicode Collation Algorithm collator, DUCET untailored (loaded once)."""
    import pyuca

    return pyuca.Collator()


def sort_key(name: str, language: str = "en") -> tuple[int, ...]:
    """Return the collation key of a name, ignoring a leading article of the language."""
    text = name.strip()
    for article in _ARTICLES.get(language, ()):
        if text.lower().startswith(article):
            text = text[len(article):].lstrip()
    return _collator().sort_key(text)


def collate(items: Iterable[T], name: Callable[[T], str], language: str = "en") -> list[T]:
    """Return the items sorted by the collation key of name(item); ties keep their order."""
    return sorted(items, key=lambda item: sort_key(name(item), language))
