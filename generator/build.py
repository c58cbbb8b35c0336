"""The pipeline: meeting -> templates -> document model -> files in memory, for the archive."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import __version__
from .annexes import check_archival_annexes
from .archive import STATUS_MARK, Entry, Output, Step, sha256
from .context import MeetingView, pack_parts
from .document import Document
from .inputs import LoadedMeeting, meeting_warnings
from .localize import Gap, Gaps, language_name, localize
from .markup import MarkupError, parse_document
from .meeting import Layout, ListOrder, Meeting, Outcome, Typography
from .problems import InputError, Problem
from .rendering import FORMATS, PDF_ENGINES, PDFA_LEVELS
from .templating import DOCUMENTS, TemplateError, render_template
from .transforms import consecutive, prepare, side_by_side
from .typography import typeset_document
from .workers import Writers

@dataclass(frozen=True)
class Need:
    """What a document is made from, for the documents that not every meeting has."""

    has: Callable[[Meeting], bool]
    """Whether the meeting has it."""
    missing: str
    """What the input lacks, said to the user, such as "there is no 'outcome' section"."""
    remedy: str = "add one"
    """How to give it."""


_NEEDS = {
    "protocol": Need(lambda meeting: bool(meeting.outcome_documents()),
                     "there is no 'outcome' section"),
    "briefing": Need(lambda meeting: meeting.briefing is not None,
                     "there is no 'briefing' section"),
    "annotated-agenda": Need(lambda meeting: "annotated-agenda" in pack_parts(meeting),
                             "no agenda item has a background, documents or an expected_action",
                             "give an item one of them"),
    "logistics": Need(lambda meeting: "logistics" in pack_parts(meeting),
                      "there is no 'logistics' section in 'agenda_pack'"),
    "concept-note": Need(lambda meeting: "concept-note" in pack_parts(meeting),
                         "there is no 'concept_note' in 'agenda_pack'"),
}
"""Documents that need something of the input, by name."""

_BY_DEFAULT = {"agenda-pack": lambda meeting: meeting.agenda_pack is not None,
               **dict.fromkeys(("annotated-agenda", "participants", "logistics", "concept-note"),
                               lambda meeting: False)}
"""Documents that a build makes without --only only when this says so: the agenda pack when the
input has an agenda_pack section, each of its parts alone never."""

_SIDE_BY_SIDE = {"protocol"}
"""Templates whose editions in several languages may be laid out side by side."""


def outcome_of(meeting: Meeting, document: str) -> Outcome | None:
    """Return the outcome a document is made from ("protocol", or an outcome's id), or None."""
    return dict(meeting.outcome_documents()).get(document)


def template_of(meeting: Meeting, document: str) -> str:
    """Return the template a document is written with: "protocol" for every outcome."""
    return "protocol" if outcome_of(meeting, document) is not None else document


@dataclass(frozen=True)
class Edition:
    """One document in one language, or in several languages together."""

    document: str
    """The document, such as "protocol"."""
    languages: tuple[str, ...]
    """Its languages, in order: ("ru",), or ("en", "ru") for a bilingual edition."""

    @property
    def stem(self) -> str:
        """Return the file name without extension, such as "protocol-en+ru"."""
        return f"{self.document}-{'+'.join(self.languages)}"


@dataclass(frozen=True)
class Release:
    """A document's version and status, and the input field that gives the version."""

    version: str
    """Such as "0.1"; part of the file names."""
    status: str
    """draft, final or signed."""
    field: str
    """The field to change for a new version, such as "outcome.version"."""


def release(meeting: Meeting, document: str) -> Release:
    """Return the version and status of one of the meeting's documents."""
    outcome = outcome_of(meeting, document)
    if outcome is not None:
        field = ("outcome.version" if meeting.outcome is not None else
                 f"outcomes[{[name for name, _ in meeting.outcome_documents()].index(document)}]"
                 ".version")
        return Release(outcome.version, outcome.status.value, field)
    if document == "briefing":
        return Release(meeting.briefing.version, meeting.briefing.status.value, "briefing.version")
    return Release(meeting.agenda_version, meeting.agenda_status.value, "agenda_version")


def file_name(edition: Edition, version: str, fmt: str) -> str:
    """Return the name of an edition's file in the archive, such as "protocol-en+ru-v0.1.pdf"."""
    return f"{edition.stem}-v{version}.{fmt}"


class MissingTexts(InputError):
    """Texts that documents need in a language the input does not give them in."""

    hint = ("give each text in every language the documents are built in, or build with "
            "--fallback LANG to print another language's text where one is missing")

    def __init__(self, problems: list[Problem], gaps: list[Gap]):
        super().__init__(problems)
        self.gaps = gaps
        """The missing texts, each once."""

    @classmethod
    def of(cls, loaded: LoadedMeeting, gaps: list[Gap]) -> MissingTexts:
        """Return the error naming each gap where it belongs in the input file."""
        gaps = list(dict.fromkeys(gaps))
        problems = [loaded.source.problem(gap.path, _missing(gap, gap.path in loaded.source.values))
                    for gap in gaps]
        return cls(sorted(problems, key=lambda problem: (problem.line or 0, problem.column or 0)),
                   gaps)


def _missing(gap: Gap, written: bool) -> str:
    """Return the message for a missing text, saying how to add it."""
    where = (f"add '{gap.language}: ...' to it" if written else
             f"add {gap.path[-1]}: {{{gap.language}: ...}}")
    return f"no {language_name(gap.language)} ({gap.language}) text; {where}"


def build_time(loaded: LoadedMeeting) -> dt.datetime:
    """Return the time builds record: SOURCE_DATE_EPOCH if set, else the meeting's first day, UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    day = loaded.meeting.date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _has_data(meeting: Meeting, name: str) -> bool:
    """Return whether the meeting has what the document is made from."""
    return name not in _NEEDS or _NEEDS[name].has(meeting)


def available_documents(loaded: LoadedMeeting) -> list[str]:
    """Return the documents a build makes unless told which, in the usual order: those the
    meeting has the data for, less those made only on request (see _BY_DEFAULT)."""
    meeting = loaded.meeting
    names = [name for name in DOCUMENTS
             if _has_data(meeting, name) and _BY_DEFAULT.get(name, lambda _: True)(meeting)]
    return _outcomes_named(meeting, names)


def _outcomes_named(meeting: Meeting, names: list[str]) -> list[str]:
    """Return the names with "protocol" standing for every outcome document, in its place."""
    result = []
    for name in names:
        result += [outcome for outcome, _ in meeting.outcome_documents()] if name == "protocol" \
            else [name]
    return list(dict.fromkeys(result))


def check_requested(loaded: LoadedMeeting, names: list[str]) -> list[str]:
    """Return the requested documents, "protocol" standing for every outcome document; raise
    InputError if one lacks what it is made from or is no document of the meeting."""
    meeting = loaded.meeting
    outcomes = [name for name, _ in meeting.outcome_documents()]
    known = list(DOCUMENTS) + outcomes
    problems = [loaded.source.problem((), f"{_NEEDS[name].missing}, so no {name} can be built; "
                                          f"{_NEEDS[name].remedy} or leave the document out")
                for name in names if name in _NEEDS and not _has_data(meeting, name)]
    problems += [loaded.source.problem(("outcomes",) if meeting.outcomes else (), (
        f"--only names '{name}', which is no document of this meeting; choose from "
        f"{', '.join(known)}")) for name in names if name not in known]
    if problems:
        raise InputError(problems)
    return _outcomes_named(meeting, names)


def requested_editions(loaded: LoadedMeeting, documents: list[str] | None,
                       languages: list[tuple[str, ...]] | None = None) -> list[Edition]:
    """Return the editions a build makes of the documents asked for ("protocol" standing for
    every outcome document), or of every document the meeting has data for when documents is
    None; raise InputError as check_requested and editions do."""
    names = check_requested(loaded, documents or [])
    return editions(loaded, names or available_documents(loaded), languages,
                    chosen=documents is not None)


def document_languages(loaded: LoadedMeeting, name: str) -> list[str]:
    """Return the languages a document is written in unless the user asks otherwise."""
    meeting = loaded.meeting
    outcome = outcome_of(meeting, name)
    if outcome is not None and outcome.done_at.languages:
        return list(outcome.done_at.languages)
    if name == "briefing" and meeting.briefing and meeting.briefing.languages:
        return list(meeting.briefing.languages)
    return list(meeting.languages)


def editions(loaded: LoadedMeeting, names: list[str], languages: list[tuple[str, ...]] | None = None,
             chosen: bool = False) -> list[Edition]:
    """Return the editions to build: by default each document in each of its languages, and
    the protocol also in all of them together; with languages, those of them each document
    is written in (every one when the documents were chosen); raise InputError for a language
    that is not one of the meeting's."""
    working = loaded.meeting.languages
    strangers = [language for combination in languages or () for language in combination
                 if language not in working]
    if strangers:
        raise InputError([loaded.source.problem(("languages",), (
            f"'{language}' is not one of the meeting's languages ({', '.join(working)}); add it "
            "to languages to build documents in it")) for language in dict.fromkeys(strangers)])
    result = []
    for name in names:
        own = document_languages(loaded, name)
        if languages is None:
            wanted = [(language,) for language in own]
            if template_of(loaded.meeting, name) in _SIDE_BY_SIDE and len(own) > 1:
                wanted.append(tuple(own))
        else:
            wanted = [combination for combination in languages
                      if chosen or set(combination) <= set(own)]
        result += [Edition(name, combination) for combination in wanted]
    return result


def make_document(loaded: LoadedMeeting, edition: Edition, templates: Path,
                  paper: str | None = None, fallback: str | None = None) -> tuple[Document, list[Gap]]:
    """Return the finished document model of an edition and the texts printed in the fallback
    language; raise MissingTexts naming every text the edition needs and the input lacks."""
    bilingual = loaded.meeting.bilingual
    template = template_of(loaded.meeting, edition.document)
    side_by_side_layout = (template in _SIDE_BY_SIDE and len(edition.languages) > 1
                           and bilingual.layout is Layout.side_by_side)
    one_order = (bilingual.order or (ListOrder.first_language if side_by_side_layout
                                     else ListOrder.each_language)) is ListOrder.first_language
    documents, fallbacks, missing, leader = [], [], [], None
    for language in edition.languages:
        try:
            xml, view, used = _render(loaded, edition.document, language, templates, paper,
                                      fallback, leader if one_order else None)
        except MissingTexts as error:
            missing += error.gaps
            continue
        leader = leader or view
        fallbacks += used
        try:
            parsed = parse_document(xml, build_time(loaded))
            if loaded.meeting.typography is Typography.typographic:
                parsed = typeset_document(parsed)
            documents.append(prepare(parsed))
        except MarkupError as error:
            raise TemplateError(f"{templates / (template + '.xml.j2')}: {error}") from None
    if missing:
        raise MissingTexts.of(loaded, missing)
    documents = [replace(document, house=loaded.house_in(document.metadata.language))
                 for document in documents]
    if loaded.house.font:
        _check_house_font(loaded.house.font, documents, edition)
    if len(documents) == 1:
        return documents[0], fallbacks
    if side_by_side_layout:
        try:
            return side_by_side(documents), fallbacks
        except ValueError as error:
            raise TemplateError(f"{templates / (template + '.xml.j2')}: {error}") from None
    return consecutive(documents), fallbacks


def _check_house_font(paths: tuple[str, ...], documents: list[Document], edition: Edition
                      ) -> None:
    """Raise InputError if the house font lacks a character the edition prints."""
    from .document import document_lines
    from .housestyle import font_cannot_print

    for document in documents:
        page = document.page
        text = "\n".join([*document_lines(document), page.header, page.marking or "",
                          page.classification or "", page.watermark or "", page.page_label,
                          *document.house.issuer])
        missing = font_cannot_print(paths, text)
        if missing:
            shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing[:5])
            raise InputError([Problem(paths[0], None, None, (), (
                f"the house style's font cannot print {shown}, which the {edition.document} in "
                f"{document.metadata.language} needs; choose a font with these characters"))])


