"""What templates see of a meeting: the validated data plus lookups and orders derived from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from .collation import collate
from .dates import format_day, format_span, format_time
from .localize import Gaps
from .markup import plain
from .meeting import Item, Meeting, Outcome, Participant, ParticipantKind, Person, SigningOrder


@dataclass(frozen=True)
class SpeakerLine:
    """A speaker as printed in a programme."""

    name: str
    """The person's name."""
    title: str
    """The person's function; may be empty."""
    delegation: str
    """The short name of the person's delegation or affiliation; may be empty."""
    footnote: str = ""
    """The footnote the delegation's name carries; may be empty."""
    titled: bool = False
    """The title already names the delegation ("Representative of Türkiye"): printed after
    the title, the delegation is left out."""


@dataclass(frozen=True)
class SignatoryLine:
    """One signature block's content, in signing order."""

    participant: Participant
    """The signing participant."""
    person: Person | None
    """Who signs, if known."""


@dataclass(frozen=True)
class DelegationLine:
    """A delegation in the list of participants."""

    participant: Participant
    """The participant."""
    members: tuple[Person, ...]
    """Its members, head of delegation first."""


@dataclass(frozen=True)
class TimeZoneLine:
    """A time zone as the logistics note prints it: "Baku time (UTC+04:00)"."""

    city: str
    """The zone's city in the view's language, such as "Баку"; empty for UTC and Etc/ zones."""
    offset: str
    """The offset from UTC on the meeting's first day, such as "+04:00"."""


PACK_PARTS = ("programme", "annotated-agenda", "participants", "logistics", "concept-note",
              "draft-outcome")
"""The parts of the agenda pack, in order; each but the draft outcome can be built alone as the
document of that name (the programme as "agenda")."""


def pack_parts(meeting: Meeting) -> list[str]:
    """Return the parts of the agenda pack that the meeting has the data for, in order."""
    pack = meeting.agenda_pack
    present = {
        "programme": True,
        "annotated-agenda": any(item.annotated for session in meeting.agenda
                                for item in session.items),
        "participants": True,
        "logistics": pack is not None and pack.logistics is not None,
        "concept-note": pack is not None and bool(pack.concept_note),
        "draft-outcome": (pack is not None and pack.include_draft_outcome
                          and bool(meeting.outcome_documents())),
    }
    return [part for part in PACK_PARTS if present[part]]


