"""Registration files: delegation members read from CSV and XLSX rows into a meeting, and back."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .meeting import REGISTRATION_FIELDS, Meeting, Person, Texts
from .problems import Problem
from .sheets import ErrorValue, SheetError, Table, Uncalculated, column_letter, read_table
from .source import FORBIDDEN

if TYPE_CHECKING:
    from .source import Source

HEADERS = {
    "delegation": ("Country", "Delegation", "Organization", "Organisation", "State",
                   "Participant", "Country / Organization", "Member State"),
    "id": ("Id", "Person id"),
    "honorific": ("Honorific", "Title", "Mr/Ms", "Mr-Ms", "Salutation", "Courtesy title"),
    "first_name": ("First name", "Given name", "Forename", "First names", "Given names"),
    "last_name": ("Last name", "Surname", "Family name"),
    "name": ("Name", "Full name"),
    "function": ("Function", "Position", "Job title", "Designation"),
    "head": ("Head of delegation", "Head", "HoD"),
    "email": ("E-mail", "Email", "E-mail address", "Email address"),
}
"""The headers recognised for each field without a column mapping, in any case and spacing."""

LOCALIZED = ("honorific", "first_name", "last_name", "name", "function")
"""The fields a column may give in one language: 'Name (ru)', 'Function (fr)'."""

_YES = {"yes", "y", "x", "true", "1", "head", "hod", "oui", "да", "✓", "✔"}
_NO = {"no", "n", "false", "0", "non", "нет", "-"}
_LANGUAGE_SUFFIX = re.compile(r"^(.*?)[\s_]*[(\[]\s*([A-Za-z]{2})\s*[)\]]$")
_HEADER_ROWS = 10
"""The rows at the top of a sheet searched for its header row (titles may stand above it)."""


def _normal(text: str) -> str:
    """Return a header or a name as compared: case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _folded(text: str) -> str:
    """Return a name without accents and case, for "did you mean"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _spaced(text: str) -> str:
    """Return text with runs of spaces (no-break ones and line breaks too) made one space and
    the ends trimmed."""
    return " ".join(text.split())


_KNOWN = {_normal(header): field for field, headers in HEADERS.items() for header in headers}


@dataclass(frozen=True)
class Column:
    """A column of a registration file that gives a field."""

    number: int
    """The column's number from 1 (A)."""
    field: str
    """One of REGISTRATION_FIELDS."""
    language: str | None
    """The language of its texts, or None for every language."""
    header: str
    """The header as written."""


@dataclass(frozen=True)
class Registrant:
    """A row of a registration file as a delegation member."""

    participant: str
    """The id of the participant whose delegation the person joins."""
    person: Person
    """The person."""
    row: int
    """The row's number in the file, from 1."""


class _Reader:
    """Collects the problems of one registration file, each at its cell."""

    def __init__(self, name: str, table: Table):
        self.name = name
        self.table = table
        self.problems: list[tuple[int, int, Problem]] = []

    def add(self, row: int | None, column: int | None, field: str, message: str) -> None:
        """Note a problem at the cell (row and column), the row (column None: column A) or the
        whole sheet (both None)."""
        letter = column_letter(column) if column else (None if row is None else "A")
        problem = Problem(self.name, row, letter, (field,) if field else (), message,
                          self.table.sheet)
        self.problems.append((row or 0, column or 0, problem))


def _header_columns(reader: _Reader, mapping: dict[str, str], languages: list[str],
                    ) -> tuple[int, list[Column]] | None:
    """Return the header row's number and the columns it names; None (after noting the
    problem) if no row at the top names a delegation and a name."""
    wanted = {}
    for key, header in mapping.items():
        field, language = _split_language(key)
        wanted[_normal(header)] = (field, language)
    for number, values in reader.table.rows[:_HEADER_ROWS]:
        columns, seen = [], {}
        for index, value in enumerate(values, 1):
            if not isinstance(value, str) or not value.strip():
                continue
            header = _spaced(value)
            found = wanted.get(_normal(header))
            if found is None:
                base, language = _split_language(header)
                field = _KNOWN.get(_normal(base))
                if field is not None and field not in LOCALIZED:
                    language = None
                if (field, language) in wanted.values():
                    field = None  # the mapping names another column for this field
                found = (field, language) if field else None
            if found is None:
                continue
            field, language = found
            if language is not None and field not in LOCALIZED:
                language = None
            if language is not None and language not in languages:
                continue  # a language the meeting does not use
            if (field, language) in seen and field != "delegation":  # Country, Organization
                reader.add(number, index, header, f"a second column for {_describe(field, language)} "
                                                  f"(the first is column {column_letter(seen[field, language])}); "
                                                  "rename or remove one")
                continue
            seen[field, language] = index
            columns.append(Column(index, field, language, header))
        fields = {column.field for column in columns}
        if "delegation" in fields and fields & {"name", "last_name"}:
            return number, columns
    reader.add(None, None, "", "no header row names the columns: the first rows should hold "
                               "headers such as Country, Name (or First name and Last name), "
                               "Function, Head of delegation; or name them in the meeting "
                               "file's 'columns'")
    return None


