"""End to end: build every example, read each DOCX and PDF back, compare with the model."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from generator.build import (
    Edition, available_documents, document_languages, editions, file_name, make_document, release,
)
from generator.cli import main
from generator.document import (
    Annex, Contents, PageBreak, Parallel, Part, Signatures, Table, block_lines, document_lines,
    signature_blocks,
)
from generator.inputs import load_meeting
from generator.rendering import render_formats
from generator.templating import default_templates
from generator.transforms import fill_pages
from tests import tools
from tests.meetings import large_meeting
from tests.readback import (
    body_pages, docx_lines, find_in_order, normalize, pdf_columns, pdf_heading_pages, pdf_pages,
    squeeze,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*tools.reportlab_examples(ROOT),
           *sorted((ROOT / "tests" / "cases").glob("*/input.yaml"))]


def every_edition(loaded) -> list[Edition]:
    """Return the editions a default build writes, such as "protocol-en" and "protocol-en+ru",
    and each other document in all its languages together, such as "agenda-en+ru"."""
    result = editions(loaded, available_documents(loaded))
    for name in available_documents(loaded):
        together = Edition(name, tuple(document_languages(loaded, name)))
        if len(together.languages) > 1 and together not in result:
            result.append(together)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build every example once; return {(meeting id, edition): (model, docx bytes, pdf bytes)}
    for every edition of every_edition: those of a default build read from its files."""
    out = tmp_path_factory.mktemp("out")
    documents = {}
    for source in SOURCES:
        loaded = load_meeting(str(source))
        assert main(["build", str(source), "--out", str(out)]) == 0
        folder = out / loaded.meeting.id
        default = editions(loaded, available_documents(loaded))
        for edition in every_edition(loaded):
            document = make_document(loaded, edition, default_templates())[0]
            if edition in default:
                version = release(loaded.meeting, edition.document).version
                rendered = {fmt: (folder / file_name(edition, version, fmt)).read_bytes()
                            for fmt in ("docx", "pdf")}
            else:
                rendered = render_formats(document, ["docx", "pdf"])
            documents[loaded.meeting.id, edition.stem] = (
                document, rendered["docx"], rendered["pdf"])
    return documents


ENGINES = ("reportlab", "typst")
"""The PDF engines whose PDFs the tests read back."""


@pytest.fixture(scope="module")
def typst_pdfs(built):
    """Return {(meeting id, edition): PDF/A-2b bytes} of every edition set by the typst engine."""
    return {key: render_formats(document, ["pdf"], engine="typst")["pdf"]
            for key, (document, _, _) in built.items()}


def pdf_of(built, typst_pdfs, engine: str, key) -> bytes:
    """Return the PDF of an edition set by the engine."""
    return built[key][2] if engine == "reportlab" else typst_pdfs[key]


def each_edition():
    """Yield the test parameter of each edition of each example, and whether it is in one
    language and whether it sets its languages side by side."""
    for source in SOURCES:
        loaded = load_meeting(str(source))
        for edition in every_edition(loaded):
            document = make_document(loaded, edition, default_templates())[0]
            side_by_side = any(isinstance(block, Parallel) for block in document.blocks)
            yield (pytest.param((loaded.meeting.id, edition.stem),
                                id=f"{loaded.meeting.id}-{edition.stem}"),
                   len(edition.languages) == 1, side_by_side)


EDITIONS = list(each_edition())
DOCUMENTS = [key for key, _, _ in EDITIONS]
SEQUENTIAL = [key for key, _, side_by_side in EDITIONS if not side_by_side]
"""Editions whose PDF text reads in the model's order: all but those set side by side."""
SIDE_BY_SIDE = [key for key, _, side_by_side in EDITIONS if side_by_side]
SINGLE = [key for key, single, _ in EDITIONS if single]
"""Editions in one language."""


def squeezed_lines(blocks) -> str:
    """Return the text the blocks print, squeezed (whitespace and hyphens removed)."""
    return "".join(squeeze(line) for block in blocks for line in block_lines(block))


def nested(blocks):
    """Yield each block and every block inside it (parts, table and parallel cells), in order."""
    for block in blocks:
        yield block
        inner = [cell for row in getattr(block, "rows", ()) for cell in row.cells]
        inner += list(getattr(block, "cells", ()))
        yield from nested(getattr(block, "blocks", ()))
        for cell in inner:
            yield from nested(cell.blocks)


