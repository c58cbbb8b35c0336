"""DOCX in real clients: every DOCX passes openxml-audit's schema check, and LibreOffice renders
the examples' DOCX files with the model's text, the embedded fonts, live page numbers, whole rows
and signature blocks, and as many pages as chancery's own PDF (a side-by-side edition one more).

LibreOffice (`soffice`) is an outside tool: without it these tests skip, unless the environment
variable CHANCERY_REQUIRE_TOOLS is set (CI sets it), when they fail.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.build import Edition, available_documents, editions, make_document
from generator.document import (
    Contents, Document, PageBreak, Parallel, Part, SignatureBlock, Signatures, Table, block_lines,
    document_lines,
)
from generator.inputs import load_meeting
from generator.rendering import render_formats
from generator.templating import default_templates
from tests import tools
from tests.meetings import large_meeting
from tests.readback import (
    body_pages, find_in_order, furniture, pdf_columns, pdf_heading_pages, pdf_pages, squeeze,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = tools.reportlab_examples(ROOT)
"""The examples whose DOCX files LibreOffice renders (the Arabic and Chinese ones: test_scripts)."""
SOURCES = [*sorted((ROOT / "inputs").glob("*.yaml")), *sorted((ROOT / "tests" / "cases").glob("*/input.yaml"))]
"""Every example input: the DOCX of each of their default editions is schema-checked."""

LARGE = ("large", "agenda-en")
"""A generated agenda long enough that its tables run over pages, rendered with the examples."""

SIDE_BY_SIDE_EXTRA_PAGES = 1
"""How many more pages LibreOffice may give a side-by-side edition than chancery's PDF; every
edition in one language must have exactly as many.

Measured with LibreOffice 7.4 and its hyphenation dictionaries (which CI installs): the
examples' 13 editions in one language have as many pages as chancery's PDF; both side-by-side
protocols have one more (3 against 2), because LibreOffice sets each row of signature blocks
4.2 pt taller than the PDF does (77.9 pt apart against 73.7 pt: `pdftotext -bbox` on page 2),
so the last of ten rows goes over to a new page.
"""

SOFFICE_TIMEOUT = 300
"""Seconds the one LibreOffice run may take (about 3 s here for 13 files)."""


def missing_tool(tool: str, purpose: str) -> None:
    """Skip the test, or fail it when CHANCERY_REQUIRE_TOOLS is set, for a tool not installed."""
    tools.missing_tool(f"{tool} is not installed (not found on PATH); it is needed to {purpose}")


def editions_of(sources: list[Path]):
    """Yield (meeting id, edition stem), loaded meeting and edition for every default edition."""
    for source in sources:
        loaded = load_meeting(str(source))
        for edition in editions(loaded, available_documents(loaded)):
            yield (loaded.meeting.id, edition.stem), loaded, edition


def param(key: tuple[str, str]):
    """Return the test parameter of a document, named after it."""
    return pytest.param(key, id="-".join(key))


LANGUAGES = {key: len(edition.languages) for key, _, edition in editions_of(SOURCES)}
"""How many languages each default edition of every example has."""
TABLES = {key: edition.document in ("agenda", "agenda-pack", "briefing") or (
    key[1].startswith("action-plan-") and "+" not in key[1])
    for key, _, edition in editions_of(SOURCES)}
"""Whether each default edition of every example has a table at its top level: the agendas and
briefing packs, and the 4th Solmera example's action plan, in one language (side by side, a
table sits inside a parallel row). A list of participants is a list, not a table."""
ALL = [param(key) for key in LANGUAGES]
EXAMPLE_IDS = {load_meeting(str(source)).meeting.id for source in EXAMPLES}
RENDERED = [param(key) for key in LANGUAGES if key[0] in EXAMPLE_IDS]
SINGLE = [key for key in RENDERED if LANGUAGES[key.values[0]] == 1]
SIDE_BY_SIDE = [key for key in RENDERED if LANGUAGES[key.values[0]] > 1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], tuple[Document, bytes, bytes]]:
    """Return {(meeting id, edition stem): (model, DOCX bytes, PDF bytes)} for every default
    edition of every example, and for the large agenda, made through the library."""
    documents = {}
    for key, loaded, edition in editions_of(SOURCES):
        document = make_document(loaded, edition, default_templates())[0]
        rendered = render_formats(document, ["docx", "pdf"])
        documents[key] = document, rendered["docx"], rendered["pdf"]
    source = tmp_path_factory.mktemp("large") / "large.yaml"
    source.write_text(yaml.safe_dump(large_meeting(participants=60, items=60, paragraphs=5),
                                     allow_unicode=True), encoding="utf-8")
    document = make_document(load_meeting(str(source)), Edition("agenda", ("en",)),
                             default_templates())[0]
    rendered = render_formats(document, ["docx", "pdf"])
    documents[LARGE] = document, rendered["docx"], rendered["pdf"]
    return documents


# --- openxml-audit ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def validator():
    """One validator for every file: making one loads the schemas."""
    from openxml_audit import OpenXmlValidator

    return OpenXmlValidator()


def schema_errors(validator, path: Path) -> list[str]:
    """Return openxml-audit's schema errors for a file (its semantic warnings do not count)."""
    from openxml_audit import ValidationErrorType

    return [str(error) for error in validator.validate(path).errors
            if error.error_type is ValidationErrorType.SCHEMA]


