"""Loading a meeting file: YAML, then types, then the references between its parts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from .annexes import resolve_annexes
from .meeting import Meeting, Participant, Person, known_language
from .problems import InputError, Path, Problem
from .source import Source, read_source


@dataclass(frozen=True)
class LoadedMeeting:
    """A valid meeting and the file it came from."""

    meeting: Meeting
    """The validated meeting."""
    source: Source
    """The file's data, positions and bytes."""


def load_meeting(name: str) -> LoadedMeeting:
    """Return the meeting in the file; raise InputError listing every problem found."""
    source = read_source(name)
    return LoadedMeeting(validate_meeting(source), source)


def validate_meeting(source: Source) -> Meeting:
    """Return the meeting built from the source's data; raise InputError listing every problem."""
    problems = list(source.problems)
    try:
        meeting = Meeting.model_validate(source.data)
    except ValidationError as error:
        problems += _type_problems(error, source)
    else:
        problems += [source.problem(path, message) for path, message in check_references(meeting)]
        meeting, annex_problems = resolve_annexes(meeting, source)  # annex files: see annexes.py
        problems += annex_problems
    if problems:
        raise InputError(sorted(problems, key=_reading_order))
    return meeting


def _reading_order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def _type_problems(error: ValidationError, source: Source) -> Iterator[Problem]:
    """Yield a problem in the user's words for each error pydantic found."""
    for item in error.errors(include_url=False):
        path: Path = tuple(item["loc"])
        kind = item["type"]
        if kind == "extra_forbidden":
            known = _field_names(path[:-1])
            message = f"unknown field '{path[-1]}'"
            close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
            message += f"; did you mean '{close[0]}'?" if close else (
                f"; expected one of: {', '.join(known)}" if known else "")
            yield source.problem(path, message, at_key=True)
            continue
        if kind == "missing":
            message = "this required field is missing"
        elif kind in ("too_short", "list_too_short") and isinstance(item.get("input"), list):
            message = "must not be empty"
        elif kind == "string_too_short":
            message = "must not be empty"
        elif kind == "value_error":
            message = str(item["ctx"]["error"])
        else:
            message = item["msg"].replace("Input should be", "should be")
            value = item.get("input")
            if isinstance(value, (str, int, float, bool)) or value is None:
                message += f" (got {value!r})"
        yield source.problem(path, message, at_key=kind == "missing")


