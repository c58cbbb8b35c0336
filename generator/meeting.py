"""The meeting as the user describes it in YAML: typed, validated models."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cache
from typing import Annotated

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema,
    model_validator,
)

def _not_blank(value: str) -> str:
    """Return the text if it has something besides spaces; raise ValueError otherwise."""
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]

_LANGUAGE = re.compile(r"^[a-z]{2}$")

LanguageCode = Annotated[str, Field(pattern=_LANGUAGE.pattern, description="A two-letter ISO 639-1 "
                                                                            "language code: en, ru, fr.")]


@cache
def known_language(code: str) -> bool:
    """Return whether Babel (CLDR) knows the language code."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


class Texts(dict):
    """A text given per language, {language code: text}; a plain str means the same in every
    language."""


def _localized(blank: bool):
    """Return a validator accepting a string or a {language: string} mapping (Texts)."""

    def validate(value: object) -> str | Texts:
        if isinstance(value, str):
            return value if blank else _not_blank(value)
        if not isinstance(value, dict) or not value:
            raise ValueError("should be a text, or a text per language such as "
                             f"{{en: ..., ru: ...}} (got {value!r})")
        for language, text in value.items():
            if not isinstance(language, str) or not _LANGUAGE.match(language) or not known_language(language):
                raise ValueError(f"{language!r} is not a language code; use two small letters "
                                 "such as en, ru, fr")
            if not isinstance(text, str):
                raise ValueError(f"the {language} text should be a text (got {text!r})")
            if not blank and not text.strip():
                raise ValueError(f"the {language} text must not be empty or only spaces")
        return Texts(value)

    text = {"type": "string"} | ({} if blank else {"minLength": 1})
    schema = {"anyOf": [text, {"type": "object", "minProperties": 1,
                               "propertyNames": {"pattern": _LANGUAGE.pattern},
                               "additionalProperties": text}]}
    return PlainValidator(validate), WithJsonSchema(schema)


LocalText = Annotated[str | Texts, *_localized(blank=False)]
"""A non-empty text, the same in every language or given per language."""
LocalStr = Annotated[str | Texts, *_localized(blank=True)]
"""A text that may be empty, the same in every language or given per language."""
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", min_length=1, max_length=64,
                          description="A short name other fields use to refer to this entry: "
                                      "letters, digits, '-', '_' or '.'.")]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?:\s*[-–]\s*(\d{1,2}):(\d{2}))?$")


def _parse_date(value: object) -> object:
    """Return a date from 'YYYY-MM-DD' text; raise ValueError for anything else."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError("write a date as YYYY-MM-DD, e.g. 2023-10-12")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value} is not a date ({error})") from None


Date = Annotated[dt.date, BeforeValidator(_parse_date)]

_VERSION = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,30}[A-Za-z0-9])?$")


def _check_version(value: str) -> str:
    """Return the version if it can go into a file name; raise ValueError otherwise."""
    if not _VERSION.match(value):
        raise ValueError("a version becomes part of file names: write it with letters, digits, "
                         "'.', '-' and '_' only, starting and ending with a letter or digit, "
                         "at most 32 characters, e.g. 0.2 or 1.0-rc1")
    return value


Version = Annotated[str, AfterValidator(_check_version),
                    WithJsonSchema({"type": "string", "pattern": _VERSION.pattern})]
"""A document's version, such as "0.3": safe in a file name."""


