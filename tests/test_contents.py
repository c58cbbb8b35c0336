"""Contents and bookmarks: the PDF's contents print the pages where the headings really are,
its outline follows the contents, and the DOCX's contents are a TOC field whose written-out
result has the PDF's entries and page numbers, each a link to its heading's bookmark."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import pytest
import yaml

from generator.build import Edition, make_document
from generator.document import (
    Contents, ContentsEntry, Document, Heading, Paragraph, Part, Run,
)
from generator.document import HouseStyle
from generator.inputs import load_meeting
from generator.rendering import render_formats
from generator.stylesheet import MM, house_specs, margins
from generator.templating import default_templates
from generator.transforms import fill_pages, has_contents
from tests.meetings import large_meeting
from tests.readback import pdf_heading_pages, squeeze

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(path for path in (ROOT / "inputs").glob("*.yaml")
                  if "\nbriefing:" in path.read_text(encoding="utf-8"))
"""The examples that have a briefing pack, whose contents these tests read."""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TOC = 'TOC \\o "1-2" \\h \\z \\u'
"""The instruction of the DOCX's contents field."""
LARGE = "large"
"""The generated briefing pack: few participants, many agenda items, so many headings that
the contents run over several pages."""


def large_source(folder: Path) -> Path:
    source = folder / "large.yaml"
    source.write_text(yaml.safe_dump(large_meeting(participants=8, items=60, paragraphs=1),
                                     allow_unicode=True), encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> dict[str, tuple[Document, bytes, bytes]]:
    """Return {name: (model, PDF, DOCX)} for the briefing pack of every example and the large
    generated one, built in both formats as a build does (the PDF is PDF/A-2b)."""
    sources = {path.stem: path for path in EXAMPLES}
    sources[LARGE] = large_source(tmp_path_factory.mktemp("large"))
    result = {}
    for name, source in sources.items():
        loaded = load_meeting(str(source))
        language = (loaded.meeting.briefing.languages or loaded.meeting.languages)[0]
        document = make_document(loaded, Edition("briefing", (language,)), default_templates())[0]
        files = render_formats(document, ["pdf", "docx"])
        result[name] = document, files["pdf"], files["docx"]
    return result


PACKS = [*(path.stem for path in EXAMPLES), LARGE]


def entries_of(document: Document) -> list[ContentsEntry]:
    [contents] = [block for block in document.blocks if isinstance(block, Contents)]
    assert contents.entries, "a briefing pack has contents"
    return list(contents.entries)


# --- reading the PDF back --------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """A piece of text drawn on a page."""

    text: str
    x: float
    """Left end of the text, in pt from the page's left edge."""
    y: float
    """Baseline, in pt from the page's bottom edge."""
    size: float
    """Font size, in pt."""


def pieces(page) -> list[Piece]:
    """Return every piece of text drawn on a pypdf page."""
    found = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            x, y = tm[4], tm[5]
            found.append(Piece(text.strip(), x * cm[0] + y * cm[2] + cm[4],
                               x * cm[1] + y * cm[3] + cm[5],
                               size * max(abs(tm[0]), abs(tm[3])) * max(abs(cm[0]), abs(cm[3]))))

    page.extract_text(visitor_text=visit)
    return found


@dataclass(frozen=True)
class PrintedLine:
    """A contents line as the PDF prints it."""

    text: str
    """The line's text, whitespace and hyphens removed."""
    page: int
    """The page number it prints."""
    on_page: int
    """The page (1 is the first) the line itself is on."""


def printed_contents(reader) -> list[PrintedLine]:
    """Return the lines of the PDF's contents in order: each is the box of a link annotation
    (the PDF links only contents lines), its text what is drawn in the box left of the page
    number column, its page number the digits drawn in that column."""
    lines = []
    for number, page in enumerate(reader.pages, 1):
        links = [annotation.get_object() for annotation in page.get("/Annots", [])]
        links = [link for link in links if link["/Subtype"] == "/Link"]
        if not links:
            continue
        drawn = pieces(page)
        for link in links:
            left, bottom, right, top = (float(value) for value in link["/Rect"])
            inside = sorted((piece for piece in drawn
                             if left - 1 <= piece.x <= right and bottom - 1 <= piece.y <= top),
                            key=lambda piece: (-round(piece.y, 1), piece.x))
            column = right - 15 * MM - 1  # the page number column (stylesheet.CONTENTS_PAGE_COLUMN)
            numbers = [piece.text for piece in inside if piece.x >= column]
            assert len(numbers) == 1 and numbers[0].isdigit(), (number, numbers)
            text = squeeze("".join(piece.text for piece in inside if piece.x < column))
            lines.append(PrintedLine(text, int(numbers[0]), number))
    return lines


def heading_pages(reader, entries: list[ContentsEntry], skip: set[int],
                  house: HouseStyle = HouseStyle()) -> list[int]:
    """Return the page (1 is the first) of each entry's heading, found in order in the text
    that pages not in skip (the cover and the contents) print in heading sizes, within the
    margins (no running header), in the house style's sizes and margins."""
    smallest = house_specs(house)["Heading 2"].size
    top, _, bottom, _ = margins(house)
    text, starts = "", []
    for number, page in enumerate(reader.pages, 1):
        starts.append((len(text), number))
        if number in skip:
            continue
        height = float(page.mediabox.height)
        text += squeeze("".join(piece.text for piece in pieces(page)
                                if piece.size >= smallest - 0.01
                                and bottom - 1 < piece.y < height - top + 1))
    result, position = [], 0
    for entry in entries:
        found = text.find(squeeze(entry.text), position)
        assert found >= 0, f"heading {entry.text!r} not found after the contents"
        result.append(max(page for start, page in starts if start <= found))
        position = found + len(squeeze(entry.text))
    return result


# --- PDF -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PACKS)
def test_pdf_contents_print_the_page_where_each_heading_is(packs, name):
    from pypdf import PdfReader

    document, pdf, _ = packs[name]
    entries = entries_of(document)
    reader = PdfReader(io.BytesIO(pdf))
    printed = printed_contents(reader)
    assert [line.text for line in printed] == [squeeze(entry.text) for entry in entries]
    contents_pages = {line.on_page for line in printed}
    real = heading_pages(reader, entries, set(range(1, max(contents_pages) + 1)), document.house)
    assert [line.page for line in printed] == real
    destinations = pdf_heading_pages(pdf)
    assert [destinations[entry.anchor] for entry in entries] == real
    assert len(set(real)) >= 5, "the headings are on many pages"
    assert min(real) > max(contents_pages)
    if name == LARGE:
        assert len(contents_pages) >= 3, "the large pack's contents run over several pages"


@pytest.mark.parametrize("name", PACKS)
def test_pdf_outline_matches_the_contents(packs, name):
    """Titles, order, levels and pages; the outline also holds the level 3 headings the
    contents leave out."""
    from pypdf import PdfReader

    document, pdf, _ = packs[name]
    reader = PdfReader(io.BytesIO(pdf))

    def flat(outline, level: int = 1):
        for item in outline:
            if isinstance(item, list):
                yield from flat(item, level + 1)
            else:
                yield item.title, level, reader.get_destination_page_number(item) + 1

    bookmarks = [mark for mark in flat(reader.outline) if mark[1] <= 2]
    pages = [line.page for line in printed_contents(reader)]
    assert bookmarks == [(entry.text, entry.level, page)
                         for entry, page in zip(entries_of(document), pages, strict=True)]


# --- DOCX ------------------------------------------------------------------------------------

@dataclass
class Field:
    """A complex field of a DOCX body."""

    instruction: str = ""
    paragraphs: list = dataclass_field(default_factory=list)
    """The w:p elements it is in, from the one with its start to the one with its end."""
    links: list = dataclass_field(default_factory=list)
    """The w:hyperlink elements in its result, in order."""
    separated: bool = False
    """Its result has begun."""


def fields(body) -> list[Field]:
    """Return every complex field of a w:body in order of their starts, nested ones too."""
    found: list[Field] = []
    open_fields: list[Field] = []
    paragraph = None
    for element in body.iter():
        if element.tag == f"{W}p":
            paragraph = element
            for field in open_fields:
                field.paragraphs.append(paragraph)
        elif element.tag == f"{W}fldChar":
            kind = element.get(f"{W}fldCharType")
            if kind == "begin":
                open_fields.append(Field(paragraphs=[paragraph]))
                found.append(open_fields[-1])
            elif kind == "separate":
                open_fields[-1].separated = True
            elif kind == "end":
                open_fields.pop()
        elif element.tag == f"{W}instrText":
            open_fields[-1].instruction += element.text or ""
        elif element.tag == f"{W}hyperlink":
            for field in open_fields:
                if field.separated:
                    field.links.append(element)
    assert not open_fields, "a field is never ended"
    for field in found:
        field.instruction = field.instruction.strip()
    return found


def document_xml(docx: bytes):
    from lxml import etree

    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))