def _split_language(header: str) -> tuple[str, str | None]:
    """Return ("Name", "ru") for "Name (ru)", and (header, None) for a header without one."""
    match = _LANGUAGE_SUFFIX.match(header.strip())
    if match:
        return match.group(1).strip(), match.group(2).lower()
    return header.strip(), None


def _describe(field: str, language: str | None) -> str:
    """Return a field's name in messages: "the name (ru)"."""
    return f"the {field.replace('_', ' ')}" + (f" ({language})" if language else "")


def _text(reader: _Reader, row: int, column: Column, value) -> str:
    """Return a cell's value as text, noting a problem for a value that is not text."""
    if value is None:
        return ""
    if isinstance(value, Uncalculated):
        reader.add(row, column.number, column.header,
                   f"holds a formula ({value}) whose value the file does not keep; open the "
                   "file in Excel and save it again, or type the value")
        return ""
    if isinstance(value, ErrorValue):
        reader.add(row, column.number, column.header,
                   f"holds the error {value}; correct the formula or type the value")
        return ""
    if isinstance(value, bool):
        reader.add(row, column.number, column.header,
                   f"holds the truth value {str(value).upper()}, not a text")
        return ""
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        shown = value.date().isoformat() if isinstance(value, dt.datetime) and \
            value.time() == dt.time(0) else str(value)
        reader.add(row, column.number, column.header,
                   f"holds a date or time ({shown}), which Excel makes of what was typed; format "
                   "the column as Text and type the value again")
        return ""
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    text = _spaced(str(value))
    bad = FORBIDDEN.search(text)
    if bad:
        reader.add(row, column.number, column.header,
                   f"contains a control character (U+{ord(bad.group()):04X}); remove it")
        return ""
    from .fonts import unprintable

    missing = unprintable(text)
    if missing:
        shown = ", ".join(f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"
                          for char in missing[:5])
        reader.add(row, column.number, column.header,
                   f"contains characters the document font cannot print: {shown}")
        return ""
    return text