def header_rows(document) -> list[str]:
    """Return the squeezed text of each table header row in the document, longest first: a
    table's header rows print again at the top of each page the table continues on."""
    rows = {"".join(squeeze(line) for cell in row.cells for inner in cell.blocks
                    for line in block_lines(inner))
            for block in nested(document.blocks) if isinstance(block, Table)
            for row in block.rows if row.header}
    return sorted(rows, key=len, reverse=True)


class Stretch(NamedTuple):
    """A stretch of the body up to an annex, as the PDF should print it."""

    text: str
    """The text, squeezed, the contents lines without their page numbers."""
    numbers: list[tuple[int, str]]
    """Each contents line's page number, after the position in the text where the line ends:
    the PDF draws the numbers once every page is laid out, so they read last on their page."""
    annex_pages: int
    """The pages of the annex after the stretch (0 after the last stretch)."""


def stretches(document, inline: bool = False) -> list[Stretch]:
    """Return the body as stretches of squeezed text up to each annex: an annex's pages print
    the file's own text, which is not the model's. Parts (a language's edition in a document
    of several) are read through. inline: each contents line's page number reads right after
    its text (Typst sets it in the line) rather than last on its page (reportlab)."""
    result, text, numbers = [], "", []

    def read(blocks) -> None:
        nonlocal text, numbers
        for block in blocks:
            if isinstance(block, Annex):
                result.append(Stretch(text, numbers, block.pages))
                text, numbers = "", []
            elif isinstance(block, Contents):
                for entry in block.entries:
                    text += squeeze(entry.text)
                    if inline:
                        text += squeeze(str(entry.page))
                    else:
                        numbers.append((len(text), squeeze(str(entry.page))))
            elif isinstance(block, Part):
                read(block.blocks)
            else:
                text += squeezed_lines([block])

    read(document.blocks)
    return result + [Stretch(text, numbers, 0)]


def first_difference(expected: str, printed: str) -> str:
    """Return where two texts part, with some of each around it, for an assertion message."""
    at = next((n for n, (a, b) in enumerate(zip(expected, printed)) if a != b),
              min(len(expected), len(printed)))
    return (f"the model says ...{expected[max(at - 60, 0):at + 60]!r}..., "
            f"the PDF prints ...{printed[max(at - 60, 0):at + 60]!r}...")


def page_body(page: str, stretch: Stretch, cursor: int) -> str:
    """Return the page's text without the page numbers of the contents lines it ends with: the
    numbers of the lines that end on it, as many as make the rest of the page the stretch's
    next text (the most that do)."""
    following = [(end, number) for end, number in stretch.numbers if end > cursor]
    for count in range(len(following), 0, -1):
        suffix = "".join(number for _, number in following[:count])
        body = page[:-len(suffix)]
        if (page.endswith(suffix) and stretch.text.startswith(body, cursor)
                and following[count - 1][0] <= cursor + len(body)
                and (count == len(following) or following[count][0] > cursor + len(body))):
            return body
    return page


def assert_prints_exactly(expected: list[Stretch], pages: list[str], headers: list[str]) -> None:
    """Assert that the pages' body texts, read one after the other, are the stretches exactly,
    with each annex's pages between its stretches, a table's header row again at the top of a
    page it continues on and each contents line's page number."""
    pages = list(pages)
    for stretch in expected:
        cursor = 0
        while cursor < len(stretch.text):
            assert pages, f"the PDF ends before the model: " \
                          f"{stretch.text[cursor:cursor + 120]!r} is not printed"
            page = page_body(pages.pop(0), stretch, cursor)
            for header in headers:  # a header row repeated where the model's text goes on
                if page.startswith(header) and not stretch.text.startswith(header, cursor):
                    page = page[len(header):]
                    break
            assert stretch.text.startswith(page, cursor), first_difference(
                stretch.text[cursor:], page)
            cursor += len(page)
        assert len(pages) >= stretch.annex_pages, "the PDF has fewer pages than its annexes take"
        del pages[:stretch.annex_pages]
    assert not "".join(pages), f"the PDF prints more than the model: {''.join(pages)[:200]!r}"