def toc_fields(docx: bytes) -> list[Field]:
    return [field for field in fields(document_xml(docx).find(f"{W}body"))
            if field.instruction.split()[:1] == ["TOC"]]


def link_text(link) -> str:
    """Return a w:hyperlink's text, a w:tab as a tab."""
    return "".join("\t" if node.tag == f"{W}tab" else node.text or ""
                   for node in link.iter(f"{W}t", f"{W}tab"))


@pytest.mark.parametrize("name", PACKS)
def test_docx_has_one_toc_field_whose_result_is_the_pdf_s_contents(packs, name):
    from pypdf import PdfReader

    document, pdf, docx = packs[name]
    [field] = toc_fields(docx)
    assert field.instruction == TOC
    printed = printed_contents(PdfReader(io.BytesIO(pdf)))
    entries = [link_text(link).split("\t") for link in field.links]
    assert [(text, int(page)) for text, page in entries] == [
        (entry.text, line.page) for entry, line in zip(entries_of(document), printed, strict=True)]
    assert len(field.paragraphs) == len(entries), "one paragraph per entry, nothing else"
    for paragraph in field.paragraphs:  # a right tab with a dot leader at the right margin
        [tab] = paragraph.findall(f"{W}pPr/{W}tabs/{W}tab")
        assert (tab.get(f"{W}val"), tab.get(f"{W}leader")) == ("right", "dot")