@pytest.mark.parametrize("key", ALL)
def test_docx_has_no_schema_errors(built, validator, tmp_path, key):
    """About 0.2 s a file with openxml-audit 0.8's one validator."""
    path = tmp_path / f"{key[1]}.docx"
    path.write_bytes(built[key][1])
    assert schema_errors(validator, path) == []


def test_schema_check_finds_an_element_out_of_place(built, validator, tmp_path):
    """The check can fail: a paragraph's w:bidi after its w:ind is a schema error (FACTS.md)."""
    data = built["almaty-process-8th-som", "protocol-en"][1]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = {name: package.read(name) for name in package.namelist()}
    body = members["word/document.xml"].decode()
    broken, count = re.subn(r"(<w:ind [^>]*/>)", r"\1<w:bidi/>", body, count=1)
    assert count == 1
    members["word/document.xml"] = broken.encode()
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as package:
        for name, content in members.items():
            package.writestr(name, content)
    assert any("bidi" in error for error in schema_errors(validator, path))


# --- LibreOffice -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def libreoffice(built, tmp_path_factory) -> dict[tuple[str, str], bytes] | None:
    """Convert the DOCX of every edition of the examples in inputs/, and the large agenda, to
    PDF with LibreOffice in one run, with a private profile; return {key: PDF bytes}, or None
    when soffice is not installed (each test then skips or fails)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    folder = tmp_path_factory.mktemp("libreoffice")
    keys = [key.values[0] for key in RENDERED] + [LARGE]
    names = {key: f"{key[0]}__{key[1]}" for key in keys}
    for key in keys:
        (folder / f"{names[key]}.docx").write_bytes(built[key][1])
    out = folder / "pdf"
    command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(out),
               *(str(folder / f"{names[key]}.docx") for key in keys)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
    assert result.returncode == 0, result.stderr
    missing = [names[key] for key in keys if not (out / f"{names[key]}.pdf").is_file()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}: {result.stdout}{result.stderr}"
    return {key: (out / f"{names[key]}.pdf").read_bytes() for key in keys}


def converted(libreoffice: dict | None) -> dict[tuple[str, str], bytes]:
    """Return LibreOffice's PDFs; skip or fail the test when soffice is missing."""
    if libreoffice is None:
        missing_tool("soffice", "render the DOCX files in LibreOffice")
    return libreoffice


LEADER = re.compile(r"\.{3,}(\d+)")
"""A contents line's tab leader (dots) and its page number."""


def unexplained(text: str, lines: list[str]) -> str:
    """Return the text left when every line is taken out of it, longest first (a line may
    repeat, as a table's header row on each page)."""
    for line in sorted(set(lines), key=len, reverse=True):
        text = text.replace(line, "")
    return text


@pytest.mark.parametrize("key", RENDERED)
def test_libreoffice_page_count_is_chancery_s(built, libreoffice, key):
    from pypdf import PdfReader

    pdf = converted(libreoffice)[key]
    ours = len(PdfReader(io.BytesIO(built[key][2])).pages)
    theirs = len(PdfReader(io.BytesIO(pdf)).pages)
    extra = SIDE_BY_SIDE_EXTRA_PAGES if LANGUAGES[key] > 1 else 0
    assert ours <= theirs <= ours + extra, f"LibreOffice {theirs} pages, chancery {ours}"


