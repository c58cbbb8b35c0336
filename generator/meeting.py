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
    observer_state = "observer state"
    invited_state = "invited state"
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
    honorific: LocalStr = Field("", description="Courtesy title printed before the name, e.g. "
                                                "'H.E. Mr.', 'Ms.' or {en: Ms., fr: Mme}.")
    email: Email | None = Field(None, description="E-mail address; not printed, kept for the "
                                                  "participants spreadsheet.")


class Participant(Model):
    """A state, organization or observer taking part, with its delegation."""

    id: Id = Field(description="Refer to this participant elsewhere, e.g. 'AZE'.")
    kind: ParticipantKind = Field(ParticipantKind.state, description=(
        "state, observer state, invited state, organization or observer (an organization "
        "attending as observer). Only states sign by default."))
    short_name: LocalText = Field(description="Name used in lists, e.g. 'Türkiye'.")
    formal_name: LocalText | None = Field(None, description=(
        "Name used in legal text and signature blocks, e.g. 'Republic of Türkiye'. If it is not "
        "known, leave it out: the short name prints instead, and validate warns."))
    footnote: LocalStr = Field("", description=(
        "A footnote printed wherever the name is (the UN convention for names in dispute), e.g. "
        "'References to Eastreach shall be understood in the context of ...'."))
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
        formal = self.formal_name if self.formal_name is not None else self.short_name
        english = formal if isinstance(formal, str) else formal.get("en")
        given = self.signs_as
        if isinstance(given, str) or (given is not None and ("en" in given or english is None)):
            return self
        texts = Texts(given or {})
        if english is not None:  # a short name standing in for the formal one takes no
            # article unless the input gives one ("For Estmark", but "For the Netherlands")
            article = ("" if self.formal_name is None and "article" not in self.model_fields_set
                       else self.article)
            texts["en"] = f"{article} {english}".strip()
        return self.model_copy(update={"signs_as": texts})

    @property
    def formal(self) -> str | Texts:
        """Return the formal name, or the short name when the formal one is not known."""
        return self.formal_name if self.formal_name is not None else self.short_name


def _one(several: str, what: str = "participant"):
    """Return a validator refusing a list where one id goes, naming the field for several."""

    def validate(value: object) -> object:
        if isinstance(value, list):
            listed = ", ".join(str(item) for item in value)
            raise ValueError(f"takes one {what}; for several write {several}: [{listed}]")
        return value

    return BeforeValidator(validate)


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
    chair: Annotated[Id | None, _one("chairs", "delegation member")] = Field(
        None, description="The id of the delegation member chairing the item; for several, "
                          "use chairs.")
    chairs: list[Id] = Field(default_factory=list, description="The ids of the delegation "
                                                               "members chairing the item together.")
    moderator: Annotated[Id | None, _one("moderators", "delegation member")] = Field(
        None, description="The id of the delegation member moderating the item; for several, "
                          "use moderators.")
    moderators: list[Id] = Field(default_factory=list, description="The ids of the delegation "
                                                                   "members moderating the item "
                                                                   "together.")
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
    presiding: Id | None = Field(None, description=(
        "The id of the delegation member presiding the session, when it is not the chair of the "
        "process (e.g. a minister of the host, or the incoming chair)."))
    items: list[Item] = Field(min_length=1, description="The session's agenda items, in order.")


class SideEvent(Model):
    """An event held beside the meeting."""

    title: LocalText = Field(description="The event's title as printed.")
    date: Date | None = Field(None, description="The day; the meeting's first day if not given.")
    time: Time = Field("TBC", description="'HH:MM', 'HH:MM-HH:MM' or 'TBC'.")
    format: LocalStr = Field("", description="e.g. 'hybrid', 'in person', 'online'.")
    organizers: list[LocalText] = Field(default_factory=list, description="Who organizes it, as printed.")
    description: LocalStr = Field("", description="What it is about.")