def _render(loaded: LoadedMeeting, name: str, language: str, templates: Path, paper: str | None,
            fallback: str | None, leader: MeetingView | None) -> tuple[str, MeetingView, list[Gap]]:
    """Return the document XML in one language, its view and the texts printed in the fallback
    language; raise MissingTexts for texts it needs and neither language gives."""

    def attempt(gaps: Gaps) -> tuple[str, MeetingView, list[Gap]]:
        view = MeetingView(localize(loaded.meeting, gaps), language, gaps, leader, name)
        xml = render_template(templates, template_of(loaded.meeting, name), language,
                              meeting=view.meeting, view=view, document=name,
                              paper=paper or loaded.paper)
        return xml, view, gaps.needed(xml)

    xml, view, needed = attempt(Gaps(language, fallback))
    if not needed:
        return xml, view, []
    unfillable = [gap for gap in needed if gap.fallback is None]
    if unfillable:
        raise MissingTexts.of(loaded, unfillable)
    xml, view, _ = attempt(Gaps(language, fallback, frozenset(gap.path for gap in needed)))
    return xml, view, needed


def pdf_engine_of(loaded: LoadedMeeting, engine: str | None) -> str:
    """Return the PDF engine a build uses: the one asked for (--pdf-engine), else the meeting
    file's pdf_engine, else its house style's, else reportlab."""
    chosen = engine or loaded.meeting.pdf_engine or loaded.style_engine
    return str(chosen or PDF_ENGINES[0])