@pytest.mark.parametrize("key", SINGLE)
def test_libreoffice_prints_the_model_text_in_order(built, libreoffice, key):
    """Every line of the model, in order, and no other text but the page furniture (anywhere
    on its page), list bullets and the dot leaders and page numbers of contents lines, which
    are chancery's PDF's page numbers."""
    document = built[key][0]
    text = "".join(body_pages(document, pdf_pages(converted(libreoffice)[key])))
    pages = pdf_heading_pages(built[key][2])
    assert LEADER.findall(text) == [str(pages[entry.anchor]) for block in document.blocks
                                    if isinstance(block, Contents) for entry in block.entries]
    text = LEADER.sub("", text)
    lines = [squeeze(line) for line in document_lines(document) if squeeze(line)]
    assert find_in_order(text, lines) == []
    assert unexplained(text, lines) == "", "text that is not the model's"


@pytest.mark.parametrize("key", SIDE_BY_SIDE)
def test_libreoffice_prints_each_column_in_order(built, libreoffice, key):
    """A row that breaks over a page interleaves the columns in the page text: read each column
    (the body between the margins, left or right half of the page) on its own."""
    document = built[key][0]
    rows = [block for block in document.blocks if isinstance(block, Parallel | Signatures)]
    assert len(rows) == len([block for block in document.blocks
                             if not isinstance(block, PageBreak)]), (
        "a side-by-side edition is made of parallel rows, signature grids, and page breaks")
    count = len(rows[0].languages)
    columns = pdf_columns(converted(libreoffice)[key], count, document.house)
    for number, pages in enumerate(columns):  # a grid's blocks fill its columns in turn
        text = "".join(squeeze(page) for page in pages)
        lines = [squeeze(line) for row in rows
                 for inner in (row.cells[number].blocks if isinstance(row, Parallel)
                               else row.blocks[number::row.columns] if count == row.columns else ())
                 for line in block_lines(inner) if squeeze(line)]
        assert find_in_order(text, lines) == [], rows[0].languages[number]
        assert unexplained(text, lines) == "", rows[0].languages[number]


@pytest.mark.parametrize("key", RENDERED)
def test_libreoffice_prints_the_furniture_and_live_page_numbers(built, libreoffice, key):
    """Header, marking and classification on every page, and the PAGE and NUMPAGES fields show
    the page's number and the page count."""
    document = built[key][0]
    pages = [squeeze(page) for page in pdf_pages(converted(libreoffice)[key])]
    for number, page in enumerate(pages, 1):
        for piece in furniture(document, number, len(pages)):
            assert page.count(piece) >= furniture(document, number, len(pages)).count(piece), (
                number, piece)


MAIL_SIZE = 150_000
"""The most bytes an example's DOCX may take: small enough to e-mail (a 2-page agenda)."""


@pytest.mark.parametrize("key", RENDERED)
def test_docx_files_embed_font_subsets_small_enough_to_email(built, key):
    """Each embedded face holds the characters the document shows, not the whole family: the
    file is under MAIL_SIZE besides the house style's emblem (the secretariat's own artwork)."""
    from generator.fonts import face_bytes

    data = built[key][1]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        fonts = [archive.read(name) for name in archive.namelist() if name.endswith(".odttf")]
        artwork = sum(entry.compress_size for entry in archive.infolist()
                      if entry.filename.startswith("word/media/"))
    assert len(data) - artwork < MAIL_SIZE, (len(data), artwork)
    assert fonts
    for font in fonts:  # a subset: the shipped face is about 500 KB
        assert len(font) < len(face_bytes("regular")) / 4


@pytest.mark.parametrize("key", [*RENDERED, param(LARGE)])
def test_libreoffice_uses_the_embedded_fonts(built, libreoffice, key):
    """Every font in LibreOffice's PDF is an embedded face of Noto Serif, the same faces as in
    chancery's PDF: LibreOffice took them from the DOCX (the system has none, or others)."""
    from pypdf import PdfReader

    def faces(data: bytes) -> set[str]:
        found = set()
        for page in PdfReader(io.BytesIO(data)).pages:
            for font in page["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                name = str(font["/BaseFont"]).split("+")[-1]
                descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                              if "/DescendantFonts" in font else font.get("/FontDescriptor"))
                assert descriptor is not None and "/FontFile2" in descriptor.get_object(), name
                found.add(name)
        return found

    theirs = faces(converted(libreoffice)[key])
    assert theirs and all(name.startswith("NotoSerif") for name in theirs), theirs
    assert theirs == faces(built[key][2])