def _text_shorthand(value: object) -> object:
    """Return {'text': value} for a plain text or a text per language without 'text'."""
    if isinstance(value, str) or (isinstance(value, dict) and "text" not in value
                                  and all(isinstance(key, str) and _LANGUAGE.match(key)
                                          for key in value)):
        return {"text": value}
    return value


class EnumerationItem(Model):
    """One item of an enumeration inside a paragraph: (a), (b)... or, one level down, (i), (ii)..."""

    text: LocalText = Field(description="The item's text.")
    enumeration: list[Annotated[EnumerationItem, BeforeValidator(
        _text_shorthand, json_schema_input_type=LocalText | EnumerationItem)]] = Field(
        default_factory=list, description="Items inside this one, lettered (i), (ii), (iii)...")


Enumeration = list[Annotated[EnumerationItem, BeforeValidator(
    _text_shorthand, json_schema_input_type=LocalText | EnumerationItem)]]
"""Items lettered (a), (b), (c): each a text, or {text: ..., enumeration: [...]}."""


class OperativeParagraph(Model):
    """An operative paragraph: numbered 1., 2. (or unnumbered), with lettered items (a), (b)
    and numbered sub-paragraphs 1.1, 1.2."""

    text: LocalText = Field(description="The paragraph's text.")
    numbered: bool = Field(True, description="false prints the paragraph without a number.")
    enumeration: Enumeration = Field(default_factory=list, description=(
        "Items inside the paragraph, lettered (a), (b), (c) as UN texts do; each a text or "
        "{text: ..., enumeration: [...]} whose items are lettered (i), (ii), (iii)."))
    paragraphs: list[OperativeParagraph] = Field(default_factory=list,
                                                 description="Sub-paragraphs, numbered 1.1, 1.2, ...")


def _preamble_shorthand(value: object) -> object:
    """Return {'text': value} for a preambular paragraph given as a plain text."""
    return _text_shorthand(value)


class PreambularParagraph(Model):
    """A preambular paragraph in UN style: its opening word or phrase in italics, no number."""

    opening: LocalStr = Field("", description="The opening word or phrase, printed in italics: "
                                              "{en: Recalling, fr: Rappelant, ru: Ссылаясь на}.")
    text: LocalText = Field(description="The rest of the paragraph, after the opening.")


class OutcomeTable(Model):
    """A table in an outcome document, such as an action plan's actions, leads and timelines."""

    columns: list[LocalText] = Field(min_length=1, description="The column headings, e.g. "
                                                               "[Action, Lead, Timeline].")
    rows: list[list[LocalStr]] = Field(min_length=1, description="The rows, each with one text "
                                                                 "per column.")
    widths: list[Annotated[float, Field(gt=0)]] = Field(
        default_factory=list, description="Relative column widths, e.g. [5, 2, 1.5]; equal if "
                                          "not given.")

    @model_validator(mode="after")
    def _rows_fit(self) -> OutcomeTable:
        """Return the table if every row and the widths have one entry per column."""
        count = len(self.columns)
        for number, row in enumerate(self.rows):
            if len(row) != count:
                raise ValueError(f"row {number + 1} has {len(row)} texts for {count} columns; "
                                 "give one per column ('' for an empty cell)")
        if self.widths and len(self.widths) != count:
            raise ValueError(f"widths gives {len(self.widths)} numbers for {count} columns")
        return self


class Section(Model):
    """A titled section of an outcome document, such as an action plan's domain or objective."""

    title: LocalText = Field(description="The section's heading as printed, e.g. 'Domain 1: "
                                         "Legal migration and mobility'.")
    text: LocalStr = Field("", description="Introductory text; blank lines separate paragraphs.")
    paragraphs: list[OperativeParagraph] = Field(default_factory=list, description=(
        "The section's operative paragraphs; numbers run on from the sections before."))
    table: OutcomeTable | None = Field(None, description="A table after the paragraphs.")
    sections: list[Section] = Field(default_factory=list, description="Sections inside this one "
                                                                      "(two levels at most).")


