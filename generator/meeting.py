"""The meeting as the user describes it in YAML: typed, validated models."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

def _not_blank(value: str) -> str:
    """Return the text if it has something besides spaces; raise ValueError otherwise."""
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
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
    name: Text = Field(description="The person's name as printed, e.g. 'Vusal Huseynov'.")
    title: str = Field("", description="Function as printed after the name, e.g. "
                                       "'Chief of the State Migration Service'.")
    head: bool = Field(False, description="Head of delegation.")


class Participant(Model):
    """A state, organization or observer taking part, with its delegation."""

    id: Id = Field(description="Refer to this participant elsewhere, e.g. 'AZE'.")
    kind: ParticipantKind = Field(ParticipantKind.state, description="state, organization or observer.")
    short_name: Text = Field(description="Name used in lists, e.g. 'Türkiye'.")
    formal_name: Text = Field(description="Name used in legal text and signature blocks, e.g. "
                                          "'Republic of Türkiye'.")
    article: str = Field("the", description="Article printed before the formal name in 'For the "
                                            "...'; '' for none (e.g. 'For Turkmenistan').")
    role: str = Field("", description="Role in the process as printed, e.g. 'Participating State', "
                                      "'Secretariat', 'Observer'.")
    delegation: list[Person] = Field(default_factory=list, description="Members of the delegation, "
                                                                      "head of delegation first.")


def _speaker_shorthand(value: object) -> object:
    """Return {'person': id} for a plain id, so that '- huseynov' refers to a delegation member."""
    return {"person": value} if isinstance(value, str) else value


class Speaker(Model):
    """A speaker: a delegation member by id, or a person named here."""

    person: Id | None = Field(None, description="The id of a delegation member.")
    name: str = Field("", description="The speaker's name as printed, when not a delegation member.")
    title: str = Field("", description="Function, e.g. 'Researcher'.")
    affiliation: str = Field("", description="Organization, if any.")


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
    title: Text = Field(description="The item's title as printed.")
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
    description: str = Field("", description="A line under the title, e.g. the topic of a speech.")
    documents: list[Text] = Field(default_factory=list, description="Documents for the item.")


class Session(Model):
    """A session of the meeting: a titled run of agenda items."""

    title: Text = Field(description="The session's title as printed.")
    date: Date | None = Field(None, description="The day, when the meeting lasts several days.")
    items: list[Item] = Field(min_length=1, description="The session's agenda items, in order.")


class SideEvent(Model):
    """An event held beside the meeting."""

    title: Text = Field(description="The event's title as printed.")
    date: Date | None = Field(None, description="The day; the meeting's first day if not given.")
    time: Time = Field("TBC", description="'HH:MM', 'HH:MM-HH:MM' or 'TBC'.")
    format: str = Field("", description="e.g. 'hybrid', 'in person', 'online'.")
    organizers: list[Text] = Field(default_factory=list, description="Who organizes it, as printed.")
    description: str = Field("", description="What it is about.")


class OperativeParagraph(Model):
    """A numbered operative paragraph, possibly with numbered sub-paragraphs."""

    text: Text = Field(description="The paragraph's text.")
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

    place: str = Field("", description="The city; the meeting's city if not given.")
    date: Date | None = Field(None, description="The date; the meeting's first day if not given.")
    originals: int | None = Field(None, ge=1, le=99, description="Number of originals, if stated.")
    languages: list[Text] = Field(default_factory=list,
                                  description="Language names as printed, e.g. 'English'.")
    equally_authentic: bool = Field(True, description="Add 'all texts being equally authentic' "
                                                      "when there are several languages.")


class Outcome(Model):
    """The outcome document: protocol, communiqué, joint statement, declaration, summary."""

    type: Text = Field("Outcome Protocol", description="The document type as printed.")
    adoption: Adoption = Field(Adoption.signed, description="signed, adopted, endorsed or chair.")
    status: Status = Field(Status.draft, description="draft, final or signed.")
    version: Text = Field("1", description="The version, e.g. '0.3'.")
    date: Date | None = Field(None, description="The version's date; the meeting's first day "
                                                "if not given.")
    preamble: list[Text] = Field(default_factory=list, description="Preambular paragraphs.")
    paragraphs: list[OperativeParagraph] = Field(min_length=1, description="Operative paragraphs.")
    done_at: DoneAt = Field(default_factory=DoneAt, description="The 'Done at' clause.")
    signatories: list[Signatory] = Field(default_factory=list,
                                         description="Who signs; every state if not given.")
    signing_order: SigningOrder = Field(SigningOrder.alphabetical,
                                        description="alphabetical, as listed or chair first.")


class ItemBrief(Model):
    """The briefing for one agenda item."""

    item: Id = Field(description="The id of the agenda item.")
    objectives: list[Text] = Field(default_factory=list, description="What to achieve.")
    points_to_make: list[Text] = Field(default_factory=list, description="Points to make.")
    background: str = Field("", description="Background; blank lines separate paragraphs.")
    defensive_points: list[Text] = Field(default_factory=list, description="If asked ...")


class PersonalityNote(Model):
    """A note on a person the principal will meet."""

    person: Id = Field(description="The id of a delegation member.")
    note: Text = Field(description="The note; blank lines separate paragraphs.")


class Briefing(Model):
    """The briefing pack for the chair or a head of delegation."""

    classification: Text = Field("Restricted", description="e.g. 'Restricted', 'Confidential'.")
    audience: str = Field("", description="Who the pack is for.")
    version: Text = Field("1", description="The pack's version.")
    date: Date | None = Field(None, description="The pack's date ('as at'); the meeting's first "
                                                "day if not given.")
    objectives: list[Text] = Field(default_factory=list, description="Objectives for the meeting.")
    key_messages: list[Text] = Field(default_factory=list, description="Key messages.")
    press_line: str = Field("", description="The line to take with the press.")
    items: list[ItemBrief] = Field(default_factory=list, description="Briefs per agenda item.")
    personality_notes: list[PersonalityNote] = Field(default_factory=list,
                                                     description="Notes on persons.")


class Paper(StrEnum):
    """The paper size."""

    a4 = "A4"
    letter = "Letter"


class Meeting(Model):
    """One meeting of an intergovernmental process, described once."""

    id: Id = Field(description="Names the output folder, e.g. 'almaty-process-8th-som'.")
    process: Text = Field(description="The process, e.g. 'Almaty Process'.")
    ordinal: Text = Field(description="As printed, e.g. '8th'.")
    meeting_type: Text = Field(description="As printed, e.g. \"Senior Officials' Meeting\".")
    title: Text = Field(description="The meeting's full title as printed.")
    symbol: str = Field("", description="The document symbol, if the secretariat gives one.")
    date: Date = Field(description="The (first) day of the meeting, YYYY-MM-DD.")
    end_date: Date | None = Field(None, description="The last day, for a meeting of several days.")
    city: Text = Field(description="The city, e.g. 'Baku'.")
    country: Text = Field(description="The country, e.g. 'Azerbaijan'.")
    venue: str = Field("", description="The venue, if known.")
    chair: Id = Field(description="The id of the participant that chairs.")
    previous_chair: Id | None = Field(None, description="The id of the previous chair.")
    host: Id | None = Field(None, description="The id of the host participant.")
    secretariat: list[Id] = Field(default_factory=list, description="Ids of the secretariat's "
                                                                    "participants.")
    languages: list[Text] = Field(default_factory=lambda: ["en"],
                                  description="Working languages, e.g. [en, ru].")
    paper: Paper = Field(Paper.a4, description="A4 or Letter.")
    participants: list[Participant] = Field(min_length=1, description="Who takes part.")
    agenda: list[Session] = Field(min_length=1, description="The programme, by session.")
    side_events: list[SideEvent] = Field(default_factory=list, description="Side events.")
    outcome: Outcome | None = Field(None, description="The outcome document.")
    briefing: Briefing | None = Field(None, description="The briefing pack.")