class Model(BaseModel):
    """The base of every input model: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False,
                              validate_default=False)


class ParticipantKind(StrEnum):
    """What kind of participant a delegation represents."""

    state = "state"
    organization = "organization"
    observer = "observer"


class Person(Model):
    """A member of a delegation."""

    id: Id | None = Field(None, description="Refer to this person from the agenda, signatories "
                                            "or personality notes.")
    name: LocalText = Field(description="The person's name as printed, e.g. 'Vusal Huseynov' or "
                                        "{en: Vusal Huseynov, ru: Вюсал Гусейнов}.")
    title: LocalStr = Field("", description="Function as printed after the name, e.g. "
                                            "'Chief of the State Migration Service'.")
    head: bool = Field(False, strict=True, description="Head of delegation.")


class Participant(Model):
    """A state, organization or observer taking part, with its delegation."""

    id: Id = Field(description="Refer to this participant elsewhere, e.g. 'AZE'.")
    kind: ParticipantKind = Field(ParticipantKind.state, description="state, organization or observer.")
    short_name: LocalText = Field(description="Name used in lists, e.g. 'Türkiye'.")
    formal_name: LocalText = Field(description="Name used in legal text and signature blocks, e.g. "
                                          "'Republic of Türkiye'.")
    article: str = Field("the", description="In English, the article printed before the formal "
                                            "name in 'For the ...'; '' for none (e.g. 'For "
                                            "Turkmenistan').")
    signs_as: LocalText | None = Field(
        None, description="The name as it follows 'For' in a signature block, in each language and "
                          "in the form the language needs there: {ru: Турецкую Республику, "
                          "fr: la République de Türkiye}. In English it defaults to the article "
                          "and the formal name.")
    role: LocalStr = Field("", description="Role in the process as printed, e.g. 'Participating State', "
                                      "'Secretariat', 'Observer'.")
    delegation: list[Person] = Field(default_factory=list, description="Members of the delegation, "
                                                                      "head of delegation first.")

    @model_validator(mode="after")
    def _english_signs_as(self) -> Participant:
        """Return the participant with its signs_as given per language: the article and the
        formal name as the English one when the input gives none (and the formal name has an
        English form); no text at all, so missing in every language, when neither is given."""
        english = self.formal_name if isinstance(self.formal_name, str) else self.formal_name.get("en")
        given = self.signs_as
        if isinstance(given, str) or (given is not None and ("en" in given or english is None)):
            return self
        texts = Texts(given or {})
        if english is not None:
            texts["en"] = f"{self.article} {english}".strip()
        return self.model_copy(update={"signs_as": texts})


def _speaker_shorthand(value: object) -> object:
    """Return {'person': id} for a plain id, so that '- huseynov' refers to a delegation member."""
    return {"person": value} if isinstance(value, str) else value


class Speaker(Model):
    """A speaker: a delegation member by id, or a person named here."""

    person: Id | None = Field(None, description="The id of a delegation member.")
    name: LocalStr = Field("", description="The speaker's name as printed, when not a delegation member.")
    title: LocalStr = Field("", description="Function, e.g. 'Researcher'.")
    affiliation: LocalStr = Field("", description="Organization, if any.")


class ItemKind(StrEnum):
    """What happens during an agenda item."""

    opening = "opening"
    statement = "statement"
    speech = "speech"
    presentation = "presentation"
    discussion = "discussion"
    panel = "panel"
    adoption = "adoption"
    signing = "signing"
    break_ = "break"
    closing = "closing"
    other = "other"


def _check_time(value: str) -> str:
    """Return the time text if it is 'TBC', 'HH:MM' or 'HH:MM-HH:MM'; raise ValueError otherwise."""
    if value == "TBC":
        return value
    match = _TIME.match(value)
    if not match:
        raise ValueError("write a time as HH:MM, a span as HH:MM-HH:MM, or TBC")
    hours_minutes = [int(part) for part in match.groups() if part is not None]
    for hours, minutes in zip(hours_minutes[::2], hours_minutes[1::2]):
        if hours > 23 or minutes > 59:
            raise ValueError(f"{hours:02d}:{minutes:02d} is not a time of day")
    if len(hours_minutes) == 4 and hours_minutes[2:] <= hours_minutes[:2]:
        raise ValueError("the span ends before it starts")
    return value


Time = Annotated[str, AfterValidator(_check_time)]


class Item(Model):
    """One agenda item."""

    id: Id | None = Field(None, description="Refer to this item from the briefing.")
    time: Time = Field("TBC", description="'HH:MM', 'HH:MM-HH:MM' or 'TBC'.")
    title: LocalText = Field(description="The item's title as printed.")
    kind: ItemKind = Field(ItemKind.other, description="opening, statement, speech, presentation, "
                                                       "discussion, panel, adoption, signing, "
                                                       "break, closing or other.")
    chair: Id | None = Field(None, description="The id of the delegation member chairing the item.")
    moderator: Id | None = Field(None, description="The id of the delegation member moderating "
                                                   "the item.")
    speakers: list[Annotated[Speaker, BeforeValidator(_speaker_shorthand,
                                                      json_schema_input_type=Id | Speaker)]] = Field(
        default_factory=list,
        description="Each either the id of a delegation member or a person with a name.")
    description: LocalStr = Field("", description="A line under the title, e.g. the topic of a speech.")
    documents: list[LocalText] = Field(default_factory=list, description="Documents for the item, "
                                                                        "sent before the meeting.")
    background: LocalStr = Field("", description="The item's background, printed in the annotated "
                                                 "agenda; blank lines separate paragraphs.")
    expected_action: LocalStr = Field("", description="What the meeting is expected to do under the "
                                                      "item, printed in the annotated agenda, e.g. "
                                                      "'The meeting is invited to adopt the agenda.'")

    @property
    def annotated(self) -> bool:
        """Return whether the annotated agenda has something to say about the item."""
        return bool(self.background or self.expected_action or self.documents)


class Session(Model):
    """A session of the meeting: a titled run of agenda items."""

    title: LocalText = Field(description="The session's title as printed.")
    date: Date | None = Field(None, description="The day, when the meeting lasts several days.")
    items: list[Item] = Field(min_length=1, description="The session's agenda items, in order.")


class SideEvent(Model):
    """An event held beside the meeting."""

    title: LocalText = Field(description="The event's title as printed.")
    date: Date | None = Field(None, description="The day; the meeting's first day if not given.")
    time: Time = Field("TBC", description="'HH:MM', 'HH:MM-HH:MM' or 'TBC'.")
    format: LocalStr = Field("", description="e.g. 'hybrid', 'in person', 'online'.")
    organizers: list[LocalText] = Field(default_factory=list, description="Who organizes it, as printed.")
    description: LocalStr = Field("", description="What it is about.")


class OperativeParagraph(Model):
    """A numbered operative paragraph, possibly with numbered sub-paragraphs."""

    text: LocalText = Field(description="The paragraph's text.")
    paragraphs: list[OperativeParagraph] = Field(default_factory=list,
                                                 description="Sub-paragraphs, numbered 1.1, 1.2, ...")


class Adoption(StrEnum):
    """How the outcome document is adopted; decides whether signature blocks appear."""

    signed = "signed"
    adopted = "adopted"
    endorsed = "endorsed"
    chair = "chair"


class Status(StrEnum):
    """Where the outcome document stands; a draft is marked DRAFT on every page."""

    draft = "draft"
    final = "final"
    signed = "signed"


class UnsignedStatus(StrEnum):
    """Where a document nobody signs (agenda, briefing pack) stands: draft or final."""

    draft = "draft"
    final = "final"


class Issuer(StrEnum):
    """Who issues a meeting's documents."""

    chair = "chair"
    secretariat = "secretariat"