class OutcomeAnnex(Model):
    """An annex of an outcome document, printed after it from a new page: Annex I, II..."""

    title: LocalText = Field(description="The annex's title, e.g. 'List of participants'.")
    text: LocalStr = Field("", description="Text; blank lines separate paragraphs.")
    list_of_participants: bool = Field(False, description="Print the list of participants here.")
    paragraphs: list[OperativeParagraph] = Field(default_factory=list, description="Paragraphs.")
    sections: list[Section] = Field(default_factory=list, description="Sections.")
    table: OutcomeTable | None = Field(None, description="A table.")


class StatementKind(StrEnum):
    """What a participant's statement on an outcome document is."""

    reservation = "reservation"
    interpretative = "interpretative statement"


class Statement(Model):
    """A reservation or an interpretative statement a participant made on an outcome document."""

    party: Id = Field(description="The id of the participant that made it.")
    kind: StatementKind = Field(StatementKind.reservation,
                                description="reservation or interpretative statement.")
    text: LocalText = Field(description="The statement as printed.")


class TextStatus(StrEnum):
    """What the text of an outcome document is."""

    official = "official"
    unofficial_summary = "unofficial summary"
    not_available = "not available"


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


class ProgrammeMark(StrEnum):
    """How a draft programme is marked on every page."""

    provisional = "provisional"
    draft = "draft"


class Unnamed(StrEnum):
    """What the list of participants prints for a delegation with no member named."""

    to_be_confirmed = "to be confirmed"
    left_out = "left out"


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
    date: Date | None = Field(None, description=(
        "The date of signature or adoption. Needed for a final or signed text of a meeting of "
        "several days (a draft prints '[date]'); the meeting's day if it lasts one day."))
    depositary: LocalStr = Field("", description=(
        "Who keeps the original(s), in the form that follows 'deposited with' in each "
        "language: {en: the Secretariat, ru: Секретариату, fr: du Secrétariat} (Russian in the "
        "dative; French with the 'de' of 'auprès de': du, de la, de l’)."))
    originals: int | None = Field(None, ge=1, le=99, strict=True, description=(
        "Number of originals of a text to be signed: a draft without it prints 'in [...] "
        "originals'; a final or signed one must give it."))
    languages: list[LanguageCode] = Field(
        default_factory=list, description="The languages of the originals, as codes (en, ru, fr); "
                                          "the meeting's languages if not given.")
    equally_authentic: bool = Field(True, strict=True, description="Add 'all texts being equally authentic' "
                                                      "when there are several languages.")
    in_witness_whereof: bool = Field(False, description=(
        "Open the testimonium of a signed text with 'IN WITNESS WHEREOF the undersigned, being "
        "duly authorized thereto, have signed this document.' (in each language)."))