def test_build_prints_each_file_it_wrote(tmp_path, capsys):
    source = ROOT / "inputs" / "almaty-process-8th-som.yaml"
    assert main(["build", str(source), "--out", str(tmp_path), "--only", "agenda,protocol",
                 "--format", "pdf"]) == 0
    printed = capsys.readouterr().out.split()
    folder = tmp_path / "almaty-process-8th-som"
    names = ["agenda-en-v1.pdf", "agenda-ru-v1.pdf", "protocol-en-v0.1.pdf", "protocol-ru-v0.1.pdf",
             "protocol-en+ru-v0.1.pdf", "manifest.json"]
    assert printed == [str(folder / name) for name in names]
    assert sorted(path.name for path in folder.iterdir()) == sorted(names)


@pytest.mark.parametrize("key", DOCUMENTS)
def test_docx_text_is_the_model_text_in_order(built, key):
    document, docx, pdf = built[key]
    document = fill_pages(document, pdf_heading_pages(pdf))  # the contents print the PDF's pages
    expected = [normalize(line) for line in document_lines(document) if normalize(line)]
    assert [line for line in docx_lines(docx) if line] == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("key", SEQUENTIAL)
def test_pdf_text_is_the_model_text_exactly(built, typst_pdfs, engine, key):
    """Page after page, the PDF prints the model's text and nothing else but the page furniture,
    list bullets, repeated table header rows and annex pages; the contents lines end in the
    pages their headings are on."""
    document, pdf = built[key][0], pdf_of(built, typst_pdfs, engine, key)
    document = fill_pages(document, pdf_heading_pages(pdf))
    assert_prints_exactly(stretches(document, inline=engine == "typst"),
                          body_pages(document, pdf_pages(pdf)),
                          header_rows(document))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("key", SIDE_BY_SIDE)
def test_side_by_side_pdf_columns_are_the_model_text_exactly(built, typst_pdfs, engine, key):
    """Each column of a side-by-side edition prints its language's text of every row, in order,
    and nothing else but a table's header row again at the top of a page it continues on."""
    document, pdf = built[key][0], pdf_of(built, typst_pdfs, engine, key)
    rows = [block for block in document.blocks if not isinstance(block, PageBreak)]
    assert rows and all(isinstance(row, Parallel | Signatures) for row in rows), \
        "a side-by-side edition is made of parallel rows, signature grids (and page breaks)"
    count = len(rows[0].languages)
    columns = pdf_columns(pdf, count, document.house)
    for number, pages in enumerate(columns):  # a grid's blocks fill its columns in turn
        expected = squeezed_lines(
            inner for row in rows
            for inner in (row.cells[number].blocks if isinstance(row, Parallel)
                          else row.blocks[number::row.columns] if count == row.columns else ()))
        assert_prints_exactly([Stretch(expected, [], 0)], [squeeze(page).replace("•", "") for page in pages],
                              header_rows(document))  # a table in a column repeats its header


def line_end_breaks(pdf: bytes, engine: str = "reportlab") -> list[tuple[str, str]]:
    """Return (last word, next line's first word) of each line that ends in a hyphen, read in
    drawing order (a table cell's lines one after the other); pdftotext would join the words.
    Typst's PDFs are read by pdftotext -raw, which reads their ActualText spans: pypdf does
    not, and reads a letter once set before a soft hyphen as that letter and a soft hyphen."""
    if engine == "typst":
        import subprocess

        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                              capture_output=True, check=True).stdout.decode("utf-8")
        lines = [line.strip() for line in text.splitlines()]
    else:
        lines = [line.strip() for page in pdf_pages(pdf) for line in page.splitlines()]
    return [(line.split()[-1], (following.split() or [""])[0])
            for line, following in zip(lines, lines[1:])
            if re.search(r"\w[-\xad]$", line)]  # Typst's hyphen reads as a soft hyphen


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("key", DOCUMENTS)
def test_hyphenation_a_reader_does_not_notice(built, typst_pdfs, engine, key):
    """No split name, acronym, capitalised word or number, no doubled hyphen, at least three
    letters on each side of a break, and no more than two hyphenated lines in a row."""
    pdf = pdf_of(built, typst_pdfs, engine, key)
    alone = {line.strip() for page in pdf_pages(pdf) for line in page.splitlines()}
    for word, carried in line_end_breaks(pdf, engine):
        if engine == "typst" and word in alone and word[-1] in "-\xad":
            continue  # a compound wider than its column, alone on its line: only its hyphen breaks it
        own = engine == "typst" and word.endswith("-")  # Typst: a compound's own hyphen
        word = re.sub("\xad+$", "-", word).replace("\xad", "")  # Typst: soft hyphens
        carried = carried.replace("\xad", "")
        head = word.rstrip("-").split("-")[-1].lstrip("(«“‘\"'")
        assert not carried.startswith("-"), f"a doubled hyphen: {word} / {carried}"
        assert not any(char.isupper() or char.isdigit() for char in word), \
            f"a name, acronym or number split: {word} / {carried}"
        if not (own or word.endswith("--")) and "-" not in word.rstrip("-"):  # a dictionary break
            assert len(head) >= 3 and len(re.sub(r"\W", "", carried)) >= 3, (word, carried)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("key", DOCUMENTS)