def _head(reader: _Reader, row: int, column: Column, value) -> bool:
    """Return whether a head-of-delegation cell says yes."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _spaced(str(value)).casefold() if isinstance(value, str) else None
    if text is None or text not in _YES | _NO | {""}:
        reader.add(row, column.number, column.header,
                   f"write 'yes' for the head of delegation and leave it empty otherwise "
                   f"(got {value!r})")
        return False
    return text in _YES


class _Delegations:
    """The meeting's participants by every name a row may give: id, short or formal name in any
    language."""

    def __init__(self, meeting: Meeting):
        self.by_name: dict[str, str] = {}
        self.shown: dict[str, str] = {}
        for participant in meeting.participants:
            names = [participant.id]
            for field in (participant.short_name, participant.formal_name):
                names += list(field.values()) if isinstance(field, Texts) else [field]
            for name in names:
                for key in (_normal(name), _normal(re.sub(r"^the\s+", "", name, flags=re.I))):
                    self.by_name.setdefault(key, participant.id)
                    self.shown.setdefault(key, name)

    def find(self, text: str) -> str | None:
        """Return the id of the participant the text names, or None."""
        return self.by_name.get(_normal(text))

    def suggestion(self, text: str) -> str | None:
        """Return the name closest to the text, if one is close."""
        folded = _folded(text)
        for key, name in self.shown.items():
            if _folded(name) == folded or _normal(_folded(name)) == _normal(folded):
                return name
        close = difflib.get_close_matches(_normal(folded), [_normal(_folded(name)) for name in
                                                            self.shown.values()], n=1, cutoff=0.75)
        if not close:
            return None
        return next(name for name in self.shown.values() if _normal(_folded(name)) == close[0])


def _localized(values: dict[str | None, str], languages: list[str], given: set[str | None]
               ) -> str | Texts:
    """Return a field's text: plain when no column gives it per language or every language
    has the same text, else per language."""
    if given <= {None}:
        return values.get(None, "")
    texts = Texts({language: values.get(language) or values.get(None, "") for language in languages})
    texts = Texts({language: text for language, text in texts.items() if text})
    if not texts:
        return ""
    if len(set(texts.values())) == 1 and len(texts) == len(languages):
        return next(iter(texts.values()))
    return texts


def _uncovered_languages(reader: _Reader, header_row: int, columns: list[Column],
                         languages: list[str]) -> bool:
    """Return whether a text is given in some of the meeting's languages only (a column
    'Function (fr)' and neither 'Function' nor 'Function (en)' in an English and French
    meeting), after noting a problem at its first column."""
    groups = {"name": ("name", "first_name", "last_name"), "function": ("function",),
              "honorific": ("honorific",)}
    found = False
    for what, fields in groups.items():
        given = [column for column in columns if column.field in fields]
        covered = {column.language for column in given}
        if not given or None in covered:
            continue
        missing = [language for language in languages if language not in covered]
        if missing:
            first = given[0]
            header = _split_language(first.header)[0]
            reader.add(header_row, first.number, first.header,
                       f"the {what.replace('_', ' ')} is given in {', '.join(sorted(covered))} "
                       f"only; add a column '{header} ({missing[0]})' for each other language "
                       f"of the meeting, or a column '{header}' for every language")
            found = True
    return found


def _full_names(texts: dict[str, dict[str | None, str]], languages: list[str]
                ) -> dict[str | None, str]:
    """Return the row's name by language (None: every language): the Name column's, else the
    first and last names joined."""
    names = {}
    for language in [None, *languages]:
        full = texts.get("name", {}).get(language, "")
        if not full:
            full = " ".join(part for part in (texts.get("first_name", {}).get(language, ""),
                                              texts.get("last_name", {}).get(language, ""))
                            if part)
        if full:
            names[language] = full
    return names


def read_registrants(table: Table, name: str, mapping: dict[str, str], meeting: Meeting
                     ) -> tuple[list[Registrant], list[Problem]]:
    """Return the delegation members a registration table gives and a problem for each cell
    that cannot be read, in reading order."""
    reader = _Reader(name, table)
    found = _header_columns(reader, mapping, meeting.languages)
    if found is None:
        return [], [problem for *_, problem in reader.problems]
    header_row, columns = found
    if _uncovered_languages(reader, header_row, columns, meeting.languages):
        reader.problems.sort(key=lambda item: (item[0], item[1]))
        return [], [problem for *_, problem in reader.problems]
    delegations = _Delegations(meeting)
    by_field: dict[str, list[Column]] = {}
    for column in columns:
        by_field.setdefault(column.field, []).append(column)
    registrants = []
    for row, values in table.rows:
        if row <= header_row:
            continue
        cells = {column: values[column.number - 1] if column.number <= len(values) else None
                 for column in columns}
        if all(value is None for value in cells.values()):
            continue
        before = len(reader.problems)
        texts: dict[str, dict[str | None, str]] = {}
        head = False
        delegation, delegation_column = "", by_field["delegation"][0]
        for column, value in cells.items():
            if column.field == "head":
                head = value is not None and _head(reader, row, column, value)
            elif column.field == "delegation":  # the first of Country, Organization... given
                if value is not None and not delegation:
                    delegation, delegation_column = _text(reader, row, column, value), column
            else:
                texts.setdefault(column.field, {})[column.language] = _text(reader, row, column, value)
        person_data = any(text for given in texts.values() for text in given.values()) or head
        if not person_data:
            continue  # a delegation listed with nobody yet, as the participants form lists it
        participant = None
        if not delegation:
            if len(reader.problems) == before:
                reader.add(row, delegation_column.number, delegation_column.header,
                           "no delegation: give the country or organization the person belongs to")
        else:
            participant = delegations.find(delegation)
            if participant is None:
                close = delegations.suggestion(delegation)
                hint = (f"; did you mean '{close}'?" if close else
                        "; add it to the meeting file's participants, or write its id or name "
                        "as the meeting file gives it")
                reader.add(row, delegation_column.number, delegation_column.header,
                           f"no participant is named '{delegation}'{hint}")
        names = _full_names(texts, meeting.languages)
        given_languages = {column.language for column in columns
                           if column.field in ("name", "first_name", "last_name")}
        name_column = (by_field.get("name") or by_field.get("last_name"))[0]
        if not names:
            if len(reader.problems) == before:
                reader.add(row, name_column.number, name_column.header,
                           "no name: give the person's name, or delete the row")
            continue
        missing = [language for language in meeting.languages
                   if language not in names and None not in names]
        if missing:
            column = next((column for column in columns if column.field in ("name", "last_name")
                           and column.language == missing[0]), name_column)
            reader.add(row, column.number, column.header,
                       f"no name in {', '.join(missing)}: fill the cell, or give a Name column "
                       "for every language")
            continue
        for field in ("function", "honorific"):
            given = texts.get(field, {})
            empty = [column for column in by_field.get(field, [])
                     if column.language is not None and not given.get(column.language)]
            if empty and not given.get(None) and any(given.values()):
                reader.add(row, empty[0].number, empty[0].header,
                           f"no {field} in {empty[0].language}, though the row gives it in "
                           "another language: fill the cell")
        if len(reader.problems) != before:
            continue
        data = {"name": _localized(names, meeting.languages, given_languages),
                "title": _localized(texts.get("function", {}), meeting.languages,
                                    {c.language for c in by_field.get("function", [])}),
                "honorific": _localized(texts.get("honorific", {}), meeting.languages,
                                        {c.language for c in by_field.get("honorific", [])}),
                "head": head}
        if texts.get("id", {}).get(None):
            data["id"] = texts["id"][None]
        if texts.get("email", {}).get(None):
            data["email"] = texts["email"][None]
        try:
            person = Person.model_validate(data)
        except ValidationError as error:
            for item in error.errors(include_url=False):
                field = {"title": "function"}.get(str(item["loc"][0]), str(item["loc"][0]))
                column = by_field.get(field, [name_column])[0]
                message = str(item["ctx"]["error"]) if item["type"] == "value_error" else item["msg"]
                reader.add(row, column.number, column.header, message)
            continue
        if participant is not None and len(reader.problems) == before:
            registrants.append(Registrant(participant, person, row))
    reader.problems.sort(key=lambda item: (item[0], item[1]))
    return registrants, [problem for *_, problem in reader.problems]


def _name_keys(person: Person) -> set[str]:
    """Return the person's name in every language, as compared for duplicates."""
    values = person.name.values() if isinstance(person.name, Texts) else [person.name]
    return {_normal(value) for value in values}