class Outcome(Model):
    """The outcome document: protocol, communiqué, joint statement, declaration, summary."""

    id: Id | None = Field(None, description=(
        "Names the document and its files when the meeting has several outcomes "
        "(declaration-en-v1.pdf) and picks it in --only; needed in outcomes."))
    type: LocalText | None = Field(None, description=(
        "The document type as printed, e.g. 'Joint Declaration'; if not given, 'Outcome "
        "Protocol' for a signed text, 'Outcome Document' for an adopted or endorsed one and "
        "'Chair's Summary' for the chair's, in each language."))
    symbol: str = Field("", description=(
        "The document's own symbol, such as 'SP/MC4/2028/1', printed in its running header; the "
        "meeting's symbol if not given."))
    adoption: Adoption = Field(Adoption.signed, description=(
        "signed (Done at, signature blocks), adopted ('Adopted at ... on ...'), endorsed "
        "('Endorsed at ... on ...') or chair (a chair's summary, issued under the chair's "
        "responsibility, with no Done at and no claim of adoption)."))
    text_status: TextStatus = Field(TextStatus.official, description=(
        "official; 'unofficial summary' (a summary of what was adopted, marked so on every "
        "page); or 'not available' (the text is not available: marked on every page)."))
    status: Status = Field(Status.draft, description=(
        "draft, final or signed. A draft is marked DRAFT on every page; its files in the archive "
        "are replaced only with --replace-draft, a final or signed version's never."))
    version: Version = Field("1", description=(
        "The version, e.g. '0.3', printed on the document and part of its file names "
        "(protocol-en-v0.3.pdf): letters, digits, '.', '-', '_'. Give each changed text a new "
        "version: the archive keeps every version side by side."))
    date: Date | None = Field(None, description="The version's date; the meeting's first day "
                                                "if not given.")
    preamble: list[Annotated[PreambularParagraph, BeforeValidator(
        _preamble_shorthand, json_schema_input_type=LocalText | PreambularParagraph)]] = Field(
        default_factory=list, description=(
            "Preambular paragraphs, unnumbered: each a text, or {opening: Recalling, text: the "
            "Declaration ...} to print the opening word or phrase in italics."))
    paragraphs: list[OperativeParagraph] = Field(default_factory=list, description=(
        "Operative paragraphs, numbered 1., 2., ...; needed unless the text has sections or is "
        "not available."))
    sections: list[Section] = Field(default_factory=list, description=(
        "Titled sections after the paragraphs, such as an action plan's domains."))
    annexes: list[OutcomeAnnex] = Field(default_factory=list, description=(
        "Annexes of the outcome document (Annex I, II...), each from a new page."))
    joined: list[Id] = Field(default_factory=list, description=(
        "The ids of the participants that joined the adoption (or endorsement, or signature), "
        "when the text says who did."))
    not_joined: list[Id] = Field(default_factory=list, description=(
        "The ids of the participants that did not join the adoption (or endorsement, or "
        "signature): the document names them."))
    statements: list[Statement] = Field(default_factory=list, description=(
        "Reservations and interpretative statements, printed after the text."))
    done_at: DoneAt = Field(default_factory=DoneAt, description="The 'Done at' clause.")
    signatories: list[Signatory] = Field(default_factory=list,
                                         description="Who signs; every state if not given.")
    signing_order: SigningOrder = Field(SigningOrder.alphabetical,
                                        description="alphabetical, as listed or chair first.")

    @model_validator(mode="after")
    def _has_text(self) -> Outcome:
        """Return the outcome if it has a text, or says that it has none."""
        if (not self.paragraphs and not self.sections
                and self.text_status is not TextStatus.not_available):
            raise ValueError("give paragraphs or sections, or set text_status: not available")
        return self


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
        "The IANA name of the meeting's time zone, such as Asia/Baku; printed after the "
        "meeting's city with its UTC offset on the meeting's first day: 'Baku time "
        "(UTC+04:00)', even where the zone is named after another city (Europe/Paris)."))

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
    distribution: LocalStr = Field("", description="The pack's distribution, printed on its "
                                                   "cover, e.g. 'General' or 'Participants only'.")
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
        "draft or final: a draft is marked DRAFT with its version and date on every page. "
        "The archive replaces a draft's files only with "
        "--replace-draft, a final version's never."))
    date: Date | None = Field(None, description="The pack's date ('as at'); the meeting's first "
                                                "day if not given.")
    distribution: LocalStr = Field("", description="The pack's distribution, printed on its "
                                                   "cover, e.g. 'Head of delegation only'.")
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


class PdfEngine(StrEnum):
    """The program that sets the PDFs."""

    reportlab = "reportlab"
    typst = "typst"


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
                          "the first language's order side by side, each language's own order "
                          "otherwise. Side by side, each party signs one block captioned in "
                          "every language, set in the first language's order.")


class RussianYear(StrEnum):
    """The word after the year in a Russian date."""

    full = "года"
    short = "г."