class MeetingView:
    """The meeting in one language, with the lookups, orders and printed dates templates need.

    meeting is the meeting resolved to the language (see localize). A view given a leader puts
    its lists in the leader's order instead of collating them in its own language.
    """

    def __init__(self, meeting: Meeting, language: str = "en", gaps: Gaps | None = None,
                 leader: MeetingView | None = None, document: str = ""):
        self.meeting = meeting
        self.document = document
        self.language = language
        self.gaps = gaps or Gaps(language)
        self.leader = leader
        self.participants = {p.id: p for p in meeting.participants}
        self.persons = {person.id: (p, person) for p in meeting.participants
                        for person in p.delegation if person.id}

    @property
    def dates(self) -> str:
        """Return the meeting's day or span of days in words."""
        return format_span(self.meeting.date, self.meeting.end_date, self.language,
                           self.meeting.style.russian_year.value)

    def time(self, value: str) -> str:
        """Return a time or span as the language writes it, or as typed if the meeting asks."""
        if self.meeting.typography == "as typed":
            return value
        return format_time(value, self.language)

    def day(self, value) -> str:
        """Return a date in words, or the meeting's first day when value is None."""
        return format_day(value or self.meeting.date, self.language,
                          self.meeting.style.russian_year.value)

    def _collate(self, items, name):
        """Return the items collated by name(item) in the view's language."""
        return collate(items, lambda item: plain(self.gaps.note_sorting(name(item))), self.language)

    @staticmethod
    def _follow(items, leader_items, ident):
        """Return the items in the order of the leader's items with the same ident."""
        rank = {ident(item): place for place, item in enumerate(leader_items)}
        return sorted(items, key=lambda item: rank[ident(item)])

    def participant(self, ident: str) -> Participant:
        """Return the participant with that id."""
        return self.participants[ident]

    def person(self, ident: str) -> SpeakerLine:
        """Return the delegation member with that id, as printed (see SpeakerLine.titled)."""
        participant, person = self.persons[ident]
        names = [participant.short_name, participant.formal, participant.id]
        return SpeakerLine(person.name, person.title, participant.short_name, participant.footnote,
                           names_affiliation(person.title, names))

    def item_chairs(self, item: Item) -> list[SpeakerLine]:
        """Return the persons chairing the item, as printed."""
        return [self.person(ident) for ident in ([item.chair] if item.chair else item.chairs)]

    def item_moderators(self, item: Item) -> list[SpeakerLine]:
        """Return the persons moderating the item, as printed."""
        return [self.person(ident) for ident in
                ([item.moderator] if item.moderator else item.moderators)]

    def speakers(self, item: Item) -> list[SpeakerLine]:
        """Return the item's speakers in the order given."""
        return [self.person(s.person) if s.person else
                SpeakerLine(s.name, s.title, s.affiliation,
                            titled=names_affiliation(s.title, [s.affiliation]))
                for s in item.speakers]

    def items(self) -> list[Item]:
        """Return every agenda item, in programme order."""
        return [item for session in self.meeting.agenda for item in session.items]

    @cached_property
    def _numbers(self) -> dict[int, str]:
        """Return each numbered item's number, by the item's id() (see number)."""
        if not self.meeting.numbered_items:
            return {}
        numbered = [item for item in self.items() if item.kind.value != "break"]
        return {id(item): str(number) for number, item in enumerate(numbered, start=1)}

    def number(self, item: Item) -> str:
        """Return the item's number as printed ("3"): the items but breaks are numbered 1, 2,
        ... in programme order; "" for a break, or for every item when numbering is off."""
        return self._numbers.get(id(item), "")

    @property
    def several_days(self) -> bool:
        """Return whether the meeting lasts more than one day."""
        end = self.meeting.end_date
        return end is not None and end != self.meeting.date

    def item_date(self, item: Item) -> dt.date | None:
        """Return the day of the item's session; None when the session gives none."""
        return next(session.date for session in self.meeting.agenda if any(
            entry is item for entry in session.items))

    def days(self) -> list[tuple[dt.date | None, list[Item]]]:
        """Return the items grouped by day, in programme order: (day, items) for each run of
        sessions on one day; the day is None for sessions that give none."""
        groups: list[tuple[dt.date | None, list[Item]]] = []
        for session in self.meeting.agenda:
            if groups and groups[-1][0] == session.date:
                groups[-1][1].extend(session.items)
            else:
                groups.append((session.date, list(session.items)))
        return groups

    @property
    def outcomes(self) -> list[Outcome]:
        """Return the meeting's outcome documents, in the order given."""
        return [outcome for _, outcome in self.meeting.outcome_documents()]

    @property
    def outcome(self) -> Outcome | None:
        """Return the outcome document the view's document is made from: the one named so, or
        the first; None if the meeting has none."""
        found = dict(self.meeting.outcome_documents())
        return found.get(self.document) or next(iter(found.values()), None)

    def names(self, idents) -> list[Participant]:
        """Return the participants with those ids, collated by short name in the view's
        language (in the leader's order when the view follows one)."""
        chosen = [self.participants[ident] for ident in idents]
        if self.leader is not None:
            rank = {p.id: place for place, p in enumerate(self.leader.names(idents))}
            return sorted(chosen, key=lambda p: rank[p.id])
        return self._collate(chosen, lambda p: p.short_name)

    @property
    def chairs(self) -> list[Participant]:
        """Return the participants that chair: the chair, or the co-chairs in the order given."""
        return [self.participants[ident] for ident in self.meeting.chairs]

    @cached_property
    def signatories(self) -> list[SignatoryLine]:
        """Return the signatories in signing order (collated by short name by default); those
        that did not join are left out."""
        outcome = self.outcome
        if outcome is None:
            return []
        if outcome.signatories:
            lines = [SignatoryLine(self.participants[s.party],
                                   self.persons[s.signer][1] if s.signer else
                                   _head(self.participants[s.party]))
                     for s in outcome.signatories]
        else:
            lines = [SignatoryLine(p, _head(p)) for p in self.meeting.participants
                     if p.kind is ParticipantKind.state and p.id not in outcome.not_joined]
        if self.leader is not None:
            return self._follow(lines, self.leader.signatories, lambda line: line.participant.id)
        if outcome.signing_order is SigningOrder.as_listed:
            return lines
        ordered = self._collate(lines, lambda line: line.participant.short_name)
        if outcome.signing_order is SigningOrder.chair_first:
            ordered.sort(key=lambda line: line.participant.id not in self.meeting.chairs)
        return ordered

    @cached_property
    def delegations(self) -> list[DelegationLine]:
        """Return states, then organizations, then observers, each collated by short name."""
        order = list(ParticipantKind)
        lines = [DelegationLine(p, tuple(sorted(p.delegation, key=lambda m: not m.head)))
                 for p in self.meeting.participants]
        if self.leader is not None:
            return self._follow(lines, self.leader.delegations, lambda line: line.participant.id)
        ordered = self._collate(lines, lambda line: line.participant.short_name)
        ordered.sort(key=lambda line: order.index(line.participant.kind))
        return ordered

    @property
    def pack_parts(self) -> list[str]:
        """Return the parts of the agenda pack the meeting has the data for (see pack_parts)."""
        return pack_parts(self.meeting)

    @staticmethod
    def roman(number: int) -> str:
        """Return the number in roman numerals, as annexes are numbered: "IV"."""
        from .annexes import roman

        return roman(number)

    def time_zone(self, name: str) -> TimeZoneLine:
        """Return an IANA time zone with its city in the view's language and its UTC offset at
        noon on the meeting's first day."""
        from babel.dates import get_timezone, get_timezone_location

        zone = ZoneInfo(name)
        minutes = int(dt.datetime.combine(self.meeting.date, dt.time(12), zone)
                      .utcoffset().total_seconds()) // 60
        offset = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        if "/" not in name or name.startswith("Etc/"):
            return TimeZoneLine("", offset)
        city = get_timezone_location(get_timezone(name), locale=self.language, return_city=True)
        return TimeZoneLine(city, offset)

    def annexes(self, annexes) -> list:
        """Return the annexes (a list of the meeting's Annex) as printed: numbered I, II,
        III..., each with its file's name, absolute path, kind, page count and SHA-256 (see
        generator.annexes.AnnexLine)."""
        from .annexes import annex_lines

        return annex_lines(annexes)

    def brief(self, item: Item):
        """Return the briefing for an agenda item, or None."""
        briefing = self.meeting.briefing
        if briefing is None or item.id is None:
            return None
        return next((b for b in briefing.items if b.item == item.id), None)

    @cached_property
    def participant_notes(self) -> list[tuple[Participant, str]]:
        """Return (participant, note) in the order of the list of participants."""
        briefing = self.meeting.briefing
        notes = {note.participant: note.note
                 for note in (briefing.participant_notes if briefing else ())}
        return [(line.participant, notes[line.participant.id]) for line in self.delegations
                if line.participant.id in notes]

    @cached_property
    def personality_notes(self) -> list[tuple[SpeakerLine, str]]:
        """Return (person, note) sorted by surname, collated."""
        return [(person, note) for person, note, _ in self._notes]

    @cached_property
    def _notes(self) -> list[tuple[SpeakerLine, str, str]]:
        """Return (person, note, person's id) in the order personality_notes gives."""
        briefing = self.meeting.briefing
        notes = [(self.person(n.person), n.note, n.person)
                 for n in (briefing.personality_notes if briefing else ())]
        if self.leader is not None:
            return self._follow(notes, self.leader._notes, lambda note: note[2])
        return self._collate(notes, lambda note: _surname_first(note[0].name))


