"""Signature pages read back: one block per party side by side, blocks in a balanced grid."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from generator import stylesheet
from generator.build import Edition, make_document
from generator.document import Signatures, signature_blocks
from generator.inputs import load_meeting
from generator.rendering import render_formats
from generator.templating import default_templates
from tests.readback import docx_lines, squeeze

ROOT = Path(__file__).resolve().parent.parent
MEETINGS = {"almaty": "almaty-process-8th-som.yaml", "solmera": "solmera-process-3rd-ministerial.yaml"}
PROTOCOLS = [("almaty", ("en",)), ("almaty", ("ru",)), ("almaty", ("en", "ru")),
             ("solmera", ("en",)), ("solmera", ("fr",)), ("solmera", ("en", "fr"))]


@cache
def built(meeting: str, languages: tuple[str, ...]):
    """Return the protocol's model, DOCX and PDF."""
    loaded = load_meeting(str(ROOT / "inputs" / MEETINGS[meeting]))
    document = make_document(loaded, Edition("protocol", languages), default_templates())[0]
    rendered = render_formats(document, ["docx", "pdf"])
    return document, rendered["docx"], rendered["pdf"]


def signing_lines(pdf: bytes) -> list[tuple[int, float, float]]:
    """Return (page, x, y) of every horizontal stroke as long as a line to sign on."""
    length = stylesheet.SIGNATURE_LINE * stylesheet.MM
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as source:
        for number, page in enumerate(source.pages, 1):
            start, matrix, stack = None, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "q":
                    stack.append(matrix)
                elif name == "Q":
                    matrix = stack.pop()
                elif name == "cm":  # the new matrix is operands x the current one
                    a, b, c, d, e, f = map(float, operands)
                    A, B, C, D, E, F = matrix
                    matrix = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                              e * A + f * C + E, e * B + f * D + F)
                elif name == "m":
                    start = tuple(map(float, operands))
                elif name == "l" and start:
                    x, y = map(float, operands)
                    if abs(y - start[1]) < 0.01 and abs(abs(x - start[0]) - length) < 1:
                        left = min(x, start[0])
                        found.append((number, matrix[0] * left + matrix[2] * y + matrix[4],
                                      matrix[1] * left + matrix[3] * y + matrix[5]))
    return found


@pytest.mark.parametrize("meeting,languages", [p for p in PROTOCOLS if len(p[1]) > 1])
def test_side_by_side_draws_one_signing_line_per_party(meeting, languages):
    document, docx, pdf = built(meeting, languages)
    blocks = signature_blocks(document.blocks)
    single = signature_blocks(built(meeting, languages[:1])[0].blocks)
    assert len(blocks) == len(single) > 0
    assert len(signing_lines(pdf)) == len(blocks)
    for block in blocks:  # one caption per language, the same party
        assert len(block.party.split("\n")) == len(languages)
    # in the DOCX, the captions of one party share one cell over one line to sign on
    lines = docx_lines(docx)
    for block in blocks:
        first, second = block.party.split("\n")
        assert f"{first} {second}" in lines


@pytest.mark.parametrize("meeting,languages", PROTOCOLS)
def test_signature_page_sets_blocks_in_two_columns_and_never_one_alone(meeting, languages):
    document, _, pdf = built(meeting, languages)
    grids = [block for block in document.blocks if isinstance(block, Signatures)]
    assert len(grids) == 1 and grids[0].columns == 2
    lines = signing_lines(pdf)
    assert len(lines) == len(grids[0].blocks)
    columns = {round(x) for _, x, _ in lines}
    assert len(columns) == 2, columns  # two columns of blocks
    pages = [page for page, _, _ in lines]
    for page in set(pages):  # a page of signatures holds two blocks or more
        assert pages.count(page) >= 2, f"page {page} holds a single signature block"


