"""Loading a meeting file: YAML, then types, then the references between its parts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from .annexes import resolve_annexes
from .document import HouseStyle
from .meeting import Meeting, Outcome, Participant, Person, known_language
from .problems import InputError, Path, Problem
from .registrations import merge_registrations
from .source import Source, read_source


@dataclass(frozen=True)
class LoadedMeeting:
    """A valid meeting and the file it came from."""

    meeting: Meeting
    """The validated meeting."""
    source: Source
    """The file's data, positions and bytes."""
    house: HouseStyle = HouseStyle()
    """The house style its documents are printed in: the built-in one without a style file."""
    style_paper: str | None = None
    """The paper the house style asks for ("A4" or "Letter"), or None."""
    issuers: dict[str, tuple[str, ...]] | None = None
    """The letterhead's lines by language, when the style gives the issuer per language."""
    style_engine: str | None = None
    """The PDF engine the house style asks for ("reportlab" or "typst"), or None."""

    def house_in(self, language: str) -> HouseStyle:
        """Return the house style with the letterhead in the language."""
        if not self.issuers:
            return self.house
        from dataclasses import replace

        return replace(self.house, issuer=self.issuers.get(language, next(iter(
            self.issuers.values()))))

    @property
    def paper(self) -> str:
        """Return the paper: the meeting file's own, else its house style's, else A4."""
        if "paper" in self.meeting.model_fields_set or self.style_paper is None:
            return self.meeting.paper.value
        return self.style_paper


def load_meeting(name: str, style: str | None = None,
                 reference_docx: str | None = None) -> LoadedMeeting:
    """Return the meeting in the file, in the house style of the style file (else the one the
    meeting names) and with the reference Word file, if given; raise InputError listing every
    problem found."""
    from .housestyle import house_of, reference_of

    source = read_source(name)
    meeting = validate_meeting(source)
    try:
        loaded_style = house_of(name, meeting.house_style, style)
    except InputError as error:
        if style or not meeting.house_style:
            raise
        raise InputError([source.problem(("house_style",), "the house style file has "
                                                           "problems, listed below"),
                          *error.problems]) from None
    house = loaded_style.house if loaded_style else HouseStyle()
    if reference_docx:
        from dataclasses import replace

        house = replace(house, reference_docx=reference_of(reference_docx))
    return LoadedMeeting(meeting, source, house, loaded_style.paper if loaded_style else None,
                         loaded_style.issuers if loaded_style else None,
                         loaded_style.pdf_engine if loaded_style else None)