def names_affiliation(title: str, names) -> bool:
    """Return whether the title already names one of the names (a delegation's short or formal
    name, its id), as "Representative of Türkiye" names Türkiye and "Представитель Турции"
    names Турция: a name as a word of the title, or a name of five or more letters less its
    last at the start of one, ignoring case."""
    words = title.casefold()
    for name in names:
        name = str(name or "").strip().casefold()
        if not name:
            continue
        if _starts_word(words, name, whole=True):
            return True
        if len(name) >= 5 and _starts_word(words, name[:-1], whole=False):
            return True
    return False


def _starts_word(text: str, part: str, whole: bool) -> bool:
    """Return whether part stands in text at the start of a word (and, with whole, as the whole
    word), a word being letters, digits and "_" as a pattern's \\w reads them."""
    def word(character: str) -> bool:
        return character.isalnum() or character == "_"

    start = text.find(part)
    while start != -1:
        end = start + len(part)
        if ((start == 0 or not word(text[start - 1]))
                and (not whole or end == len(text) or not word(text[end]))):
            return True
        start = text.find(part, start + 1)
    return False


def _head(participant: Participant) -> Person | None:
    """Return the head of the participant's delegation, if one is marked."""
    return next((person for person in participant.delegation if person.head), None)


def _surname_first(name: str) -> str:
    """Return "Surname Given names" for sorting by surname."""
    parts = name.split()
    return " ".join(parts[-1:] + parts[:-1])
