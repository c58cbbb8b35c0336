"""The pipeline: meeting -> templates -> document model -> files, written only when all succeed."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .context import MeetingView
from .document import Document
from .inputs import LoadedMeeting
from .markup import MarkupError, parse_document
from .problems import InputError
from .templating import DOCUMENTS, TemplateError, render_template
from .transforms import prepare

FORMATS = ("docx", "pdf")
"""The file formats chancery writes."""

_NEEDS = {"protocol": "outcome", "briefing": "briefing"}
"""Documents that need a section of the input, by the section's field name."""


@dataclass(frozen=True)
class Output:
    """A file ready to be written."""

    path: Path
    """Where it goes."""
    data: bytes
    """Its complete content."""


def build_time(loaded: LoadedMeeting) -> dt.datetime:
    """Return the time builds record: SOURCE_DATE_EPOCH if set, else the meeting's first day, UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    day = loaded.meeting.date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def available_documents(loaded: LoadedMeeting) -> list[str]:
    """Return the documents the meeting has the data for, in the usual order."""
    return [name for name in DOCUMENTS
            if name not in _NEEDS or getattr(loaded.meeting, _NEEDS[name]) is not None]


def check_requested(loaded: LoadedMeeting, names: list[str]) -> None:
    """Raise InputError if a requested document lacks the input section it is made from."""
    available = available_documents(loaded)
    problems = [loaded.source.problem((), f"there is no '{_NEEDS[name]}' section, so no {name} "
                                          "can be built; add one or leave the document out")
                for name in names if name not in available]
    if problems:
        raise InputError(problems)


def make_document(loaded: LoadedMeeting, name: str, templates: Path, paper: str | None = None,
                  language: str = "en") -> Document:
    """Return the finished document model of one document of the meeting."""
    meeting = loaded.meeting
    view = MeetingView(meeting, language)
    chair = view.participant(meeting.chair)
    xml = render_template(
        templates, name, meeting=meeting, view=view, paper=paper or meeting.paper.value,
        author=f"{chair.formal_name}, Chair of the {meeting.process}")
    try:
        return prepare(parse_document(xml, build_time(loaded)))
    except MarkupError as error:
        raise TemplateError(f"{templates / (name + '.xml.j2')}: {error}") from None


def render(document: Document, fmt: str) -> bytes:
    """Return the document written in the format ("docx" or "pdf")."""
    if fmt == "docx":
        from .writers.docx import render_docx

        return render_docx(document)
    if fmt == "pdf":
        from .writers.pdf import render_pdf

        return render_pdf(document)
    raise ValueError(f"unknown format {fmt!r}")


def build_outputs(loaded: LoadedMeeting, names: list[str], formats: list[str], out: Path,
                  templates: Path, paper: str | None = None) -> list[Output]:
    """Return every file of the build, rendered in memory: nothing is written yet."""
    outputs = []
    for name in names:
        document = make_document(loaded, name, templates, paper)
        for fmt in formats:
            outputs.append(Output(out / loaded.meeting.id / f"{name}.{fmt}", render(document, fmt)))
    return outputs


def write_outputs(outputs: list[Output]) -> None:
    """Write each file atomically: a reader sees the old file or the new one, never a part."""
    for output in outputs:
        output.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{output.path.name}.", dir=output.path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(output.data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, output.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