def _field_names(path: Path) -> list[str]:
    """Return the field names allowed in the mapping at path, or [] if it cannot be told."""
    model: Any = Meeting
    for part in path:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
    return list(getattr(model, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """Return the model class inside an annotation like list[X] or X | None, else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()) or getattr(annotation, "__metadata__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _model_in(origin) if origin is not None and origin is not annotation else None


def _language_problems(meeting: Meeting) -> list[tuple[Path, str]]:
    """Return (path, message) for unknown, repeated or undeclared language codes."""
    problems: list[tuple[Path, str]] = []
    for index, code in enumerate(meeting.languages):
        if not known_language(code):
            problems.append((("languages", index), f"'{code}' is not a language code"))
        elif code in meeting.languages[:index]:
            problems.append((("languages", index), f"'{code}' is listed twice"))
    subsets = [(("outcome", "done_at", "languages"),
                meeting.outcome.done_at.languages if meeting.outcome else []),
               (("briefing", "languages"), meeting.briefing.languages if meeting.briefing else [])]
    for path, codes in subsets:
        for index, code in enumerate(codes):
            if code not in meeting.languages:
                problems.append((path + (index,), f"'{code}' is not one of the meeting's languages "
                                                  f"({', '.join(meeting.languages)})"))
            elif code in codes[:index]:
                problems.append((path + (index,), f"'{code}' is listed twice"))
    return problems


def check_references(meeting: Meeting) -> list[tuple[Path, str]]:
    """Return (path, message) for every broken rule between the meeting's parts."""
    problems: list[tuple[Path, str]] = []
    participants: dict[str, Participant] = {}
    persons: dict[str, tuple[Participant, Person]] = {}
    first_use: dict[tuple[str, str], Path] = {}

    def claim(space: str, name: str, path: Path) -> None:
        if (space, name) in first_use:
            problems.append((path, f"the id '{name}' is already used by another {space}"))
        else:
            first_use[space, name] = path

    for index, participant in enumerate(meeting.participants):
        claim("participant", participant.id, ("participants", index, "id"))
        participants.setdefault(participant.id, participant)
        for number, person in enumerate(participant.delegation):
            if person.id is not None:
                claim("person", person.id, ("participants", index, "delegation", number, "id"))
                persons.setdefault(person.id, (participant, person))

    def refer(mapping: dict[str, Any], name: str | None, path: Path, what: str) -> None:
        if name is not None and name not in mapping:
            close = difflib.get_close_matches(name, list(mapping), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append((path, f"there is no {what} with the id '{name}'{hint}"))

    problems += _language_problems(meeting)
    if meeting.issued_by.value == "secretariat" and not meeting.secretariat:
        problems.append((("issued_by",), "the documents are issued by the secretariat, but "
                                         "secretariat names no participant"))
    refer(participants, meeting.chair, ("chair",), "participant")
    refer(participants, meeting.previous_chair, ("previous_chair",), "participant")
    refer(participants, meeting.host, ("host",), "participant")
    for index, name in enumerate(meeting.secretariat):
        refer(participants, name, ("secretariat", index), "participant")

    last_day = meeting.end_date or meeting.date
    if meeting.end_date and meeting.end_date < meeting.date:
        problems.append((("end_date",), f"the meeting ends ({meeting.end_date}) before it "
                                        f"starts ({meeting.date})"))
    item_ids: set[str] = set()
    for number, session in enumerate(meeting.agenda):
        where: Path = ("agenda", number)
        if session.date and not meeting.date <= session.date <= last_day:
            problems.append((where + ("date",), f"{session.date} is not a day of the meeting"))
        for index, item in enumerate(session.items):
            at = where + ("items", index)
            if item.id is not None:
                claim("agenda item", item.id, at + ("id",))
                item_ids.add(item.id)
            refer(persons, item.chair, at + ("chair",), "delegation member")
            refer(persons, item.moderator, at + ("moderator",), "delegation member")
            for place, speaker in enumerate(item.speakers):
                spot = at + ("speakers", place)
                if (speaker.person is None) == (not speaker.name):
                    problems.append((spot, "give either the id of a delegation member or a name"))
                refer(persons, speaker.person, spot, "delegation member")
    for index, event in enumerate(meeting.side_events):
        if event.date and not meeting.date <= event.date:
            problems.append((("side_events", index, "date"), f"{event.date} is before the meeting"))

    if meeting.outcome:
        seen: set[str] = set()
        for index, signatory in enumerate(meeting.outcome.signatories):
            at = ("outcome", "signatories", index)
            refer(participants, signatory.party, at + ("party",), "participant")
            if signatory.party in seen:
                problems.append((at + ("party",), f"'{signatory.party}' is listed twice"))
            seen.add(signatory.party)
            refer(persons, signatory.signer, at + ("signer",), "delegation member")
            if signatory.signer in persons and persons[signatory.signer][0].id != signatory.party:
                problems.append((at + ("signer",), f"'{signatory.signer}' is not in the delegation "
                                                   f"of '{signatory.party}'"))
        if meeting.outcome.adoption.value == "signed" and not any(
                p.kind.value == "state" for p in meeting.participants) and not meeting.outcome.signatories:
            problems.append((("outcome", "signatories"), "a signed document needs signatories"))
    if meeting.briefing:
        items = dict.fromkeys(item_ids)  # once, not once a brief
        for index, brief in enumerate(meeting.briefing.items):
            refer(items, brief.item,
                  ("briefing", "items", index, "item"), "agenda item")
        for index, note in enumerate(meeting.briefing.personality_notes):
            refer(persons, note.person, ("briefing", "personality_notes", index, "person"),
                  "delegation member")
        noted: set[str] = set()
        for index, note in enumerate(meeting.briefing.participant_notes):
            at = ("briefing", "participant_notes", index, "participant")
            refer(participants, note.participant, at, "participant")
            if note.participant in noted:
                problems.append((at, f"'{note.participant}' has a note already; give it one note"))
            noted.add(note.participant)
    if meeting.agenda_pack and meeting.agenda_pack.include_draft_outcome and not meeting.outcome:
        problems.append((("agenda_pack", "include_draft_outcome"),
                         "there is no 'outcome' section to include; add one or set this to false"))
    return problems