def _shown(person: Person) -> str:
    """Return one form of the person's name for messages."""
    return person.name if isinstance(person.name, str) else next(iter(person.name.values()))


def registration_files(meeting: Meeting, source: Source) -> list[FilePath]:
    """Return the absolute path of each registration file the meeting names, in order."""
    folder = FilePath(os.path.abspath(source.name)).parent
    return [FilePath(os.path.abspath(folder / os.path.expanduser(registration.file)))
            for registration in meeting.registrations]


def merge_registrations(meeting: Meeting, source: Source) -> tuple[Meeting, list[Problem]]:
    """Return the meeting with the members its registration files give added to their
    delegations (after those the meeting file gives), and a problem for each file, sheet, row
    or cell that cannot be read, and for each person given twice."""
    if not meeting.registrations:
        return meeting, []
    problems: list[Problem] = []
    taken: dict[tuple[str, str], str] = {}
    ids: dict[str, str] = {}
    emails: dict[str, str] = {}
    for index, participant in enumerate(meeting.participants):
        for number, person in enumerate(participant.delegation):
            at = source.problem(("participants", index, "delegation", number), "")
            where = f"{at.file}:{at.line}" if at.line else at.file
            for key in _name_keys(person):
                taken.setdefault((participant.id, key), where)
            if person.id:
                ids.setdefault(person.id, where)
            if person.email:
                emails.setdefault(person.email.casefold(), where)
    folder = os.path.dirname(source.name)
    added: dict[str, list[Person]] = {}
    for index, (registration, path) in enumerate(zip(meeting.registrations,
                                                     registration_files(meeting, source))):
        name = os.path.join(folder, registration.file) if not os.path.isabs(registration.file) \
            else registration.file
        mapping_problems = _mapping_problems(registration.columns)
        if mapping_problems:
            problems += [source.problem(("registrations", index, "columns", key), message,
                                        at_key=True) for key, message in mapping_problems]
            continue
        try:
            table = read_table(path, registration.sheet)
        except SheetError as error:
            problems.append(source.problem(("registrations", index, error.field),
                                           f"'{registration.file}' {error}"))
            continue
        registrants, found = read_registrants(table, name, dict(registration.columns), meeting)
        for registrant in registrants:
            person = registrant.person
            here = f"{name}:{table.sheet + ':' if table.sheet else ''}{registrant.row}"
            clash = next((taken[registrant.participant, key] for key in _name_keys(person)
                          if (registrant.participant, key) in taken), None)
            message = None
            if clash:
                message = (f"{_shown(person)} is given twice in the delegation of "
                           f"{registrant.participant}: also at {clash}; give each delegate once")
            elif person.id and person.id in ids:
                message = f"the id '{person.id}' is already used at {ids[person.id]}"
            elif person.email and person.email.casefold() in emails:
                message = (f"the e-mail address {person.email} is already given at "
                           f"{emails[person.email.casefold()]}; is it the same person twice?")
            if message:
                found.append(Problem(name, registrant.row, "A", (), message, table.sheet))
                continue
            for key in _name_keys(person):
                taken[registrant.participant, key] = here
            if person.id:
                ids[person.id] = here
            if person.email:
                emails[person.email.casefold()] = here
            added.setdefault(registrant.participant, []).append(person)
        problems += sorted(found, key=_cell_order)
    if not added:
        return meeting, problems
    participants = [participant.model_copy(update={"delegation": [*participant.delegation,
                                                                  *added[participant.id]]})
                    if participant.id in added else participant
                    for participant in meeting.participants]
    return meeting.model_copy(update={"participants": participants}), problems