class Typography(StrEnum):
    """Whether punctuation typed in the data is made typographic."""

    typographic = "typographic"
    as_typed = "as typed"


class Style(Model):
    """Writing conventions that are a matter of house style."""

    russian_year: RussianYear = Field(RussianYear.full, description="'года' (12 октября 2023 года) "
                                                                    "or 'г.' (12 октября 2023 г.).")


REGISTRATION_FIELDS = ("delegation", "id", "honorific", "first_name", "last_name", "name",
                      "function", "head", "email")
"""What a registration file's columns can give, as the keys of a registration's columns."""


class Registration(Model):
    """A registration file (CSV or XLSX) whose rows are delegation members."""

    file: Text = Field(description="The CSV or XLSX file, relative to the meeting file, e.g. "
                                   "'delegates.xlsx'.")
    sheet: str | None = Field(None, description="The sheet of an XLSX file; the first if not "
                                                "given.")
    columns: dict[str, Text] = Field(default_factory=dict, description=(
        "The header of the column that gives each field, when it is not one chancery knows: "
        "{delegation: Pays, name: Nom complet, 'function (fr)': Fonction}. Fields: "
        + ", ".join(REGISTRATION_FIELDS) + "; a field of text may take a language, as in "
        "'name (ru)'."))


class Participation(Model):
    """How many took part, when the list of participants does not say it all."""

    states: int | None = Field(None, ge=0, description="How many States took part.")
    organizations: int | None = Field(None, ge=0, description="How many organizations took part.")
    complete: bool = Field(True, description=(
        "false when the list of participants does not name everyone who took part: the list "
        "then says so."))

    @model_validator(mode="after")
    def _says_something(self) -> Participation:
        """Return the participation if it gives a count or says the list is incomplete."""
        if self.states is None and self.organizations is None and self.complete:
            raise ValueError("give states, organizations or complete: false")
        return self


