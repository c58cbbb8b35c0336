"""Prose texts given as one plain string, which print as written in every language."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .meeting import Meeting
from .problems import Path, Problem

PROSE = frozenset({
    "title", "text", "opening", "description", "background", "expected_action", "note",
    "concept_note", "invitation", "registration", "transport", "accommodation", "venue_address",
    "objectives", "points_to_make", "key_messages", "defensive_points", "handling", "press_line",
    "preamble", "columns", "rows", "type", "role", "format", "audience", "classification",
    "documents", "organizers", "co_organizers", "depositary", "footnote", "meeting_type", "venue",
})
"""The fields that hold prose (titles, paragraphs, descriptions, notes), not names: a person's,
a participant's, a city's or a process's name is the same in every language, prose never."""

_OWN_LANGUAGES = {"briefing": lambda meeting: meeting.briefing.languages}
"""Parts of the input printed only in their own languages, when they name them."""


def plain_texts(loaded) -> dict[str, list[Problem]]:
    """Return, for each language of a meeting of several, the prose texts given as one plain
    string that print as written in it, each placed in the input file; {} for one language."""
    meeting: Meeting = loaded.meeting
    if len(meeting.languages) < 2:
        return {}
    found: dict[str, list[Problem]] = {language: [] for language in meeting.languages}
    for name in type(meeting).model_fields:
        value = getattr(meeting, name)
        own = _OWN_LANGUAGES.get(name)
        languages = (own(meeting) if own and value is not None else None) or meeting.languages
        if len(languages) < 2:  # printed in one language only: as written is as meant
            continue
        for path in _plain(value, (name,), name in PROSE):
            for language in languages:
                found[language].append(loaded.source.problem(path, "one plain text"))
    return {language: sorted(problems, key=lambda problem: (problem.line or 0, problem.column or 0))
            for language, problems in found.items() if problems}


def _plain(value: Any, path: Path, prose: bool) -> list[Path]:
    """Return the paths of the plain non-empty strings in value that are prose."""
    if isinstance(value, BaseModel):
        return [found for name in type(value).model_fields
                for found in _plain(getattr(value, name), path + (name,), name in PROSE)]
    if isinstance(value, list):
        return [found for index, item in enumerate(value)
                for found in _plain(item, path + (index,), prose)]
    if prose and type(value) is str and value.strip() and any(char.isalpha() for char in value):
        return [path]
    return []