def test_long_caption_wraps_inside_its_block():
    """Each line of a caption starts at the left edge of its own block and ends before the
    next column begins."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from generator.fonts import face_name, register_pdf_fonts

    register_pdf_fonts()
    _, _, pdf = built("almaty", ("en", "ru"))
    lines = signing_lines(pdf)
    left, right = min(x for _, x, _ in lines), max(x for _, x, _ in lines)
    edge = right - stylesheet.PARALLEL_GUTTER * stylesheet.MM  # the left column's right edge
    page = PdfReader(io.BytesIO(pdf)).pages[lines[-1][0] - 1]
    placed = []

    def visit(text, matrix, text_matrix, font, size):
        if text.strip().startswith("За"):
            placed.append((matrix[4] + text_matrix[4], text.strip(), size * matrix[0]))
    page.extract_text(visitor_text=visit)
    assert any("Пакистан" in text for _, text, _ in placed)
    for x, text, size in placed:
        assert abs(x - left) < 1 or abs(x - right) < 1, (x, text)
        end = x + stringWidth(text, face_name(), size)
        assert end <= (edge if abs(x - left) < 1 else right + (edge - left)) + 1, text


def test_no_page_holds_a_lone_block_wherever_the_page_breaks():
    """However much text comes before, the last row of an odd grid never stands alone."""
    from dataclasses import replace

    from generator.document import SignatureBlock
    from generator.writers.pdf import render_pdf
    from tests.sample_document import para, sample_document

    blocks = tuple(SignatureBlock(f"For State {n}", f"Name {n}", "Minister") for n in range(5))
    seen_breaks = 0
    for filler in range(20, 60, 2):
        body = tuple(para(f"Paragraph {n} of the text before the signatures.")
                     for n in range(filler))
        document = replace(sample_document(rows=1), blocks=body + (Signatures(blocks),))
        pages = [page for page, _, _ in signing_lines(render_pdf(document, pdfa="none"))]
        assert len(pages) == 5
        seen_breaks += len(set(pages)) > 1
        for page in set(pages):
            assert pages.count(page) >= 2, (filler, pages)
    assert seen_breaks  # the page did break inside the grid for some of the fillers


def text_lines(pdf: bytes, page_number: int) -> list[tuple[float, str]]:
    """Return (distance from the top, text) of each drawn line on the page, top first."""
    page = PdfReader(io.BytesIO(pdf)).pages[page_number - 1]
    height = float(page.mediabox.height)
    found = []

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            found.append((round(height - (matrix[5] + text_matrix[5]), 1), text.strip()))
    page.extract_text(visitor_text=visit)
    return sorted(found)


@pytest.mark.parametrize("meeting,language,formula", [
    ("almaty", "en", None), ("solmera", "en", "IN WITNESS WHEREOF the undersigned"),
    ("solmera", "fr", "EN FOI DE QUOI les soussignés")])
def test_testimonium_stands_apart_and_opens_with_the_formula_when_asked(meeting, language, formula):
    document, docx, pdf = built(meeting, (language,))
    lines = docx_lines(docx)
    opening = next(n for n, line in enumerate(lines) if line.startswith(("Done at", "Fait à")))
    if formula:  # the formula, switched on in the data, comes right before "Done at"
        assert lines[opening - 1].startswith(formula)
    else:
        assert not any("WITNESS" in line for line in lines)
    first = formula or lines[opening][:7]
    for number in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1):
        placed = text_lines(pdf, number)
        at = [n for n, (_, text) in enumerate(placed) if text.startswith(first[:7])]
        if at:
            break
    top, _ = placed[at[0]]
    furniture = {squeeze(document.page.header), squeeze(document.page.marking or "")}
    body = [y for y, text in placed if y < top - 1 and squeeze(text) not in furniture]
    if body:  # at the top of a page the space goes, as a typesetter's does
        leading = stylesheet.SPECS["Body"].size * stylesheet.LEADING
        assert top - max(body) >= leading + stylesheet.TESTIMONIUM_SPACE - 1, (top, max(body))



def test_docx_keeps_only_the_last_two_signature_rows_together():
    """As in the PDF: every row of the grid keeps its paragraphs with the next row only in the
    row before the last, and the paragraph that draws each line to sign on has its own space."""
    from dataclasses import replace
    from zipfile import ZipFile

    from lxml import etree

    from generator.document import SignatureBlock
    from generator.writers.docx import render_docx
    from tests.sample_document import para, sample_document

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    blocks = tuple(SignatureBlock(f"For State {n}", f"Name {n}", "Minister") for n in range(5))
    document = replace(sample_document(rows=1), blocks=(para("Done at Baku."), Signatures(blocks)))
    with ZipFile(io.BytesIO(render_docx(document))) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{w}body")
    rows = body.findall(f"{w}tbl")[-1].findall(f"{w}tr")
    assert len(rows) == 3
    keeps = []
    for row in rows:
        kept = set()
        for paragraph in row.iter(f"{w}p"):
            keep = paragraph.find(f"{w}pPr/{w}keepNext")
            assert keep is not None  # whatever the style says
            kept.add(keep.get(f"{w}val", "1") != "0")
        assert len(kept) == 1, kept  # the whole row keeps, or none of it
        keeps.append(kept.pop())
    assert keeps == [False, True, False]
    lines = [paragraph for paragraph in rows[0].iter(f"{w}p")
             if paragraph.find(f"{w}pPr/{w}pStyle").get(f"{w}val") == "SignatureLine"]
    assert len(lines) == 2
    for line in lines:
        spacing = line.find(f"{w}pPr/{w}spacing")
        assert spacing.get(f"{w}before") == str(round((stylesheet.SIGNATURE_SPACE - 0.7) * 20))