class SigningOrder(StrEnum):
    """The order of signature blocks."""

    alphabetical = "alphabetical"
    as_listed = "as listed"
    chair_first = "chair first"


class Signatory(Model):
    """A participant that signs, and who signs for it."""

    party: Id = Field(description="The id of the participant that signs.")
    signer: Id | None = Field(None, description="The id of the delegation member who signs; the "
                                                "head of delegation if not given.")


class DoneAt(Model):
    """The "Done at" clause."""

    place: LocalStr = Field("", description="The city; the meeting's city if not given.")
    date: Date | None = Field(None, description="The date; the meeting's first day if not given.")
    originals: int | None = Field(None, ge=1, le=99, strict=True, description="Number of originals, if stated.")
    languages: list[LanguageCode] = Field(
        default_factory=list, description="The languages of the originals, as codes (en, ru, fr); "
                                          "the meeting's languages if not given.")
    equally_authentic: bool = Field(True, strict=True, description="Add 'all texts being equally authentic' "
                                                      "when there are several languages.")


class Outcome(Model):
    """The outcome document: protocol, communiqué, joint statement, declaration, summary."""

    type: LocalText = Field("Outcome Protocol", description="The document type as printed.")
    adoption: Adoption = Field(Adoption.signed, description="signed, adopted, endorsed or chair.")
    status: Status = Field(Status.draft, description=(
        "draft, final or signed. A draft is marked DRAFT on every page; its files in the archive "
        "are replaced only with --replace-draft, a final or signed version's never."))
    version: Version = Field("1", description=(
        "The version, e.g. '0.3', printed on the document and part of its file names "
        "(protocol-en-v0.3.pdf): letters, digits, '.', '-', '_'. Give each changed text a new "
        "version: the archive keeps every version side by side."))
    date: Date | None = Field(None, description="The version's date; the meeting's first day "
                                                "if not given.")
    preamble: list[LocalText] = Field(default_factory=list, description="Preambular paragraphs.")
    paragraphs: list[OperativeParagraph] = Field(min_length=1, description="Operative paragraphs.")
    done_at: DoneAt = Field(default_factory=DoneAt, description="The 'Done at' clause.")
    signatories: list[Signatory] = Field(default_factory=list,
                                         description="Who signs; every state if not given.")
    signing_order: SigningOrder = Field(SigningOrder.alphabetical,
                                        description="alphabetical, as listed or chair first.")