def test_pdf_embeds_every_font_it_uses(built, typst_pdfs, engine, key):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_of(built, typst_pdfs, engine, key)))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                          if "/DescendantFonts" in font else font.get("/FontDescriptor"))
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), name
            assert "Helvetica" not in name and "Times" not in name and "Courier" not in name
            seen.add(name.split("+")[-1])
    assert {"NotoSerif-Regular", "NotoSerif-Bold"} <= seen


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("key", [key for key in SINGLE if key.values[0][1].startswith("protocol")])
def test_signature_blocks_are_never_split(built, typst_pdfs, engine, key):
    document, pdf = built[key][0], pdf_of(built, typst_pdfs, engine, key)
    pages = [squeeze(page) for page in pdf_pages(pdf)]
    blocks = signature_blocks(document.blocks)
    assert blocks
    for block in blocks:
        lines = [squeeze(line) for line in (block.party, block.name, block.title) if line]
        assert any(find_in_order(page, lines) == [] for page in pages), block


def docx_parts_text(data: bytes) -> str:
    """Return the XML of every part of a DOCX package, uncompressed, one after the other."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "".join(package.read(name).decode("utf-8", "replace")
                       for name in package.namelist())


@pytest.mark.parametrize("engine", ENGINES)
def test_draft_marking_on_every_page_and_none_when_final(built, typst_pdfs, engine):
    draft, docx, _ = built["almaty-process-8th-som", "protocol-ru"]
    pdf = pdf_of(built, typst_pdfs, engine, ("almaty-process-8th-som", "protocol-ru"))
    assert normalize(draft.page.marking) == "ПРОЕКТ · Версия 0.1 · 12 октября 2023 года"
    pages = pdf_pages(pdf)
    assert len(pages) >= (2 if engine == "reportlab" else 1)  # Typst sets it on one page
    assert all(squeeze(draft.page.marking) in squeeze(page) for page in pages)
    both = ("almaty-process-8th-som", "protocol-en+ru")
    pages = pdf_pages(pdf_of(built, typst_pdfs, engine, both))
    assert len(pages) >= 2
    marks = built[both][0].page.marking.split("\n")  # a line per language, beside the title's
    assert len(marks) == 2
    assert all(squeeze(mark) in squeeze(page) for page in pages for mark in marks)
    assert "ПРОЕКТ·Версия0.1" in squeeze(docx_parts_text(docx))  # the marking in the header
    assert 'string="ПРОЕКТ"' in docx_parts_text(docx)  # the watermark
    final, docx, _ = built["minimal", "protocol-en"]
    pdf = pdf_of(built, typst_pdfs, engine, ("minimal", "protocol-en"))
    assert final.page.marking is None
    assert not any("DRAFT" in page for page in pdf_pages(pdf))
    assert "DRAFT" not in docx_parts_text(docx)


@pytest.mark.parametrize("engine", ENGINES)
def test_page_x_of_y_on_every_page(built, typst_pdfs, engine):
    for (meeting, stem), (document, _, _) in built.items():
        pdf = pdf_of(built, typst_pdfs, engine, (meeting, stem))
        pages = pdf_pages(pdf)
        for number, page in enumerate(pages, 1):
            label = squeeze(document.page.page_label.format(page=number, pages=len(pages)))
            if number == 1 and document.page.cover:  # a cover has no page number
                assert label not in squeeze(page), stem
                continue
            assert label in squeeze(page)
            if stem.endswith("-en"):
                assert f"Page {number} of {len(pages)}" in page


@pytest.mark.parametrize("engine", ENGINES)
def test_briefing_classification_in_header_and_footer_of_every_page(built, typst_pdfs, engine):
    document, docx, _ = built["almaty-process-8th-som", "briefing-en"]
    pdf = pdf_of(built, typst_pdfs, engine, ("almaty-process-8th-som", "briefing-en"))
    assert document.page.classification == "RESTRICTED"
    cover, *pages = pdf_pages(pdf)
    assert cover.count("RESTRICTED") == 3  # at the top and bottom, and once by the cover
    for page in pages:
        assert page.count("RESTRICTED") >= 2
    import docx as python_docx

    section = python_docx.Document(io.BytesIO(docx)).sections[0]
    assert "RESTRICTED" in " ".join(p.text for p in section.header.paragraphs)
    assert "RESTRICTED" in " ".join(p.text for p in section.footer.paragraphs)


def test_signatories_sorted_by_short_name(built):
    document, docx, _ = built["almaty-process-8th-som", "protocol-en"]
    parties = [block.party for block in signature_blocks(document.blocks)]
    # Türkiye before Turkmenistan; Iran sorts as "Iran (Islamic Republic of)", Italy after it
    assert parties == ["For the Republic of Azerbaijan", "For the Islamic Republic of Iran",
                       "For the Italian Republic", "For the Republic of Kazakhstan",
                       "For the Kyrgyz Republic", "For the Islamic Republic of Pakistan",
                       "For the Republic of Tajikistan", "For the Republic of Türkiye",
                       "For Turkmenistan", "For the Republic of Uzbekistan"]
    lines = docx_lines(docx)
    assert [line for line in lines if line.startswith("For ")] == parties


def test_chair_first_order(built):
    document, _, _ = built["multiday", "protocol-en"]
    parties = [block.party for block in signature_blocks(document.blocks)]
    assert parties == ["For the Gamma Republic", "For the Republic of Türkiye", "For Turkmenistan"]


def test_un_dates_and_done_at_clause(built):
    agenda = docx_lines(built["multiday", "agenda-en"][1])
    assert "Tbilisi, 30 April – 1 May 2024" in agenda
    protocol = docx_lines(built["minimal", "protocol-en"][1])
    assert "Done at Valletta on 5 March 2024 in two originals." in protocol
    example = docx_lines(built["almaty-process-8th-som", "protocol-en"][1])
    assert "Baku, 12 October 2023" in example


def test_numbered_paragraphs(built):
    lines = docx_lines(built["multiday", "protocol-en"][1])
    numbered = [line.split(" ")[0] for line in lines if re.match(r"\d+(\.\d+)*\.? ", line)]
    assert numbered == ["1.", "1.1", "1.2", "1.2.1", "2."]


def test_markup_in_data_prints_as_written(built):
    _, docx, pdf = built["multiday", "agenda-en"]
    for text in ("Opening {% if x %} <b>not bold</b>", "Conference Hall <A> & Annex",
                 "Azərbaycan & Türkiye", "Ольга Примерова"):
        assert any(text in line for line in docx_lines(docx)), text
        assert squeeze(text) in squeeze("".join(pdf_pages(pdf))), text


def test_letter_and_a4_paper(built):
    from pypdf import PdfReader

    letter = PdfReader(io.BytesIO(built["multiday", "agenda-en"][2])).pages[0].mediabox
    a4 = PdfReader(io.BytesIO(built["minimal", "agenda-en"][2])).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_docx_has_no_schema_errors(built, tmp_path):
    from openxml_audit import OpenXmlValidator, ValidationErrorType

    validator = OpenXmlValidator()
    for meeting, name in (("almaty-process-8th-som", "protocol-en"), ("almaty-process-8th-som", "protocol-ru"),
                          ("almaty-process-8th-som", "protocol-en+ru"), ("multiday", "briefing-en")):
        path = tmp_path / f"{meeting}-{name}.docx"
        path.write_bytes(built[meeting, name][1])
        errors = [str(error) for error in validator.validate(path).errors
                  if error.error_type is ValidationErrorType.SCHEMA]
        assert errors == [], (meeting, name)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_large_agenda_repeats_its_header_row_on_every_page(tmp_path, engine):
    source = tmp_path / "large.yaml"
    source.write_text(yaml.safe_dump(large_meeting(participants=60, items=60, paragraphs=5),
                                     allow_unicode=True), encoding="utf-8")
    assert main(["build", str(source), "--only", "agenda", "--format", "pdf",
                 "--pdf-engine", engine, "--out", str(tmp_path)]) == 0
    pages = pdf_pages((tmp_path / "large" / "agenda-en-v1.pdf").read_bytes())
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert "TimeItemSpeakers" in squeeze(page), number
        assert f"Page {number} of {len(pages)}" in page


def test_own_templates_change_the_wording(tmp_path):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    protocol = templates / "protocol.xml.j2"
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("Done at", "Fait à"),
                        encoding="utf-8")
    source = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
    assert main(["build", str(source), "--only", "protocol", "--format", "docx",
                 "--templates", str(templates), "--out", str(tmp_path / "out")]) == 0
    lines = docx_lines((tmp_path / "out" / "minimal" / "protocol-en-v1.0.docx").read_bytes())
    assert any(line.startswith("Fait à Valletta on 5 March 2024") for line in lines)


def test_templates_folder_without_templates_is_refused(tmp_path, capsys):
    source = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
    assert main(["build", str(source), "--templates", str(tmp_path), "--out",
                 str(tmp_path / "out")]) == 2
    assert "holds no chancery templates" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("edit, message", [
    (("{% for line in view.signatories %}", "{% for line in view.signatories %"),
     r"protocol\.xml\.j2:\d+: unexpected '<'"),
    (("{{ type }}</p>", "{{ outcome.typo }}</p>"),
     r"protocol\.xml\.j2:\d+: .*has no attribute 'typo'"),
    (("<p style=\"Document Title\">", "<p style=\"Document Title\"><q>"),
     r"protocol\.xml\.j2: the template wrote XML that does not parse"),
])
def test_broken_template_is_reported_not_raised(tmp_path, capsys, edit, message):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    protocol = templates / "protocol.xml.j2"
    text = protocol.read_text(encoding="utf-8")
    assert edit[0] in text
    protocol.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    source = ROOT / "tests" / "cases" / "multiday" / "input.yaml"
    assert main(["build", str(source), "--templates", str(templates),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()



@pytest.mark.parametrize("key", SIDE_BY_SIDE)
def test_side_by_side_pdf_columns_read_as_each_language(built, key):
    """Each column of a bilingual example reads as its language's text, in order, and paragraph
    n of each language starts on the same page."""
    from generator.document import Parallel

    document, _, pdf = built[key]
    rows = [block for block in document.blocks if isinstance(block, Parallel)]
    assert rows, "a side-by-side edition is made of parallel rows"
    columns = pdf_columns(pdf, len(rows[0].languages), document.house)
    for number, pages in enumerate(columns):
        expected = [squeeze(line) for row in rows for inner in row.cells[number].blocks
                    for line in block_lines(inner) if squeeze(line)]
        assert find_in_order("".join(squeeze(page) for page in pages), expected) == []
    previous = 0
    for row in rows:
        starts = []
        for number, pages in enumerate(columns):
            first = squeeze(block_lines(row.cells[number].blocks[0])[0])[:40]
            starts.append(next(index for index, page in enumerate(pages)
                               if index >= previous and first in squeeze(page)))
        assert len(set(starts)) == 1, (row, starts)
        previous = starts[0]


def test_author_is_the_chair_or_the_secretariat_as_the_input_says(tmp_path, capsys):
    import docx as python_docx
    from pypdf import PdfReader

    base = (ROOT / "tests" / "cases" / "minimal" / "input.yaml").read_text(encoding="utf-8")
    cases = {"": "Republic of Alpha, Chair of the Example Process",
             "issued_by: secretariat\nsecretariat: [BET]\n":
                 "Kingdom of Beta, Secretariat of the Example Process"}
    for number, (extra, author) in enumerate(cases.items()):
        source = tmp_path / f"m{number}.yaml"
        source.write_text(base + extra, encoding="utf-8")
        out = tmp_path / f"out{number}"
        assert main(["build", str(source), "--only", "agenda", "--out", str(out)]) == 0
        folder = out / "minimal"
        assert PdfReader(folder / "agenda-en-v1.pdf").metadata.author == author
        properties = python_docx.Document(str(folder / "agenda-en-v1.docx")).core_properties
        assert properties.author == author
    source = tmp_path / "bad.yaml"
    source.write_text(base + "issued_by: secretariat\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(source)]) == 2
    assert "issued_by: the documents are issued by the secretariat, but secretariat names no " \
           "participant" in capsys.readouterr().err