@pytest.mark.parametrize("name", PACKS)
def test_docx_contents_entries_link_to_the_bookmarks_of_their_headings(packs, name):
    import docx as python_docx

    document, _, data = packs[name]
    word = python_docx.Document(io.BytesIO(data))
    marks = {}
    for paragraph in word.paragraphs:
        for mark in paragraph._p.iter(f"{W}bookmarkStart"):
            marks[mark.get(f"{W}name")] = paragraph
    [field] = toc_fields(data)
    for link, entry in zip(field.links, entries_of(document), strict=True):
        heading = marks[link.get(f"{W}anchor")]
        assert heading.text == entry.text
        assert heading.style.name == f"Heading {entry.level}"
    links = [link for paragraph in word.paragraphs for link in paragraph.hyperlinks]
    assert [link.fragment for link in links] == [link.get(f"{W}anchor") for link in field.links]
    assert [link.text.split("\t")[0] for link in links] == [entry.text
                                                           for entry in entries_of(document)]


def test_docx_heading_styles_carry_the_outline_levels_the_field_reads(packs):
    import docx as python_docx

    word = python_docx.Document(io.BytesIO(packs[EXAMPLES[0].stem][2]))
    for level in (1, 2, 3):
        outline = word.styles[f"Heading {level}"].element.find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and outline.get(f"{W}val") == str(level - 1)


def test_docx_only_build_lays_out_the_pdf_for_the_page_numbers(packs):
    document, _, docx = packs[EXAMPLES[0].stem]
    assert render_formats(document, ["docx"])["docx"] == docx
    assert render_formats(document, ["docx", "pdf"], pdfa="none")["docx"] == docx


def test_docx_without_pages_writes_the_entries_without_numbers():
    """Straight from the writer, a contents list whose entries have no page yet."""
    from generator.writers.docx import render_docx

    document, _, _ = sample()
    [field] = toc_fields(render_docx(document))
    assert field.instruction == TOC
    assert [link_text(link) for link in field.links] == ["Alpha", "Beta"]