class ItemBrief(Model):
    """The briefing for one agenda item."""

    item: Id = Field(description="The id of the agenda item.")
    role: LocalStr = Field("", description="The principal's role in the item, printed in the "
                                           "annotated programme, e.g. 'Opens the meeting'.")
    objectives: list[LocalText] = Field(default_factory=list, description="What to achieve.")
    points_to_make: list[LocalText] = Field(default_factory=list, description="Points to make.")
    background: LocalStr = Field("", description="Background; blank lines separate paragraphs.")
    defensive_points: list[LocalText] = Field(default_factory=list, description="If asked ...")


class PersonalityNote(Model):
    """A note on a person the principal will meet."""

    person: Id = Field(description="The id of a delegation member.")
    note: LocalText = Field(description="The note; blank lines separate paragraphs.")


class ParticipantNote(Model):
    """A note on a participating state or organization, for the principal."""

    participant: Id = Field(description="The id of the participant.")
    note: LocalText = Field(description="The note; blank lines separate paragraphs.")


class Annex(Model):
    """A file attached to a pack, after its own cover sheet: a PDF, or a PNG or JPEG image."""

    title: LocalText = Field(description="The annex's title, printed on its cover sheet "
                                         "('Annex II: ...') and in the contents.")
    file: Text = Field(description="The file: a path relative to the meeting file, ending in "
                                   ".pdf, .png, .jpg or .jpeg.")


@cache
def _time_zones() -> frozenset[str]:
    """Return the IANA names of the time zones this machine knows."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def _check_time_zone(value: str) -> str:
    """Return the name if it is an IANA time zone; raise ValueError otherwise."""
    zones = _time_zones()
    if value not in zones:
        import difflib

        close = difflib.get_close_matches(value, sorted(zones), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"'{value}' is not a time zone: write its IANA name, such as Asia/Baku "
                         f"or Europe/Paris{hint}")
    return value


TimeZone = Annotated[str, AfterValidator(_check_time_zone),
                     WithJsonSchema({"type": "string", "examples": ["Asia/Baku", "Europe/Paris"]})]
"""An IANA time zone name, such as "Asia/Baku"."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_email(value: str) -> str:
    """Return the address if it looks like one; raise ValueError otherwise."""
    if not _EMAIL.match(value):
        raise ValueError(f"'{value}' is not an e-mail address, such as name@example.org")
    return value


Email = Annotated[str, AfterValidator(_check_email),
                  WithJsonSchema({"type": "string", "pattern": _EMAIL.pattern})]


