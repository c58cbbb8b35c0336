"""Where the PDF writer may break a word at a line end: the house rules over pyphen's patterns."""

from __future__ import annotations

from functools import cache
from typing import Callable, Iterator

MIN_LETTERS = 6
"""The shortest word that may be hyphenated."""
MIN_PART = 3
"""The fewest letters left on the line or carried to the next."""

PATTERNS = {"en": "en_US"}
"""pyphen's patterns for a language where its default for the language is not the best: the
British English patterns break "dir-ection" and "secret-ariat"; the American ones break where
dictionaries do ("direc-tion", "sec-re-tar-iat") for the -ize spelling UN English uses."""


def breaks(word: str, dictionary) -> Iterator[tuple[str, str]]:
    """Yield (head, tail) for each place the word may break, the longest head first: never in
    a capitalised word (a name, an acronym), a number or a word of fewer than MIN_LETTERS
    letters; a word with its own hyphen only right after it, adding nothing."""
    if not word or any(char.isupper() or char.isdigit() for char in word):
        return
    if "-" in word:
        for at in reversed([n for n, char in enumerate(word) if char == "-"]):
            if at >= MIN_PART and len(word) - at - 1 >= MIN_PART:
                yield word[:at + 1], word[at + 1:]
        return
    if "\xad" in word or len(word) < MIN_LETTERS:
        return
    yield from dictionary.iterate(word)


@cache
def hyphenator(language: str) -> Callable[[str], Iterator[tuple[str, str]]] | None:
    """Return the PDF writer's hyphenator for the language (reportlab calls it with a word and
    tries each (head, tail) in turn), or None where pyphen has no patterns for it."""
    import pyphen

    name = PATTERNS.get(language.split("-")[0]) or pyphen.language_fallback(
        language.replace("-", "_"))
    if not name:
        return None
    dictionary = pyphen.Pyphen(lang=name, left=MIN_PART, right=MIN_PART)
    return lambda word: breaks(word, dictionary)
