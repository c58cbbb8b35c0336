"""Hyphenation of PDF text: where a word may break at a line end (the house rules over pyphen's
patterns), with pyphen's dictionaries parsed once per user and cached."""

from __future__ import annotations

import hashlib
import marshal
from functools import cache
from typing import Callable, Iterator

from .caches import entry_key, read_entry, write_entry


@cache
def load_patterns(name: str) -> None:
    """Put the parsed patterns of one of pyphen's dictionaries (pyphen's name, such as "en_US")
    into pyphen's own cache, taken from the user's cache folder when it holds the patterns of
    this very file; parse the file and store them there otherwise."""
    import pyphen

    path = pyphen.LANGUAGES[name]
    if path in pyphen.hdcache:
        return
    key = entry_key("hyphenation", pyphen.__version__, hashlib.sha256(path.read_bytes()).hexdigest())
    data = read_entry("hyphenation", key)
    if data is not None:
        try:
            patterns, maxlen = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            patterns = None
        if isinstance(patterns, dict) and isinstance(maxlen, int):
            parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
            parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
            pyphen.hdcache[path] = parsed
            return
    parsed = pyphen.HyphDict(path)
    pyphen.hdcache[path] = parsed
    try:
        write_entry("hyphenation", key, marshal.dumps((parsed.patterns, parsed.maxlen)))
    except ValueError:  # patterns with alternative spellings, which marshal cannot hold
        pass

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
    load_patterns(name)  # parsed once per user, from the cache folder
    dictionary = pyphen.Pyphen(lang=name, left=MIN_PART, right=MIN_PART)
    return lambda word: breaks(word, dictionary)