def signature_texts(document: Document) -> list[list[str]]:
    """Return the squeezed lines of each unit that must stay on one page: a signature block, or
    a side-by-side row holding signature blocks."""
    units = []
    for block in document.blocks:
        if isinstance(block, SignatureBlock):
            units.append(block_lines(block))
        elif isinstance(block, Signatures):
            units += [block_lines(inner) for inner in block.blocks]
        elif isinstance(block, Parallel) and any(
                isinstance(inner, SignatureBlock) for cell in block.cells for inner in cell.blocks):
            units.append(block_lines(block))
        elif isinstance(block, Part):
            units += signature_texts(Document(document.name, document.metadata, document.page,
                                              block.blocks))
    return [[squeeze(line) for line in unit if squeeze(line)] for unit in units]


@pytest.mark.parametrize("key", [key for key in RENDERED if "protocol" in key.values[0][1]])
def test_libreoffice_never_splits_a_signature_block(built, libreoffice, key):
    """Each signature block (a side-by-side row of them) reads whole on one page."""
    document = built[key][0]
    pages = body_pages(document, pdf_pages(converted(libreoffice)[key]))
    units = signature_texts(document)
    assert units
    for unit in units:
        assert any(find_in_order(page, unit) == [] for page in pages), unit


def table_pages(document: Document, pages: list[str]) -> list[tuple[str, set[int]]]:
    """Return, for each table of the document, its header row's squeezed text and the pages its
    body rows are on; fail if a body row is not whole on one page."""
    def text(row) -> str:
        return "".join(squeeze(line) for cell in row.cells for inner in cell.blocks
                       for line in block_lines(inner))

    result, page = [], 0
    for table in (block for block in document.blocks if isinstance(block, Table)):
        used = set()
        for row in (row for row in table.rows if not row.header):
            found = next((number for number in range(page, len(pages))
                          if text(row) in pages[number]), None)
            assert found is not None, f"a row split over pages, or missing: {text(row)[:80]}"
            page = found
            used.add(found)
        result.append(("".join(text(row) for row in table.rows if row.header), used))
    return result


@pytest.mark.parametrize("key", [*(key for key in RENDERED if TABLES[key.values[0]]),
                                 param(LARGE)])
def test_libreoffice_keeps_rows_whole_and_repeats_header_rows(built, libreoffice, key):
    """Each table row is on one page, and every page a table runs onto prints its header row."""
    document = built[key][0]
    pages = body_pages(document, pdf_pages(converted(libreoffice)[key]))
    tables = table_pages(document, pages)
    assert tables, "agendas, briefing packs and outcomes with a table have tables"
    for header, used in tables:
        assert header, "every table of the examples has a header row"
        for number in used:
            assert header in pages[number], (number + 1, header)
    if key == LARGE:
        assert any(len(used) > 1 for _, used in tables), "no table runs over pages"


@pytest.mark.parametrize("value, required", [
    (None, False), ("", False), ("0", False), ("false", False), ("no", False),
    ("1", True), ("true", True), ("yes", True), ("ON", True),
])
def test_a_missing_tool_skips_unless_tools_are_required(monkeypatch, value, required):
    """CI sets CHANCERY_REQUIRE_TOOLS=1: there a missing soffice fails, and is never skipped;
    CHANCERY_REQUIRE_TOOLS=0 asks for no tool."""
    if value is None:
        monkeypatch.delenv("CHANCERY_REQUIRE_TOOLS", raising=False)
    else:
        monkeypatch.setenv("CHANCERY_REQUIRE_TOOLS", value)
    expected = (pytest.fail.Exception, "CHANCERY_REQUIRE_TOOLS is set") if required else (
        pytest.skip.Exception, "soffice is not installed")
    with pytest.raises(expected[0], match=expected[1]):
        missing_tool("soffice", "render")


def test_an_unclear_tool_requirement_is_refused(monkeypatch):
    monkeypatch.setenv("CHANCERY_REQUIRE_TOOLS", "maybe")
    with pytest.raises(pytest.UsageError, match="say 1"):
        tools.tools_required()