def _cell_order(problem: Problem) -> tuple[int, int, str]:
    """Return a problem's place in reading order: row, then column (B before AA)."""
    column = problem.column if isinstance(problem.column, str) else ""
    return (problem.line or 0, len(column), column)


def _mapping_problems(columns: dict[str, str]) -> list[tuple[str, str]]:
    """Return (key, message) for each key of a column mapping that names no field."""
    problems = []
    for key in columns:
        field, language = _split_language(key)
        if field not in REGISTRATION_FIELDS:
            close = difflib.get_close_matches(field, REGISTRATION_FIELDS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(REGISTRATION_FIELDS)}"
            problems.append((key, f"'{field}' is not a field of a registration; {hint}"))
        elif language is not None and field not in LOCALIZED:
            problems.append((key, f"'{field}' is the same in every language; write it without "
                                  f"'({language})'"))
    return problems


# --- the participants spreadsheet --------------------------------------------------------------

def participant_rows(meeting: Meeting, language: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the participants spreadsheet: a row per delegation member
    in the order of the list of participants in the language (the meeting's first if None),
    and a row with only the delegation for a delegation with nobody yet. Read back as a
    registration file it gives the same members."""
    from .context import MeetingView
    from .localize import Gaps, localize

    language = language or meeting.languages[0]
    languages = meeting.languages
    suffixes = [f" ({code})" for code in languages] if len(languages) > 1 else [""]
    header = ["Delegation", "Id"]
    for field in ("Honorific", "Name", "Function"):
        header += [field + suffix for suffix in suffixes]
    header += ["Head of delegation", "E-mail"]
    view = MeetingView(localize(meeting, Gaps(language)), language)
    originals = {participant.id: participant for participant in meeting.participants}
    rows = []
    for line in view.delegations:
        participant = originals[line.participant.id]
        members = sorted(participant.delegation, key=lambda member: not member.head)
        shown = line.participant.short_name
        if not members:
            rows.append([shown] + [""] * (len(header) - 1))
        for person in members:
            row = [shown, person.id or ""]
            for value in (person.honorific, person.name, person.title):
                row += [value.get(code, "") if isinstance(value, Texts) else value
                        for code in languages]
            row += ["yes" if person.head else "", person.email or ""]
            rows.append(row)
    return header, rows