class Contact(Model):
    """Someone delegations can turn to about the meeting's arrangements."""

    name: LocalText = Field(description="The person or office, as printed.")
    title: LocalStr = Field("", description="Function, e.g. 'Logistics Officer, Secretariat'.")
    email: Email | None = Field(None, description="E-mail address.")
    phone: str = Field("", description="Telephone number as printed, e.g. '+994 12 000 00 00'.")


class Logistics(Model):
    """The practical arrangements of the meeting, printed as the logistics note."""

    venue_address: LocalStr = Field("", description="The venue's address; its name is the "
                                                    "meeting's venue. Blank lines separate "
                                                    "paragraphs.")
    registration: LocalStr = Field("", description="How and by when to register; blank lines "
                                                   "separate paragraphs.")
    transport: LocalStr = Field("", description="Getting there and around: airport, transfers, "
                                                "shuttles.")
    accommodation: LocalStr = Field("", description="Hotels, rates, booking.")
    contacts: list[Contact] = Field(default_factory=list, description="Whom to contact.")
    time_zone: TimeZone | None = Field(None, description=(
        "The IANA name of the meeting's time zone, such as Asia/Baku; printed with its UTC "
        "offset on the meeting's first day: 'Baku time (UTC+04:00)'."))

    @model_validator(mode="after")
    def _not_empty(self) -> Logistics:
        """Return the logistics if they say something; raise ValueError if they say nothing."""
        if not any(getattr(self, name) for name in type(self).model_fields):
            raise ValueError("give at least one of " + ", ".join(type(self).model_fields))
        return self


class AgendaPack(Model):
    """What the agenda pack sent to every delegation holds besides the programme."""

    invitation: LocalStr = Field("", description="The invitation note printed on the pack's cover; "
                                                 "blank lines separate paragraphs.")
    concept_note: LocalStr = Field("", description="The concept note; blank lines separate "
                                                   "paragraphs.")
    logistics: Logistics | None = Field(None, description="The logistics note.")
    include_draft_outcome: bool = Field(False, strict=True, description="Add the outcome document's preamble "
                                                           "and paragraphs, marked as a draft.")
    annexes: list[Annex] = Field(default_factory=list, description="Files attached to the pack.")


class Briefing(Model):
    """The briefing pack for the chair or a head of delegation."""

    classification: LocalText = Field("Restricted", description="e.g. 'Restricted', 'Confidential'.")
    audience: LocalStr = Field("", description="Who the pack is for.")
    version: Version = Field("1", description=(
        "The pack's version, e.g. '0.2', printed on the cover and part of its file names "
        "(briefing-en-v0.2.pdf): letters, digits, '.', '-', '_'. Give each changed pack a new "
        "version: the archive keeps every version side by side."))
    status: UnsignedStatus = Field(UnsignedStatus.draft, description=(
        "draft or final; not printed. The archive replaces a draft's files only with "
        "--replace-draft, a final version's never."))
    date: Date | None = Field(None, description="The pack's date ('as at'); the meeting's first "
                                                "day if not given.")
    objectives: list[LocalText] = Field(default_factory=list, description="Objectives for the meeting.")
    key_messages: list[LocalText] = Field(default_factory=list, description="Key messages.")
    handling: LocalStr = Field("", description="How to handle the meeting: tactics, allies, "
                                               "sensitivities; blank lines separate paragraphs.")
    press_line: LocalStr = Field("", description="The line to take with the press.")
    items: list[ItemBrief] = Field(default_factory=list, description="Briefs per agenda item.")
    personality_notes: list[PersonalityNote] = Field(default_factory=list,
                                                     description="Notes on persons.")
    participant_notes: list[ParticipantNote] = Field(default_factory=list, description=(
        "Notes on participating states and organizations, printed in the order of the list of "
        "participants."))
    languages: list[LanguageCode] = Field(
        default_factory=list, description="The languages the pack is written in; the meeting's "
                                          "languages if not given.")
    annexes: list[Annex] = Field(default_factory=list, description="Files attached to the pack.")


class Paper(StrEnum):
    """The paper size."""

    a4 = "A4"
    letter = "Letter"


class Layout(StrEnum):
    """How an outcome document in several languages is laid out."""

    side_by_side = "side by side"
    consecutive = "consecutive"