def check_engine(loaded: LoadedMeeting, wanted: list[Edition], engine: str, pdfua: bool) -> None:
    """Raise InputError if the engine cannot make what is asked: reportlab tags no PDF (the
    scripts it cannot set are pdf_scripts.check_pdf_scripts's)."""
    if engine == "typst":
        return
    problems = []
    if pdfua:
        problems.append(loaded.source.problem(("pdf_engine",), (
            "a tagged PDF (--pdfua) needs the typst engine: add --pdf-engine typst or set "
            "pdf_engine: typst"), at_key=True))
    if problems:
        raise InputError(problems)


def _printable(name: str) -> str:
    """Return a file name as text that can be written: bytes that are not UTF-8 as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def make_documents(loaded: LoadedMeeting, wanted: list[Edition], templates: Path,
                   paper: str | None = None, fallback: str | None = None,
                   ) -> tuple[list[tuple[Edition, Document]], list[Problem]]:
    """Return each edition's finished document and a warning for each text printed in the
    fallback language; raise MissingTexts listing every text any edition needs and the input
    lacks."""
    fallbacks: list[Gap] = []
    documents = list(make_each(loaded, wanted, templates, paper, fallback, fallbacks))
    return documents, build_warnings(loaded, fallbacks, fallback)


def make_each(loaded: LoadedMeeting, wanted: list[Edition], templates: Path,
              paper: str | None = None, fallback: str | None = None,
              fallbacks: list[Gap] | None = None) -> Iterator[tuple[Edition, Document]]:
    """Yield each edition's finished document as soon as it is made, adding to fallbacks the
    texts printed in the fallback language; after the last, raise MissingTexts listing every
    text any edition needs and the input lacks."""
    missing = []
    for edition in wanted:
        try:
            document, used = make_document(loaded, edition, templates, paper, fallback)
        except MissingTexts as error:
            missing += error.gaps
            continue
        if fallbacks is not None:
            fallbacks += used
        yield edition, document
    if missing:
        raise MissingTexts.of(loaded, missing)


def build_warnings(loaded: LoadedMeeting, fallbacks: list[Gap], fallback: str | None
                   ) -> list[Problem]:
    """Return a warning for each text printed in the fallback language (once each) and for
    what meeting_warnings finds in the meeting."""
    warnings = [loaded.source.problem(gap.path, (
        f"warning: no {language_name(gap.language)} ({gap.language}) text; printed the "
        f"{language_name(fallback)} one instead, marked with a note")) for gap in dict.fromkeys(fallbacks)]
    warnings += [loaded.source.problem(path, message)
                 for path, message in meeting_warnings(loaded.meeting)]
    return warnings


def build_outputs(loaded: LoadedMeeting, wanted: list[Edition], formats: list[str], out: Path,
                  templates: Path, paper: str | None = None, fallback: str | None = None,
                  pdfa: str = PDFA_LEVELS[0], render: Callable[..., dict[str, bytes]] | None = None,
                  progress: Callable[[Edition], None] | None = None,
                  engine: str | None = None, pdfua: bool = False,
                  writers: Writers | None = None) -> tuple[list[Output], list[Problem]]:
    """Return every file of the build, rendered in memory (nothing is written yet) with its
    manifest entry, and the warnings of make_documents; raise MissingTexts as it does.
    render stands in for render_formats (a watcher's memo); progress is called with each
    edition once its files are rendered. engine names the PDF engine (None: the meeting
    file's pdf_engine); pdfua=True tags the PDFs (typst only). writers are the worker
    processes that render the files (None: this process renders them)."""
    engine = pdf_engine_of(loaded, engine)
    if "pdf" in formats or pdfua:
        check_engine(loaded, wanted, engine, pdfua)
    fallbacks: list[Gap] = []
    made: list[tuple[Edition, Release]] = []

    def stamped() -> Iterator[Document]:
        """Yield each document as it is made, marked with its status."""
        for edition, document in make_each(loaded, wanted, templates, paper, fallback, fallbacks):
            made.append((edition, release(loaded.meeting, edition.document)))
            yield replace(document, metadata=replace(document.metadata, keywords=(
                f"{STATUS_MARK}{made[-1][1].status}", *document.metadata.keywords)))

    if render is not None:
        documents = list(stamped())
        renders = (render(document, formats, pdfa, engine, pdfua) for document in documents)
    else:  # the workers write each document while the next is made
        documents, renders = (writers or Writers()).render(stamped(), formats, pdfa, engine, pdfua)
    warnings = build_warnings(loaded, fallbacks, fallback)
    if "pdf" in formats:  # an annex PDF whose pages PDF/A forbids is an input problem
        check_archival_annexes(loaded, documents, pdfa)
    if "pdf" in formats and engine == "reportlab":  # Arabic or Chinese would be wrong
        from .pdf_scripts import check_pdf_scripts

        check_pdf_scripts(loaded, [(edition, document)
                                   for (edition, _), document in zip(made, documents)])
    outputs = []
    for (edition, released), rendered in zip(made, renders):
        for fmt in formats:
            data = rendered[fmt]
            entry = Entry(
                sha256=sha256(data), size=len(data), document=edition.document,
                languages=edition.languages, version=released.version, status=released.status,
                input_file=_printable(Path(loaded.source.name).name), input_sha256=sha256(loaded.source.raw),
                chancery=__version__, built_at=build_time(loaded).strftime("%Y-%m-%dT%H:%M:%SZ"),
                pdfa=pdfa if fmt == "pdf" else None)
            path = out / loaded.meeting.id / file_name(edition, released.version, fmt)
            outputs.append(Output(path, data, entry, released.field))
        if progress is not None:
            progress(edition)
    return outputs, warnings


def rebuild(file: str | Path, out: Path, documents: list[str] | None = None,
            languages: list[tuple[str, ...]] | None = None, formats: list[str] | None = None,
            templates: Path | None = None, paper: str | None = None, fallback: str | None = None,
            pdfa: str = PDFA_LEVELS[0], replace_draft: bool = False,
            engine: str | None = None, pdfua: bool = False,
            ) -> tuple[list[Step], list[Problem], list[str]]:
    """Return the archive steps, the warnings and the recovery notes of building one meeting
    file into the out folder inside this process, as `chancery build` does: what a watcher
    calls after each save. What a process makes once (imported modules, compiled templates,
    fonts, collation and hyphenation tables) is reused; the meeting file, the templates and
    their catalogs are read again, so an edit to any of them shows. documents=None builds
    every document the file has data for, languages=None each in its languages, formats=None
    both formats; engine and pdfua as build_outputs. Raise InputError, TemplateError or ArchiveError as a build does, before
    anything is written."""
    from .archive import archive_outputs
    from .inputs import load_meeting
    from .templating import default_templates

    loaded = load_meeting(str(file))
    wanted = requested_editions(loaded, documents, languages)
    folder = templates or default_templates()
    if not (folder / "agenda.xml.j2").is_file():
        raise TemplateError(f"{folder}: holds no chancery templates")
    outputs, warnings = build_outputs(loaded, wanted, list(formats or FORMATS), out, folder,
                                      paper, fallback, pdfa, engine=engine, pdfua=pdfua)
    steps, notes = archive_outputs(outputs, replace_draft)
    return steps, warnings, notes
