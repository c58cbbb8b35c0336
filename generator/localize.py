"""One language's copy of a meeting: every text given per language resolved to that language.

A text the language lacks becomes a token that marks where it would print. Whatever the document
then prints or sorts by tells which missing texts it really needs, so the build can name exactly
those, and nothing the document does not show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .markup import FALLBACK_CLOSE, FALLBACK_LANGUAGE_END, FALLBACK_OPEN
from .meeting import Meeting, Texts
from .problems import Path

_TOKEN = re.compile("\ue000([0-9]+)\ue001")


@dataclass(frozen=True)
class Gap:
    """A text the input does not give in a language."""

    path: Path
    """Where the text belongs in the input."""
    language: str
    """The language it is missing in."""
    fallback: str | None
    """The text in the fallback language, if one was asked for and the input has it."""


@dataclass
class Gaps:
    """The texts one language lacks, each standing in the localized meeting as a token."""

    language: str
    """The language being resolved."""
    fallback: str | None = None
    """The language whose text stands in for a missing one, when the user asks for that."""
    filled: frozenset[Path] = frozenset()
    """Paths whose missing text is replaced by the fallback text instead of a token."""
    found: list[Gap] = field(default_factory=list)
    """Every gap found so far; a token's number is its index here."""
    sorted_by: set[int] = field(default_factory=set)
    """Tokens that something was sorted by (a sort key needs the text as much as a page does)."""

    def stand_in(self, texts: Texts, path: Path) -> str:
        """Return the text that stands where the language's text is missing."""
        fallback = texts.get(self.fallback) if self.fallback else None
        if fallback is not None and path in self.filled:
            return marked(fallback, self.fallback)
        self.found.append(Gap(path, self.language, fallback))
        return f"\ue000{len(self.found) - 1}\ue001"

    def note_sorting(self, text: str) -> str:
        """Return the text, noting any token in it as needed."""
        self.sorted_by.update(int(number) for number in _TOKEN.findall(text))
        return text

    def needed(self, *outputs: str) -> list[Gap]:
        """Return the gaps whose tokens appear in the outputs or were sorted by, in input order."""
        numbers = set(self.sorted_by)
        for output in outputs:
            numbers.update(int(number) for number in _TOKEN.findall(output))
        return [self.found[number] for number in sorted(numbers)]


def marked(text: str, language: str) -> str:
    """Return the text marked as printed in another language, each paragraph on its own (the
    templates split texts at blank lines); the document parser makes the marks a run's
    language and a note."""
    return "\n\n".join(f"{FALLBACK_OPEN}{language}{FALLBACK_LANGUAGE_END}{part}{FALLBACK_CLOSE}"
                         for part in text.split("\n\n"))


def localize(meeting: Meeting, gaps: Gaps) -> Meeting:
    """Return the meeting with every text in gaps.language; missing ones are noted in gaps."""
    holding, copies = _kept(meeting)
    key = (gaps.language, gaps.fallback, gaps.filled)
    if key in copies:
        return copies[key]
    found = len(gaps.found)
    localized = _resolve(meeting, (), gaps, holding)
    if len(gaps.found) == found:  # nothing missing: the same for the next document
        copies[key] = localized
    return localized


def _resolve(value: Any, path: Path, gaps: Gaps, holding: frozenset[int]) -> Any:
    """Return the value with its texts resolved: the value itself when it holds no text given
    per language (its id not in holding), else models rebuilt without validating again."""
    if isinstance(value, Texts):
        text = value.get(gaps.language)
        return text if text is not None else gaps.stand_in(value, path)
    if id(value) not in holding:
        return value
    if isinstance(value, BaseModel):
        return type(value).model_construct(**{
            name: _resolve(getattr(value, name), path + (name,), gaps, holding)
            for name in type(value).model_fields})
    return [_resolve(item, path + (index,), gaps, holding) for index, item in enumerate(value)]


_KEPT: list[tuple[Meeting, frozenset[int], dict[tuple, Meeting]]] = []
"""The last meeting localized, what _holding_texts found in it and its copies in each language
(and fallback) that lacked no text: a build localizes one meeting for each document."""


def _kept(meeting: Meeting) -> tuple[frozenset[int], dict[tuple, Meeting]]:
    """Return the ids of what holds a text given per language within the meeting and its kept
    copies (the meeting is kept with them, so that the ids stay its own)."""
    if not (_KEPT and _KEPT[0][0] is meeting):
        _KEPT[:] = [(meeting, _holding_texts(meeting), {})]
    return _KEPT[0][1], _KEPT[0][2]


def _holding_texts(meeting: Meeting) -> frozenset[int]:
    """Return the ids of the models and lists within the meeting that hold a text given per
    language, at any depth."""
    found: set[int] = set()

    def look(value: Any) -> bool:
        if isinstance(value, Texts):
            return True
        if isinstance(value, BaseModel):
            inner = [look(getattr(value, name)) for name in type(value).model_fields]
        elif isinstance(value, list):
            inner = [look(item) for item in value]
        else:
            return False
        if any(inner):
            found.add(id(value))
            return True
        return False

    look(meeting)
    return frozenset(found)


def language_name(code: str) -> str:
    """Return the English name of a language code, such as "Russian" for "ru"."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code