class ListOrder(StrEnum):
    """How lists and signature blocks are ordered in an edition in several languages."""

    each_language = "each language"
    first_language = "first language"


class Bilingual(Model):
    """Editions in several languages."""

    layout: Layout = Field(Layout.side_by_side, description="'side by side' (paragraph n of each "
                                                           "language level) or 'consecutive' "
                                                           "(one language after the other). "
                                                           "Agendas and briefing packs are "
                                                           "always consecutive.")
    order: ListOrder | None = Field(
        None, description="'each language': lists and signatories sorted in each language's own "
                          "order; 'first language': all in the order of the first. If not given: "
                          "the first language's order side by side (so that each row pairs the "
                          "same signatory), each language's own order otherwise.")


class RussianYear(StrEnum):
    """The word after the year in a Russian date."""

    full = "года"
    short = "г."


class Style(Model):
    """Writing conventions that are a matter of house style."""

    russian_year: RussianYear = Field(RussianYear.full, description="'года' (12 октября 2023 года) "
                                                                    "or 'г.' (12 октября 2023 г.).")


class Meeting(Model):
    """One meeting of an intergovernmental process, described once."""

    id: Id = Field(description="Names the output folder, e.g. 'almaty-process-8th-som'.")
    process: LocalText = Field(description="The process, e.g. 'Almaty Process'.")
    ordinal: LocalText = Field(description="As printed, e.g. '8th'.")
    meeting_type: LocalText = Field(description="As printed, e.g. \"Senior Officials' Meeting\".")
    title: LocalText = Field(description="The meeting's full title as printed.")
    symbol: str = Field("", description="The document symbol, if the secretariat gives one.")
    date: Date = Field(description="The (first) day of the meeting, YYYY-MM-DD.")
    end_date: Date | None = Field(None, description="The last day, for a meeting of several days.")
    city: LocalText = Field(description="The city, e.g. 'Baku'.")
    country: LocalText = Field(description="The country, e.g. 'Azerbaijan'.")
    venue: LocalStr = Field("", description="The venue, if known.")
    chair: Id = Field(description="The id of the participant that chairs.")
    previous_chair: Id | None = Field(None, description="The id of the previous chair.")
    host: Id | None = Field(None, description="The id of the host participant.")
    secretariat: list[Id] = Field(default_factory=list, description="Ids of the secretariat's "
                                                                    "participants.")
    issued_by: Issuer = Field(Issuer.chair, description="Who issues the documents, named as their "
                                                        "author in the files' properties: 'chair' "
                                                        "or 'secretariat'.")
    languages: list[LanguageCode] = Field(
        default_factory=lambda: ["en"], min_length=1,
        description="Working languages, e.g. [en, ru]: every document is built in each, and the "
                    "outcome document also in all of them together.")
    bilingual: Bilingual = Field(default_factory=lambda: Bilingual(),
                                 description="How editions in several languages are laid out.")
    style: Style = Field(default_factory=lambda: Style(), description="Writing conventions.")
    paper: Paper = Field(Paper.a4, description="A4 or Letter.")
    participants: list[Participant] = Field(min_length=1, description="Who takes part.")
    agenda: list[Session] = Field(min_length=1, description="The programme, by session.")
    agenda_version: Version = Field("1", description=(
        "The programme's version, e.g. '2', part of its file names (agenda-en-v2.pdf): letters, "
        "digits, '.', '-', '_'. Give each changed programme a new version: the archive keeps "
        "every version side by side."))
    agenda_status: UnsignedStatus = Field(UnsignedStatus.draft, description=(
        "draft or final; not printed. The archive replaces a draft programme's files only with "
        "--replace-draft, a final version's never."))
    side_events: list[SideEvent] = Field(default_factory=list, description="Side events.")
    agenda_pack: AgendaPack | None = Field(None, description="The agenda pack's parts besides the "
                                                             "programme.")
    outcome: Outcome | None = Field(None, description="The outcome document.")
    briefing: Briefing | None = Field(None, description="The briefing pack.")