def test_pages_fill_every_contents_list_and_only_known_anchors():
    document, alpha, beta = sample()
    assert has_contents(document)
    filled = fill_pages(document, {"alpha": 3})
    [contents] = [block for block in filled.blocks if isinstance(block, Contents)]
    assert [entry.page for entry in contents.entries] == [3, None]
    consecutive = Document(document.name, document.metadata, document.page,
                           (Part(document.blocks, "en"),))
    inner = fill_pages(consecutive, {"alpha": 3, "beta": 4}).blocks[0].blocks
    assert [entry.page for block in inner if isinstance(block, Contents)
            for entry in block.entries] == [3, 4]
    assert not has_contents(Document(document.name, document.metadata, document.page,
                                     (Contents(()), alpha, beta)))


def sample() -> tuple[Document, Heading, Heading]:
    from tests.sample_document import sample_document

    alpha = Heading((Run("Alpha"),), 1, "alpha")
    beta = Heading((Run("Beta"),), 2, "beta")
    base = sample_document(rows=1)
    blocks = (Paragraph((Run("Contents"),), "Title"),
              Contents((ContentsEntry("Alpha", 1, "alpha"), ContentsEntry("Beta", 2, "beta"))),
              alpha, beta)
    return Document(base.name, base.metadata, base.page, blocks), alpha, beta


# --- a consecutive edition: one contents list per language -----------------------------------

@pytest.fixture(scope="module")
def consecutive(tmp_path_factory) -> tuple[Document, bytes, bytes]:
    """Return the model, PDF and DOCX of the first example's briefing pack in English, then
    Russian (English texts where Russian ones are missing)."""
    source = EXAMPLES[0]
    path = tmp_path_factory.mktemp("consecutive") / source.name
    path.write_text(source.read_text(encoding="utf-8").replace("  languages: [en]\n", ""),
                    encoding="utf-8")
    document = make_document(load_meeting(str(path)), Edition("briefing", ("en", "ru")),
                             default_templates(), fallback="en")[0]
    files = render_formats(document, ["pdf", "docx"], pdfa="none")
    return document, files["pdf"], files["docx"]


def test_consecutive_pack_limits_each_toc_field_to_its_language(consecutive):
    """Each language's field lists only the headings of its part: it names a bookmark around
    the part; its written-out entries have the PDF's page numbers."""
    from generator.writers.docx_xml import bookmark_name

    document, pdf, docx = consecutive
    parts = [block for block in document.blocks if isinstance(block, Part)]
    assert [part.language for part in parts] == ["en", "ru"]
    pages = pdf_heading_pages(pdf)
    body = document_xml(docx).find(f"{W}body")
    toc = [field for field in fields(body) if field.instruction.split()[:1] == ["TOC"]]
    children = list(body)
    scopes = []
    for field, part in zip(toc, parts, strict=True):
        match = re.fullmatch(re.escape(TOC) + r" \\b (\S+)", field.instruction)
        assert match, field.instruction
        [start] = [mark for mark in body.iter(f"{W}bookmarkStart")
                   if mark.get(f"{W}name") == match[1]]
        [end] = [mark for mark in body.iter(f"{W}bookmarkEnd")
                 if mark.get(f"{W}id") == start.get(f"{W}id")]
        inside = children[children.index(start):children.index(end)]
        marks = {mark.get(f"{W}name") for element in inside
                 for mark in element.iter(f"{W}bookmarkStart")}
        headings = {bookmark_name(block.anchor) for block in part.blocks
                    if isinstance(block, Heading)}
        assert headings and headings == marks - {match[1]}, "the part's headings, no others"
        [contents] = [block for block in part.blocks if isinstance(block, Contents)]
        assert [link_text(link) for link in field.links] == [
            f"{entry.text}\t{pages[entry.anchor]}" for entry in contents.entries]
        scopes.append(match[1])
    assert len(set(scopes)) == 2


# --- schema ----------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["large", "consecutive"])
def test_docx_has_no_schema_errors(packs, consecutive, tmp_path, which):
    from openxml_audit import OpenXmlValidator, ValidationErrorType

    path = tmp_path / f"{which}.docx"
    path.write_bytes(packs[LARGE][2] if which == "large" else consecutive[2])
    errors = [str(error) for error in OpenXmlValidator().validate(path).errors
              if error.error_type is ValidationErrorType.SCHEMA]
    assert errors == []