class Meeting(Model):
    """One meeting of an intergovernmental process, described once."""

    model_config = ConfigDict(json_schema_extra={
        "anyOf": [{"required": ["chair"]}, {"required": ["co_chairs"]}]})

    id: Id = Field(description="Names the output folder, e.g. 'almaty-process-8th-som'.")
    process: LocalText = Field(description="The process, e.g. 'Almaty Process'.")
    ordinal: LocalText | None = Field(None, description=(
        "As printed, e.g. '8th'; leave it out for a first or preparatory meeting that has none."))
    meeting_type: LocalText = Field(description="As printed, e.g. \"Senior Officials' Meeting\".")
    title: LocalText = Field(description="The meeting's full title as printed.")
    symbol: str = Field("", description="The document symbol, if the secretariat gives one.")
    date: Date = Field(description="The (first) day of the meeting, YYYY-MM-DD.")
    end_date: Date | None = Field(None, description="The last day, for a meeting of several days.")
    city: LocalText = Field(description="The city, e.g. 'Baku'.")
    country: LocalText = Field(description="The country, e.g. 'Azerbaijan'.")
    venue: LocalStr = Field("", description="The venue, if known.")
    chair: Annotated[Id | None, _one("co_chairs")] = Field(
        None, description="The id of the participant that chairs; for several, use co_chairs.")
    co_chairs: list[Id] = Field(default_factory=list, description=(
        "The ids of the participants that chair together, e.g. [TUR, HUN]; instead of chair."))
    previous_chair: Id | None = Field(None, description="The id of the previous chair.")
    incoming_chair: Id | None = Field(None, description=(
        "The id of the participant taking over the chairmanship."))
    co_organizers: list[LocalText] = Field(default_factory=list, description=(
        "Who organizes the meeting with the chair without taking part, as printed: a ministry, "
        "a Council presidency, an agency."))
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
    typography: Typography = Field(Typography.typographic, description=(
        "'typographic': straight quotes and apostrophes become the language's (“ ” ’ in "
        "English, « » in French and Russian), a hyphen between spaces a dash, time spans "
        "09:30–10:15 (French 9 h 30 – 10 h 15) and French ordinal endings raised (1er); "
        "'as typed': every text printed exactly as written."))
    paper: Paper = Field(Paper.a4, description="A4 or Letter.")
    house_style: str | None = Field(None, min_length=1, description=(
        "The house style file (YAML), relative to the meeting file: emblem, letterhead, font, "
        "colours, margins, paper; see docs/house-style.md. --style FILE wins over it."))
    pdf_engine: PdfEngine | None = Field(None, description=(
        "What sets the PDFs: 'reportlab' (the default when not given) or 'typst', which sets "
        "Arabic right to left and Chinese and can tag a PDF for screen readers (--pdfua); "
        "--pdf-engine overrides it."))
    participants: list[Participant] = Field(min_length=1, description="Who takes part.")
    registrations: list[Registration] = Field(default_factory=list, description=(
        "Registration files (CSV or XLSX) whose rows add members to the participants' "
        "delegations: one row a person, with columns such as Country, Name, Function."))
    participation: Participation | None = Field(None, description=(
        "Counts of those who took part, and whether the list of participants is complete: "
        "{states: 34, organizations: 7, complete: false}."))
    agenda: list[Session] = Field(min_length=1, description="The programme, by session.")
    agenda_version: Version = Field("1", description=(
        "The programme's version, e.g. '2', part of its file names (agenda-en-v2.pdf): letters, "
        "digits, '.', '-', '_'. Give each changed programme a new version: the archive keeps "
        "every version side by side."))
    agenda_status: UnsignedStatus = Field(UnsignedStatus.draft, description=(
        "draft or final: a draft programme and agenda pack are marked so on every page (see "
        "agenda_mark). The archive replaces a draft programme's files only with "
        "--replace-draft, a final version's never."))
    agenda_date: Date | None = Field(None, description=(
        "The programme's and the agenda pack's date of issue, printed with their version on "
        "every page and on the pack's cover; '[date of issue]' prints where it is not given."))
    agenda_mark: ProgrammeMark = Field(ProgrammeMark.provisional, description=(
        "How a draft programme is marked on every page: 'provisional' (\"Provisional "
        "programme · Version 1 · date\") or 'draft' (\"DRAFT · Version 1 · date\")."))
    numbered_items: bool = Field(True, strict=True, description=(
        "Number the agenda items 1., 2., ... (breaks are not numbered), with the same numbers "
        "in the programme, the annotated agenda and the briefing pack; false for none."))
    unnamed_delegations: Unnamed = Field(Unnamed.to_be_confirmed, description=(
        "What the list of participants does with a delegation whose members are not yet "
        "named: 'to be confirmed' prints its name over the line \"(to be confirmed)\", "
        "'left out' leaves it out of the list."))
    side_events: list[SideEvent] = Field(default_factory=list, description="Side events.")
    agenda_pack: AgendaPack | None = Field(None, description="The agenda pack's parts besides the "
                                                             "programme.")
    outcome: Outcome | None = Field(None, description="The outcome document, when there is one.")
    outcomes: list[Outcome] = Field(default_factory=list, description=(
        "The outcome documents, when the meeting adopts several (a declaration and an action "
        "plan): each with an id that names its files. Instead of outcome."))
    briefing: Briefing | None = Field(None, description="The briefing pack.")

    @property
    def chairs(self) -> list[str]:
        """Return the ids of the participants that chair: the chair, or the co-chairs."""
        return [self.chair] if self.chair else list(self.co_chairs)

    def outcome_documents(self) -> list[tuple[str, Outcome]]:
        """Return (document name, outcome) for each outcome: "protocol" for the one outcome,
        each outcome's id for several."""
        if self.outcome is not None:
            return [("protocol", self.outcome)]
        return [(outcome.id or f"outcome-{number}", outcome)
                for number, outcome in enumerate(self.outcomes, start=1)]