def validate_meeting(source: Source) -> Meeting:
    """Return the meeting built from the source's data; raise InputError listing every problem."""
    problems, elsewhere = list(source.problems), []
    try:
        meeting = Meeting.model_validate(source.data)
    except ValidationError as error:
        problems += _type_problems(error, source)
    else:
        meeting, registered = merge_registrations(meeting, source)  # see registrations.py
        problems += [problem for problem in registered if problem.file == source.name]
        elsewhere = [problem for problem in registered if problem.file != source.name]
        problems += [source.problem(path, message) for path, message in check_references(meeting)]
        meeting, annex_problems = resolve_annexes(meeting, source)  # annex files: see annexes.py
        problems += annex_problems
    if problems or elsewhere:
        raise InputError(sorted(problems, key=_reading_order) + elsewhere)
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
            close = suggestion(str(path[-1]), known)
            message += f"; did you mean '{close}'?" if close else (
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


_SAME_MEANING = {
    "chairs": "co_chairs", "cochairs": "co_chairs", "co_chair": "co_chairs",
    "cochair": "co_chairs", "chairmen": "co_chairs", "chairpersons": "co_chairs",
    "organizers": "co_organizers", "organisers": "co_organizers",
    "co_organisers": "co_organizers", "coorganizers": "co_organizers",
    "next_chair": "incoming_chair", "future_chair": "incoming_chair",
    "outgoing_chair": "previous_chair", "former_chair": "previous_chair",
    "chaired_by": "chair", "presided_by": "presiding", "president": "presiding",
    "reservations": "statements", "declarations": "statements",
    "did_not_join": "not_joined", "dissociated": "not_joined", "endorsed_by": "joined",
    "adopted_by": "joined", "copies": "originals", "number_of_originals": "originals",
    "depository": "depositary", "enumerations": "enumeration", "subparagraphs": "paragraphs",
    "sub_paragraphs": "paragraphs", "headings": "sections", "attendance": "participation",
}
"""Keys users write for a field of the same meaning under another name."""


def suggestion(key: str, known: list[str]) -> str | None:
    """Return the allowed key the user most likely meant, or None.

    A key is suggested only when it means the same: a known other name for it, or the same
    words with a slip of spelling in them ("co_organisers", "moderater"). A key that differs by
    a whole word ("start_date" for "end_date") or by number ("chairs" for "chair") is never
    suggested, since it says something else.
    """
    normal = key.strip().lower().replace("-", "_").replace(" ", "_")
    if normal in known:
        return normal
    if _SAME_MEANING.get(normal) in known:
        return _SAME_MEANING[normal]
    for candidate in difflib.get_close_matches(normal, known, n=3, cutoff=0.6):
        if _same_words(normal, candidate):
            return candidate
    return None


def _same_words(typed: str, candidate: str) -> bool:
    """Return whether typed is candidate with a slip in the spelling of its words, keeping
    every word and its number (a final "s" added or dropped changes the meaning)."""
    words, targets = typed.split("_"), candidate.split("_")
    if len(words) != len(targets) and typed.replace("_", "") != candidate.replace("_", ""):
        return False
    if len(words) != len(targets):
        return True  # only the underscores differ: "enddate", "end_date"
    for word, target in zip(words, targets):
        if word == target:
            continue
        if word.endswith("s") != target.endswith("s") and (word.rstrip("s") == target.rstrip("s")):
            return False
        if _slips(word, target) > max(1, len(target) // 4):
            return False
    return True


def _slips(word: str, target: str) -> int:
    """Return how many letters were typed wrong, left out, added or swapped (the optimal
    string alignment distance)."""
    row2: list[int] = []
    row1 = list(range(len(target) + 1))
    for i, letter in enumerate(word, start=1):
        row = [i] + [0] * len(target)
        for j, other in enumerate(target, start=1):
            row[j] = min(row1[j] + 1, row[j - 1] + 1, row1[j - 1] + (letter != other))
            if i > 1 and j > 1 and letter == target[j - 2] and word[i - 2] == other:
                row[j] = min(row[j], row2[j - 2] + 1)
        row2, row1 = row1, row
    return row1[-1]


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
    subsets = [(path + ("done_at", "languages"), outcome.done_at.languages)
               for path, _, outcome in outcome_paths(meeting)]
    subsets.append((("briefing", "languages"), meeting.briefing.languages if meeting.briefing else []))
    for path, codes in subsets:
        for index, code in enumerate(codes):
            if code not in meeting.languages:
                problems.append((path + (index,), f"'{code}' is not one of the meeting's languages "
                                                  f"({', '.join(meeting.languages)})"))
            elif code in codes[:index]:
                problems.append((path + (index,), f"'{code}' is listed twice"))
    return problems


def outcome_paths(meeting: Meeting) -> list[tuple[Path, str, Outcome]]:
    """Return (path in the input, document name, outcome) for each outcome document."""
    if meeting.outcome is not None:
        return [(("outcome",), "protocol", meeting.outcome)]
    return [(("outcomes", index), name, outcome)
            for index, (name, outcome) in enumerate(meeting.outcome_documents())]


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
    if meeting.chair is None and not meeting.co_chairs:
        problems.append((("chair",), "give the participant that chairs (chair: AZE), or those "
                                     "that chair together (co_chairs: [TUR, HUN])"))
    if meeting.chair is not None and meeting.co_chairs:
        problems.append((("co_chairs",), "give either chair (one participant) or co_chairs "
                                         "(several), not both"))
    refer(participants, meeting.chair, ("chair",), "participant")
    for index, name in enumerate(meeting.co_chairs):
        refer(participants, name, ("co_chairs", index), "participant")
    refer(participants, meeting.previous_chair, ("previous_chair",), "participant")
    refer(participants, meeting.incoming_chair, ("incoming_chair",), "participant")
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
        refer(persons, session.presiding, where + ("presiding",), "delegation member")
        for index, item in enumerate(session.items):
            at = where + ("items", index)
            if item.id is not None:
                claim("agenda item", item.id, at + ("id",))
                item_ids.add(item.id)
            for one, several in (("chair", "chairs"), ("moderator", "moderators")):
                refer(persons, getattr(item, one), at + (one,), "delegation member")
                for place, name in enumerate(getattr(item, several)):
                    refer(persons, name, at + (several, place), "delegation member")
                if getattr(item, one) is not None and getattr(item, several):
                    problems.append((at + (several,), f"give either {one} (one person) or "
                                                      f"{several} (several), not both"))
            for place, speaker in enumerate(item.speakers):
                spot = at + ("speakers", place)
                if (speaker.person is None) == (not speaker.name):
                    problems.append((spot, "give either the id of a delegation member or a name"))
                refer(persons, speaker.person, spot, "delegation member")
    for index, event in enumerate(meeting.side_events):
        if event.date and not meeting.date <= event.date:
            problems.append((("side_events", index, "date"), f"{event.date} is before the meeting"))

    problems += _outcome_problems(meeting, participants, persons)
    if meeting.participation is not None:
        problems += _participation_problems(meeting)
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
    if (meeting.agenda_pack and meeting.agenda_pack.include_draft_outcome
            and not meeting.outcome_documents()):
        problems.append((("agenda_pack", "include_draft_outcome"),
                         "there is no 'outcome' section to include; add one or set this to false"))
    return problems


def _outcome_problems(meeting: Meeting, participants: dict[str, Participant],
                      persons: dict[str, tuple[Participant, Person]]) -> list[tuple[Path, str]]:
    """Return (path, message) for every broken rule of the outcome documents."""
    from .templating import DOCUMENTS

    problems: list[tuple[Path, str]] = []

    def refer(mapping, name, path, what):
        if name is not None and name not in mapping:
            close = difflib.get_close_matches(name, list(mapping), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append((path, f"there is no {what} with the id '{name}'{hint}"))

    if meeting.outcome is not None and meeting.outcomes:
        problems.append((("outcomes",), "give either outcome (one document) or outcomes "
                                        "(several), not both"))
    names: set[str] = set()
    for index, outcome in enumerate(meeting.outcomes):
        at = ("outcomes", index)
        if outcome.id is None:
            problems.append((at, "give each of several outcomes an id, such as 'declaration': "
                                 "it names the document's files and picks it in --only"))
        elif outcome.id in DOCUMENTS:
            problems.append((at + ("id",), f"'{outcome.id}' is the name of another document; "
                                           "choose another id, such as 'declaration'"))
        elif outcome.id in names:
            problems.append((at + ("id",), f"the id '{outcome.id}' is already used by another "
                                           "outcome"))
        names.add(outcome.id or "")
    several_days = meeting.end_date is not None and meeting.end_date != meeting.date
    last_day = meeting.end_date or meeting.date
    for path, _, outcome in outcome_paths(meeting):
        seen: set[str] = set()
        for index, signatory in enumerate(outcome.signatories):
            at = path + ("signatories", index)
            refer(participants, signatory.party, at + ("party",), "participant")
            if signatory.party in seen:
                problems.append((at + ("party",), f"'{signatory.party}' is listed twice"))
            seen.add(signatory.party)
            refer(persons, signatory.signer, at + ("signer",), "delegation member")
            if signatory.signer in persons and persons[signatory.signer][0].id != signatory.party:
                problems.append((at + ("signer",), f"'{signatory.signer}' is not in the delegation "
                                                   f"of '{signatory.party}'"))
        adoption = outcome.adoption.value
        if outcome.status.value == "signed" and adoption != "signed":
            problems.append((path + ("status",), (
                f"a text that is {'the chair’s own' if adoption == 'chair' else adoption} is not "
                "signed; write status: final (or set adoption: signed)")))
        if adoption == "signed" and not any(
                p.kind.value == "state" for p in meeting.participants) and not outcome.signatories:
            problems.append((path + ("signatories",), "a signed document needs signatories"))
        for field in ("joined", "not_joined"):
            listed: set[str] = set()
            for index, name in enumerate(getattr(outcome, field)):
                refer(participants, name, path + (field, index), "participant")
                if name in listed:
                    problems.append((path + (field, index), f"'{name}' is listed twice"))
                listed.add(name)
        for index, name in enumerate(outcome.not_joined):
            if name in outcome.joined:
                problems.append((path + ("not_joined", index), f"'{name}' is also in joined; a "
                                                               "participant joins or does not"))
        for index, statement in enumerate(outcome.statements):
            refer(participants, statement.party, path + ("statements", index, "party"),
                  "participant")
        if adoption == "chair":
            for field in ("joined", "not_joined", "signatories"):
                if getattr(outcome, field):
                    problems.append((path + (field,), "a chair's summary is issued under the "
                                                      "chair's responsibility and nobody adopts "
                                                      "or signs it; leave this out or set "
                                                      "adoption to adopted, endorsed or signed"))
            continue
        done = outcome.done_at
        if done.date is not None and not meeting.date <= done.date <= last_day:
            problems.append((path + ("done_at", "date"),
                             f"{done.date} is not a day of the meeting"))
        if outcome.status.value == "draft":
            continue
        if several_days and done.date is None:
            problems.append((path + ("done_at",), (
                f"a {outcome.status.value} text of a meeting of several days needs the date it "
                f"was {'signed' if adoption == 'signed' else adoption}: add date: YYYY-MM-DD "
                "(a draft prints [date])")))
        if adoption == "signed" and done.originals is None:
            problems.append((path + ("done_at",), (
                f"a {outcome.status.value} text to be signed needs the number of originals: add "
                "originals: 2 (a draft prints 'in [...] originals')")))
    return problems


def _participation_problems(meeting: Meeting) -> list[tuple[Path, str]]:
    """Return (path, message) where the counts of participation contradict the list."""
    problems: list[tuple[Path, str]] = []
    given = meeting.participation
    kinds = {"states": ("state",), "organizations": ("organization", "observer")}
    for field, names in kinds.items():
        count = getattr(given, field)
        listed = sum(1 for p in meeting.participants if p.kind.value in names)
        if count is not None and count < listed:
            problems.append((("participation", field), (
                f"{count} is fewer than the {listed} {field} the list of participants names")))
        if count is not None and given.complete and count != listed:
            problems.append((("participation", field), (
                f"the list names {listed} {field}, not {count}; if it names only some, add "
                "complete: false")))
    return problems


def meeting_warnings(meeting: Meeting) -> list[tuple[Path, str]]:
    """Return (path, message) for what the input may leave out but the user should know."""
    return [(("participants", index), (
        f"warning: no formal_name for '{participant.id}'; the short name prints in legal text "
        "and signature blocks"))
        for index, participant in enumerate(meeting.participants)
        if participant.formal_name is None]
