"""Tests of the finish both writers give a document: the running header on one line over a
hairline, contents leaders and PAGEREF fields, the watermark, space after the title block and
runs of hyphenated lines; every output is read back."""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import replace

import docx
import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader

from generator import stylesheet
from generator.document import (
    Cell, Contents, ContentsEntry, Heading, PageBreak, Paragraph, Row, Run, Table,
)
from generator.furniture import watermark_geometry
from generator.writers.docx import render_docx
from generator.writers.pdf import render_pdf, render_pdf_with_pages
from generator.writers.typst import render_typst_pdf_with_pages
from tests.sample_document import para, sample_document

pytestmark = pytest.mark.filterwarnings("error")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
TOP = 60.0
"""Text whose baseline is within this many pt of the page's top is page furniture."""


ENGINES = ("reportlab", "typst")


def render(engine: str, document, pdfa: str = "none") -> bytes:
    """Return the document's PDF as the engine sets it."""
    return pages_of(engine, document, pdfa)[0]


def pages_of(engine: str, document, pdfa: str = "none") -> tuple[bytes, dict[str, int]]:
    """Return the document's PDF as the engine sets it and the page of each heading."""
    if engine == "typst":
        return render_typst_pdf_with_pages(document, pdfa)
    return render_pdf_with_pages(document, pdfa)


def placed_texts(data: bytes, page: int = 0) -> list[tuple[str, float, float, float]]:
    """Return (text, x, y, font size) of each piece of text on a page of a PDF, in pt."""
    found = []

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            text = text.strip()
            scale = math.hypot(text_matrix[0], text_matrix[1]) * math.hypot(matrix[0], matrix[1])
            found.append((text, text_matrix[4] * matrix[0] + matrix[4],
                          text_matrix[5] * matrix[3] + matrix[5], size * scale))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def header_texts(data: bytes) -> list[tuple[str, float, float, float]]:
    """Return the placed texts of the first page's running header, top line first."""
    height = float(PdfReader(io.BytesIO(data)).pages[0].mediabox.height)
    texts = [item for item in placed_texts(data) if item[2] > height - TOP]
    return sorted(texts, key=lambda item: (-round(item[2], 1), item[1]))


