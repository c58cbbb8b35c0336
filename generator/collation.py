"""Sorting names as a protocol officer expects: Türkiye before Turkmenistan, "the" ignored."""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

# Leading articles a list ignores, lower case, per language. French short country names carry
# no article in lists ("Émirats arabes unis"), Russian has none. UN Arabic lists sort a name by
# the word after its article, which is joined to it: الأرجنتين stands under ر, after أذربيجان.
_ARTICLES = {"en": ("the ",), "ar": ("ال",)}


@cache
def _collator():
    """Return the Unicode Collation Algorithm collator, DUCET untailored (made once)."""
    import pyuca

    class Collator(pyuca.Collator):
        """pyuca's collator, whose table holds only the entries of the characters it has met.

        A key depends only on the table entries that begin with one of the characters of the
        (NFD) text, so loading those gives the same keys as the whole table, without parsing
        its 30,000 lines on every run: the text is kept with the place of each line by its
        first code point, and a line is parsed when its character is first met.
        """

        def load(self, filename):
            self._text = Path(filename).read_text(encoding="utf-8")
            entries = []
            offset = 0
            for line in self._text.splitlines(keepends=True):
                if line.startswith("@implicitweights"):
                    start_end, base = line[len("@implicitweights"):].split("#")[0].split(";")
                    start, end = start_end.split("..")
                    self.implicit_weights.append([int(start, 16), int(end, 16), int(base, 16)])
                elif line[:1].isalnum():
                    entries.append((int(line.partition(" ")[0], 16), offset))
                offset += len(line)
            entries.sort()
            self._points = array("I", (point for point, _ in entries))
            """The first code point of each line of the table, in order."""
            self._offsets = array("I", (start for _, start in entries))
            """Where each of those lines starts in the table's text."""
            self._loaded: set[int] = set()

        def sort_key(self, string):
            normalized = unicodedata.normalize("NFD", string)
            self._meet({ord(char) for char in normalized})
            first, *others = normalized.split(" ")  # no table entry holds a space after a character
            elements = list(self._word_elements(first))
            for word in others:
                elements += self._space
                elements += self._word_elements(word)
            return self.sort_key_from_collation_elements(elements)

        @cached_property
        def _space(self) -> list[list[int]]:
            self._meet({0x20})
            return self.collation_elements(" ")

        @cached_property
        def _word_elements(self):
            """Return the collation elements of a word (names share many), made once each."""
            return lru_cache(maxsize=8192)(self.collation_elements)

        def _meet(self, points: set[int]) -> None:
            for point in points - self._loaded:
                self._loaded.add(point)
                index = bisect_left(self._points, point)
                while index < len(self._points) and self._points[index] == point:
                    start = self._offsets[index]
                    line = self._text[start:self._text.find("\n", start)]
                    index += 1
                    chars, elements = line.split("#", 1)[0].split(";", 1)
                    self.table.add([int(char, 16) for char in chars.split()],
                                   [[int(weight, 16) for weight in match.groups()]
                                    for match in _ELEMENT.finditer(elements)])

    return Collator()


_ELEMENT = re.compile(r"\[[*.]([0-9A-Fa-f]{4})\.([0-9A-Fa-f]{4})\.([0-9A-Fa-f]{4})"
                      r"(?:\.[0-9A-Fa-f]{4,5})?\]")
"""One collation element of the table, as pyuca reads it: its three weights."""


def sort_key(name: str, language: str = "en") -> tuple[int, ...]:
    """Return the collation key of a name, ignoring a leading article of the language."""
    text = name.strip()
    for article in _ARTICLES.get(language, ()):
        if text.lower().startswith(article):
            text = text[len(article):].lstrip()
    primary = language.split("-")[0].split("_")[0]
    if primary == "zh":
        return _pinyin_key(text)
    if primary == "ar":
        return _arabic_key(text)
    return _collator().sort_key(text)


_HAMZA_MARKS = dict.fromkeys(map(ord, "\u0653\u0654\u0655"))
"""The madda and hamza above and below an alef (after NFD), which an Arabic list ignores."""


def _arabic_key(text: str) -> tuple[int, ...]:
    """Return the key of an Arabic name in alphabetical order as UN Arabic lists have it: أ, إ and
    آ count as ا (إثيوبيا, أذربيجان, الأرجنتين, أرمينيا, إريتريا), the marks decide only ties."""
    plain = unicodedata.normalize("NFD", text).translate(_HAMZA_MARKS)
    return (*_collator().sort_key(plain), 0, *_collator().sort_key(text))


def _pinyin_key(text: str) -> tuple[int, ...]:
    """Return the key of a Chinese name in Hanyu Pinyin order, as UN Chinese documents list
    States (阿尔巴尼亚, 阿尔及利亚, 阿富汗, 阿根廷...): by each syllable's letters and then its
    tone, syllable by syllable (埃及 āi before 爱尔兰 ài), then the characters; text that is not
    Chinese sorts by its own letters among them."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    return (*_collator().sort_key(" ".join(syllables)), 0, *(ord(char) for char in text))


def collate(items: Iterable[T], name: Callable[[T], str], language: str = "en") -> list[T]:
    """Return the items sorted by the collation key of name(item); ties keep their order."""
    return sorted(items, key=lambda item: sort_key(name(item), language))