def strokes(data: bytes, page: int = 0) -> list[tuple[float, float, float, float, float, str]]:
    """Return (x1, y1, x2, y2, width, colour as hex RGB) of each straight line stroked on a
    page, in page coordinates (the current transformation applied)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        result, width, start, end, colour = [], 1.0, None, None, "000000"
        matrix, saved = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), []

        def place(x: float, y: float) -> tuple[float, float]:
            a, b, c, d, e, f = matrix
            return (a * x + c * y + e, b * x + d * y + f)

        for operands, operator in pikepdf.parse_content_stream(pdf.pages[page]):
            name = str(operator)
            if name == "q":
                saved.append((matrix, width, colour))
            elif name == "Q" and saved:
                matrix, width, colour = saved.pop()
            elif name in ("RG", "SCN") and len(operands) == 3:
                colour = "".join(f"{round(float(part) * 255):02X}" for part in operands)
            elif name == "cm":
                a, b, c, d, e, f = map(float, operands)
                m = matrix
                matrix = (a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2],
                          c * m[1] + d * m[3], e * m[0] + f * m[2] + m[4],
                          e * m[1] + f * m[3] + m[5])
            elif name == "w":
                width = float(operands[0])
            elif name == "m":
                start = place(*map(float, operands))
            elif name == "l":
                end = place(*map(float, operands))
            elif name == "S" and start and end:
                result.append((*start, *end, width, colour))
                start = end = None
        return result


def furnished(header: str = "AP/SOM/8/2023/1", marking: str | None = "DRAFT · Version 0.3",
              classification: str | None = None, **page) -> object:
    """Return the sample document with that running header, marking and classification."""
    document = sample_document(rows=1)
    return replace(document, page=replace(document.page, header=header, marking=marking,
                                          classification=classification, watermark=None,
                                          **page))


# --- running header --------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_the_pdf_header_is_one_line_with_a_hairline_under_it(engine):
    """The symbol at the left and the marking at the right on one baseline; a quarter-point
    rule in the rule colour across the text width under them, above the body."""
    document = furnished()
    data = render(engine, replace(document, house=replace(document.house, rule_colour="C17817")))
    texts = header_texts(data)
    assert [text for text, *_ in texts] == ["AP/SOM/8/2023/1", "DRAFT · Version 0.3"]
    (_, left, left_y, _), (_, right, right_y, _) = texts
    assert left_y == pytest.approx(right_y)  # one line, not staggered
    margin = stylesheet.MARGIN * stylesheet.MM
    assert left == pytest.approx(margin, abs=0.5) and right > 300
    width, height = (float(side) for side in PdfReader(io.BytesIO(data)).pages[0].mediabox[2:])
    rules = [line for line in strokes(data)
             if line[1] == pytest.approx(line[3]) and line[1] > height - TOP]
    [(x1, y, x2, _, thickness, colour)] = rules
    assert (x1, x2) == (pytest.approx(margin, abs=0.01), pytest.approx(width - margin, abs=0.01))
    assert thickness == stylesheet.HAIRLINE and colour == "C17817"  # the house rule colour
    assert height - margin < y < left_y  # under the text, above the body


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pdf_header_too_long_for_a_line_wraps_its_title_beside_the_status(engine):
    title = "Outcome Protocol: 8th Senior Officials’ Meeting of the Almaty Process"
    data = render(engine, furnished(header=title, marking="DRAFT · Version 0.1 · 12 October 2023",
                                    size="A4"))
    texts = header_texts(data)
    lines = {}
    for text, _, y, _ in texts:
        lines.setdefault(round(y, 1), []).append(text)
    assert list(lines.values()) == [["Outcome Protocol: 8th Senior Officials’",
                                     "DRAFT · Version 0.1 · 12 October 2023"],
                                    ["Meeting of the Almaty Process"]]  # balanced, date whole


@pytest.mark.parametrize("engine", ENGINES)
def test_a_bilingual_pdf_header_gives_each_language_a_line_and_raises_french_ordinals(engine):
    page = dict(header="3rd Ministerial Conference\n3e Conférence ministérielle",
                header_runs=(Run("3rd Ministerial Conference"), Run("\n"), Run("3"),
                             Run("e", superscript=True), Run(" Conférence ministérielle")),
                size="A4")
    data = render(engine, furnished(marking="DRAFT · Version 0.1\nPROJET · Version 0.1", **page))
    texts = header_texts(data)
    rows = {}
    for text, _, y, size in texts:
        rows.setdefault(round(y), []).append((text, size))
    lines = [[text for text, _ in row] for row in rows.values()]
    assert ["3rd Ministerial Conference", "DRAFT · Version 0.1"] in lines
    assert ["PROJET · Version 0.1"] in [line[-1:] for line in lines]
    sizes = {text: size for row in rows.values() for text, size in row}
    assert sizes["e"] < sizes["3"] == stylesheet.FURNITURE_SIZE  # the ending is raised, smaller
    [e_y] = [y for text, _, y, _ in texts if text == "e"]
    [three_y] = [y for text, _, y, _ in texts if text == "3"]
    assert e_y > three_y


# --- contents --------------------------------------------------------------------------------


def contents_document():
    """Return a document with a contents list of two entries, the second on page 2."""
    document = sample_document(rows=0, draft=False)
    entries = (ContentsEntry("Opening", 1, "opening"), ContentsEntry("Closing", 1, "closing"))
    blocks = (Contents(entries), Heading((Run("Opening"),), anchor="opening"), para("Text."),
              PageBreak(), Heading((Run("Closing"),), anchor="closing"), para("More."))
    return replace(document, blocks=blocks)


def round_capped_dots(stream) -> int:
    """Return how many dots the stroked lines of a content stream draw as the round caps of
    dashes of no length: each such line draws one dot at its start and one each gap along it."""
    dots, cap, dash, start, end = 0, 0, None, None, None
    for operands, operator in stream:
        match str(operator):
            case "J":
                cap = int(operands[0])
            case "d":
                dash = [float(value) for value in operands[0]]
            case "m":
                start = (float(operands[0]), float(operands[1]))
            case "l":
                end = (float(operands[0]), float(operands[1]))
            case "S" if cap == 1 and dash and dash[0] == 0 and len(dash) == 2 and start and end:
                dots += int(math.dist(start, end) // dash[1]) + 1
    return dots


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_contents_lines_have_drawn_dot_leaders_to_their_page_numbers(engine):
    data, pages = pages_of(engine, contents_document())
    assert pages == {"opening": 1, "closing": 2}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stream = pikepdf.parse_content_stream(pdf.pages[0])
        if engine == "typst":  # Typst draws each dot as a form: count the forms' fills
            operators = [str(op) for _, op in stream] + [
                str(op) for xobject in pdf.pages[0].Resources.get("/XObject", {}).values()
                for _, op in pikepdf.parse_content_stream(xobject)]
            dots = operators.count("f*") + operators.count("f")  # each dot a filled circle
        else:
            dots = round_capped_dots(stream)
    assert dots > 2 * 40  # two lines of dots across most of the text width
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "..." not in text and "Opening" in text  # the leader is not text


def test_docx_contents_page_numbers_are_pageref_fields_with_the_pdf_pages_as_results():
    document = contents_document()
    _, pages = render_pdf_with_pages(document, pdfa="none")
    entries = tuple(replace(entry, page=pages[entry.anchor])
                    for entry in document.blocks[0].entries)
    document = replace(document, blocks=(Contents(entries),) + document.blocks[1:])
    data = render_docx(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    bookmarks = {mark.get(f"{W}name") for mark in body.iter(f"{W}bookmarkStart")}
    found = []
    for link in body.iter(f"{W}hyperlink"):
        codes = [code.text.strip() for code in link.iter(f"{W}instrText")]
        [code] = codes
        name = code.split()[1]
        assert code == f"PAGEREF {name} \\h" and name in bookmarks
        assert name == link.get(f"{W}anchor")
        runs = list(link.iter(f"{W}r"))
        separate = next(n for n, run in enumerate(runs) if run.find(f"{W}fldChar") is not None
                        and run.find(f"{W}fldChar").get(f"{W}fldCharType") == "separate")
        found.append("".join(runs[separate + 1].itertext()))
        assert link.find(f"{W}r/{W}tab") is not None  # the tab to the leader's stop
    assert found == ["1", "2"]
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs[:2]:
        [tab] = paragraph._p.findall(f"{W}pPr/{W}tabs/{W}tab")
        assert (tab.get(f"{W}val"), tab.get(f"{W}leader")) == ("right", "dot")


# --- watermark -------------------------------------------------------------------------------


def test_the_docx_watermark_is_filled_and_set_as_the_pdfs():
    document = sample_document(rows=1)
    data = render_docx(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        header = etree.fromstring(archive.read("word/header1.xml"))
    [shape] = header.iter(f"{V}shape")
    style = dict(item.split(":", 1) for item in shape.get("style").split(";"))
    width, height = (side * stylesheet.MM for side in stylesheet.PAGE_SIZES[document.page.size])
    size, angle, length, _ = watermark_geometry("DRAFT", width, height)
    assert float(style["width"].removesuffix("pt")) == pytest.approx(length, abs=0.1)
    assert float(style["rotation"]) == pytest.approx(360 - angle, abs=0.1)  # VML turns clockwise
    assert style["mso-position-horizontal-relative"] == "page"
    left = float(style["margin-left"].removesuffix("pt"))
    assert left + length / 2 == pytest.approx(width / 2, abs=size)  # centred on the page
    assert shape.get("filled") == "t" and shape.get("stroked") == "f"
    [fill] = shape.iter(f"{V}fill")
    assert fill.get("on") == "t" and fill.get("opacity") == "1"
    assert fill.get("color") == shape.get("fillcolor") == "#D9D9D9"  # the PDF's grey


# --- title block -----------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_the_title_block_ends_with_space_before_the_body(engine):
    document = replace(sample_document(rows=0, draft=False), blocks=(
        Paragraph((Run("Outcome Protocol"),), style="Document Title"), para("The States.")))
    texts = placed_texts(render(engine, document))
    [title] = [item for item in texts if item[0] == "Outcome Protocol"]
    [body] = [item for item in texts if item[0] == "The States."]
    gap = title[2] - body[2] - stylesheet.SPECS["Body"].size * stylesheet.LEADING
    assert gap >= stylesheet.TITLE_BLOCK_SPACE
    style = docx.Document(io.BytesIO(render_docx(document))).styles["Document Title"]
    assert style.paragraph_format.space_after.pt == stylesheet.TITLE_BLOCK_SPACE
    assert style.paragraph_format.keep_with_next


# --- hyphenation -----------------------------------------------------------------------------

LONG_WORDS = (
    "The representatives acknowledged the extraordinary administrative responsibilities of "
    "intergovernmental organizations regarding comprehensive documentation, notwithstanding "
    "considerable organizational difficulties encountered internationally throughout "
    "implementation, accountability, transparency and sustainability.")
"""English that hyphenates at the end of five lines in a row in a column of a third of A4."""


def cell_lines(limit: int, monkeypatch) -> list[str]:
    """Return the lines of LONG_WORDS set in a narrow table cell, with at most limit
    hyphenated lines in a row."""
    monkeypatch.setattr(stylesheet, "CONSECUTIVE_HYPHENS", limit)
    cell = Cell((Paragraph((Run(LONG_WORDS),), style="Table Text"),))
    document = replace(sample_document(rows=0, draft=False),
                       blocks=(Table((1, 2.2), (Row((cell, Cell(()))),)),))
    text = PdfReader(io.BytesIO(render_pdf(document, pdfa="none"))).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines()]
    start = next(number for number, line in enumerate(lines) if line.startswith("The "))
    end = next(number for number, line in enumerate(lines) if line.endswith("ability."))
    return lines[start:end + 1]


def longest_hyphen_run(lines: list[str]) -> int:
    """Return the most lines in a row that end in a hyphen after a letter."""
    longest = run = 0
    for line in lines:
        run = run + 1 if re.search(r"\w-$", line) else 0
        longest = max(longest, run)
    return longest


def test_at_most_two_hyphenated_lines_in_a_row(monkeypatch):
    assert longest_hyphen_run(cell_lines(99, monkeypatch)) >= 3  # the text would hyphenate more
    lines = cell_lines(2, monkeypatch)
    assert longest_hyphen_run(lines) <= 2
    joined = re.sub(r"-\n", "", "\n".join(lines)).replace("\n", " ")
    assert joined == LONG_WORDS  # every word whole or broken with a hyphen, none lost
