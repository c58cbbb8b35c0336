"""Tests of Parallel blocks (the same text in several languages side by side) in every writer."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from dataclasses import replace
from functools import cache

import pytest
from docx.shared import Length
from pypdf import PdfReader

from generator import stylesheet
from generator.document import (
    Cell, Document, PageBreak, Paragraph, Parallel, SignatureBlock, block_lines, holds_signature,
)
from generator.writers.docx import render_docx
from generator.writers.dump import render_dump
from generator.writers.pdf import render_pdf
from tests.readback import squeeze
from tests.sample_document import para, sample_document
from tests.test_docx_writer import W, part, read, schema_errors
from tests.test_pdf_writer import BASE_14, placed_texts, runs_with_fonts
from tests.tools import missing_tool

pytestmark = pytest.mark.filterwarnings("error")

MM = stylesheet.MM
LANGUAGES = ("en", "ru", "fr")
SIGNATORIES = (  # party, name and title in each language
    ("For the Republic of Azerbaijan", "Vusal Huseynov", "Chief of the Service"),
    ("За Азербайджанскую Республику", "Вюсал Гусейнов", "Начальник Службы"),
    ("Pour la République d'Azerbaïdjan", "Vusal Huseynov", "Chef du Service"),
)
DONE_AT = ("Done at Baku on 12 October 2023.", "Совершено в Баку 12 октября 2023 года.",
           "Fait à Bakou le 12 octobre 2023.")


def parallel(*blocks) -> Parallel:
    """Return a Parallel with one block in each language's cell, English first."""
    return Parallel(tuple(Cell((block,)) for block in blocks), LANGUAGES[:len(blocks)])


def paragraphs(*texts: str, **kwargs) -> tuple[Paragraph, ...]:
    """Return one paragraph of the same kind for each text."""
    return tuple(para(text, **kwargs) for text in texts)


def done_at(columns: int) -> Parallel:
    """Return the "Done at" row, kept with the next block."""
    return parallel(*paragraphs(*DONE_AT[:columns], keep_with_next=True))


def signature_rows(count: int, columns: int) -> tuple[Parallel, ...]:
    """Return count signature rows, each with a signature block per language; the party line and
    the name end in the row's number."""
    return tuple(parallel(*(SignatureBlock(f"{party} {n}", f"{name} {n}", title)
                            for party, name, title in SIGNATORIES[:columns]))
                 for n in range(count))


def protocol(*blocks, language: str = "en") -> Document:
    """Return a final document (no watermark) whose body is the blocks."""
    document = sample_document(rows=0, draft=False)
    return replace(document, blocks=blocks, metadata=replace(document.metadata, language=language))


def trilingual() -> Document:
    """Return a short protocol in English, Russian and French with every kind of row."""
    return protocol(
        parallel(*paragraphs("Outcome Protocol", "Итоговый протокол", "Protocole final",
                             style="Title")),
        parallel(*paragraphs("The participants of the Almaty Process, meeting in Baku,",
                             "Участники Алматинского процесса, собравшиеся в Баку,",
                             "Les participants au Processus d'Almaty, réunis à Bakou,",
                             style="Preamble")),
        parallel(*paragraphs("Agree to strengthen cooperation on migration & asylum <b>.",
                             "Договорились укрепить сотрудничество в области миграции.",
                             "Conviennent de renforcer la coopération en matière d'asile.",
                             style="Operative", number="1.")),
        parallel(*paragraphs("Welcome the work of the Secretariat.",
                             "Приветствуют работу Секретариата.",
                             "Saluent le travail accompli par le Secrétariat.",
                             style="Operative", number="2.")),
        done_at(3),
        *signature_rows(2, 3),
    )


def numbered_pairs(count: int) -> tuple[Parallel, ...]:
    """Return count numbered English-Russian pairs of different lengths, the Russian much
    longer in some; each paragraph ends with "end n." or "конец n."."""
    return tuple(parallel(
        para(f"Paragraph {n} " + "on migration and asylum " * (2 + n % 4) + f"end {n}.",
             "Operative", number=f"{n}."),
        para(f"Абзац {n} " + "о миграции и убежище " * (2 + n % 5 * 4 + 14 * (n % 7 == 0))
             + f"конец {n}.", "Operative", number=f"{n}."),
    ) for n in range(1, count + 1))


def line_rows(count: int) -> tuple[Parallel, ...]:
    """Return count English-Russian rows of one line each."""
    return tuple(parallel(*paragraphs(f"Line {n}", f"Строка {n}")) for n in range(count))


def column_lines(document: Document) -> list[list[str]]:
    """Return each column's lines, in order: the text of its cells' blocks in the model."""
    columns = max(len(block.cells) for block in document.blocks if isinstance(block, Parallel))
    return [[line for block in document.blocks if isinstance(block, Parallel)
             for inner in block.cells[column].blocks for line in block_lines(inner)]
            for column in range(columns)]


# --- reading the PDF back column by column --------------------------------------------------


@cache
def pdf(document: Document) -> bytes:
    """Return the document as PDF bytes, rendered once per test session."""
    return render_pdf(document)


def column_box(document: Document, column: int, columns: int) -> tuple[float, float]:
    """Return the left and right edge of a column of text, in pt from the page's left edge."""
    text_width = stylesheet.page_size(document.page.size)[0] - 2 * stylesheet.MARGIN * MM
    gutter = stylesheet.PARALLEL_GUTTER * MM
    width = (text_width - (columns - 1) * gutter) / columns
    left = stylesheet.MARGIN * MM + column * (width + gutter)
    return left, left + width


@cache
def placed(document: Document, columns: int) -> tuple[tuple[tuple[int, str, float, float], ...],
                                                     ...]:
    """Return, for each page, (column, text, x, y) of every piece of body text, top to bottom
    and left to right; x and y in pt."""
    height = stylesheet.page_size(document.page.size)[1]
    margin = stylesheet.MARGIN * MM
    gutter = stylesheet.PARALLEL_GUTTER * MM
    step = column_box(document, 1, columns)[0] - margin
    pages = []
    for page in PdfReader(io.BytesIO(pdf(document))).pages:
        pieces = [(math.floor((x - margin + gutter / 2) / step), text, round(x, 2), round(y, 2))
                  for text, x, y in placed_texts(page) if margin <= y <= height - margin]
        pages.append(tuple(sorted(pieces, key=lambda piece: (-piece[3], piece[2]))))
    return tuple(pages)


def column_pages(document: Document, column: int, columns: int) -> list[str]:
    """Return the text of one column on each page, as pypdf reads it."""
    return [" ".join(text for where, text, _x, _y in pieces if where == column)
            for pieces in placed(document, columns)]


def cropped_pages(document: Document, column: int, columns: int) -> list[str]:
    """Return the text of one column on each page, as pdftotext reads it from the page cropped
    to the column and the body's height (keeping the layout: the wide spaces of justified lines
    in a narrow column otherwise make it read them as columns)."""
    left, right = column_box(document, column, columns)
    margin = stylesheet.MARGIN * MM
    height = stylesheet.page_size(document.page.size)[1]
    pages = len(PdfReader(io.BytesIO(pdf(document))).pages)
    box = [str(round(value)) for value in (left, margin, right - left, height - 2 * margin)]
    return [subprocess.run(
        ["pdftotext", "-layout", "-r", "72", "-f", str(page), "-l", str(page),
         "-x", box[0], "-y", box[1], "-W", box[2], "-H", box[3], "-", "-"],
        input=pdf(document), capture_output=True, check=True).stdout.decode()
        for page in range(1, pages + 1)]


def pages_with(pages: list[str], text: str) -> list[int]:
    """Return the 1-based numbers of the pages whose text has this text (whitespace aside)."""
    return [number for number, page in enumerate(pages, 1) if squeeze(text) in squeeze(page)]


def first_line(document: Document, columns: int, page: int) -> str:
    """Return the first piece of body text on a page (1-based)."""
    return placed(document, columns)[page - 1][0][1]


def line_place(document: Document, columns: int, column: int, text: str) -> tuple[int, float]:
    """Return the page (1-based) and the y (pt) of the first piece of text in the column that
    starts with text."""
    for page, pieces in enumerate(placed(document, columns), 1):
        for where, piece, _x, y in pieces:
            if where == column and piece.startswith(text):
                return page, y
    raise AssertionError(f"{text!r} is not in column {column}")


# --- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["pypdf", "pdftotext"])
def test_each_column_reads_back_as_the_text_of_its_language(reader):
    if reader == "pdftotext" and not shutil.which("pdftotext"):
        missing_tool("pdftotext (apt poppler-utils) is not installed")
    document = trilingual()
    read_column = column_pages if reader == "pypdf" else cropped_pages
    expected = column_lines(document)
    assert "Итоговый протокол" in expected[1] and "Fait à Bakou le 12 octobre 2023." in expected[2]
    for column in range(3):
        text = "".join(read_column(document, column, 3))
        assert squeeze(text) == squeeze("".join(expected[column])), column


def test_columns_are_equal_a_gutter_apart_with_numbers_hanging_in_each():
    document = protocol(*numbered_pairs(2))
    left_number, right_number = (
        next(x for where, text, x, _y in placed(document, 2)[0] if where == column and text == "1.")
        for column in (0, 1))
    left_text, right_text = (
        next(x for where, text, x, _y in placed(document, 2)[0]
             if where == column and text.startswith(start))
        for column, start in ((0, "Paragraph 1"), (1, "Абзац 1")))
    assert left_number == pytest.approx(stylesheet.MARGIN * MM, abs=0.1)
    assert right_number == pytest.approx(column_box(document, 1, 2)[0], abs=0.1)
    text_width = stylesheet.page_size("A4")[0] - 2 * stylesheet.MARGIN * MM
    assert right_number - left_number == pytest.approx(
        (text_width + stylesheet.PARALLEL_GUTTER * MM) / 2, abs=0.1)
    for number, text in ((left_number, left_text), (right_number, right_text)):
        assert text - number == pytest.approx(stylesheet.INDENT_STEP * MM, abs=0.1)


def test_numbered_paragraphs_start_level_in_both_columns_on_every_page():
    document = protocol(*numbered_pairs(40))
    pages = len(placed(document, 2))
    assert pages >= 8
    for n in range(1, 41):
        assert line_place(document, 2, 0, f"{n}.") == line_place(document, 2, 1, f"{n}."), n
    russian = column_pages(document, 1, 2)
    split = [n for n in range(1, 41)
             if pages_with(russian, f"конец {n}.")[0] > line_place(document, 2, 1, f"{n}.")[0]]
    assert len(split) >= 3, "no Russian paragraph continues on the next page"
    for column, lines in enumerate(column_lines(document)):
        text = "".join(column_pages(document, column, 2))
        assert squeeze(text) == squeeze("".join(lines)), column


def test_a_pair_longer_than_a_page_continues_over_the_next_pages():
    english = " ".join(f"migration{k}" for k in range(350))
    russian = " ".join(f"миграция{k}" for k in range(900))
    document = protocol(parallel(*paragraphs("Before", "До")),
                        parallel(*paragraphs(english, russian, style="Preamble")),
                        parallel(*paragraphs("After", "После")))
    columns = [column_pages(document, column, 2) for column in (0, 1)]
    assert len(columns[0]) >= 3  # pages
    assert len(pages_with(columns[0], "migration")) >= 2  # longer than a page
    assert len(pages_with(columns[1], "миграция")) >= 3
    for text, lines in zip(columns, column_lines(document)):
        assert squeeze("".join(text)) == squeeze("".join(lines))
    assert line_place(document, 2, 0, "After") == line_place(document, 2, 1, "После")


def test_signature_rows_never_split_and_the_done_at_row_stays_with_the_first():
    moved_done_at = moved_signature = False
    for fill in range(24, 36):  # the first page ends in the first signature rows, by steps of a
        # sixth of a row, then just below the "Done at" row
        document = protocol(*line_rows(fill), done_at(2), *signature_rows(6, 2))
        columns = [column_pages(document, column, 2) for column in (0, 1)]
        for n in range(6):
            places = [pages_with(pages, f"{line} {n}")
                      for pages, (party, name, _title) in zip(columns, SIGNATORIES)
                      for line in (party, name)]
            assert len(places[0]) == 1 and all(place == places[0] for place in places), (fill, n)
            moved_signature |= first_line(document, 2, places[0][0]) == f"{SIGNATORIES[0][0]} {n}"
        page, y = line_place(document, 2, 0, "Done at")
        assert line_place(document, 2, 1, "Совершено") == (page, y)
        assert pages_with(columns[0], f"{SIGNATORIES[0][0]} 0") == [page], fill
        moved_done_at |= first_line(document, 2, page).startswith("Done at")
    assert moved_done_at and moved_signature  # the fills put rows at the foot of a page


def test_a_keep_with_next_row_starts_on_the_page_of_the_next_row():
    moved = False
    for fill in range(30, 40):
        heading = parallel(*paragraphs("Annex", "Приложение", keep_with_next=True))
        document = protocol(*line_rows(fill), heading, *numbered_pairs(1))
        page = line_place(document, 2, 0, "Annex")[0]
        assert line_place(document, 2, 1, "Приложение")[0] == page
        assert line_place(document, 2, 0, "1.")[0] == line_place(document, 2, 1, "1.")[0] == page
        moved |= first_line(document, 2, page) == "Annex"
    assert moved


def test_a_page_break_between_rows_starts_a_page():
    document = protocol(*numbered_pairs(2)[:1], PageBreak(), *numbered_pairs(2)[1:])
    assert line_place(document, 2, 0, "1.")[0] == 1
    assert line_place(document, 2, 0, "2.")[0] == line_place(document, 2, 1, "2.")[0] == 2


def test_only_noto_serif_subsets_are_embedded():
    document = trilingual()
    data = pdf(document)
    assert b"Helvetica" not in data
    checked = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            subset, _, face = name.partition("+")
            assert face.startswith("NotoSerif") and face not in BASE_14, name
            assert len(subset) == 6 and "/FontFile2" in font["/FontDescriptor"], name
            checked.add(face)
        assert ("Итоговый", "NotoSerif-Bold") in runs_with_fonts(page)
    assert checked >= {"NotoSerif-Regular", "NotoSerif-Bold"}


# --- DOCX -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trilingual_docx() -> bytes:
    return render_docx(trilingual())


def test_docx_writes_one_borderless_row_per_parallel(trilingual_docx):
    document = trilingual()
    word = read(trilingual_docx)
    blocks = [block for block in document.blocks if isinstance(block, Parallel)]
    assert len(word.tables) == len(blocks) == len(document.blocks)
    section = word.sections[0]
    text_width = Length(section.page_width - section.left_margin - section.right_margin).twips
    gutter = round(stylesheet.PARALLEL_GUTTER * MM * 20)
    for table, block in zip(word.tables, blocks):
        [row] = table.rows
        properties = table._tbl.tblPr
        assert properties.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
        assert {border.get(f"{W}val") for border in properties.find(f"{W}tblBorders")} == {"nil"}
        assert table._tbl.find(f".//{W}tcBorders") is None
        widths = [int(cell._tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for cell in row.cells]
        margins = [cell._tc.find(f"{W}tcPr/{W}tcMar/{W}right") for cell in row.cells]
        assert [int(margin.get(f"{W}w")) for margin in margins[:-1]] == [gutter] * 2
        assert margins[-1] is None
        text = [width - gutter for width in widths[:-1]] + widths[-1:]  # each column's text
        assert len(set(text)) == 1 and text_width - 3 <= sum(widths) <= text_width
        cant_split = row._tr.find(f"{W}trPr/{W}cantSplit") is not None
        assert cant_split == holds_signature(block)


def test_docx_cells_hold_their_language_text_marked_with_the_language(trilingual_docx):
    word = read(trilingual_docx)
    document = trilingual()
    for column, lines in enumerate(column_lines(document)):
        printed = [paragraph.text.replace("\t", " ").replace("\n", " ") for table in word.tables
                   for paragraph in table.rows[0].cells[column].paragraphs
                   if paragraph.style.name != "Signature Line"]
        assert printed == lines, column
        runs = [run for table in word.tables for run in table.rows[0].cells[column]._tc.iter(
            f"{W}r")]
        assert runs and all(run.find(f"{W}rPr/{W}lang").get(f"{W}val") == LANGUAGES[column]
                            for run in runs), column


def test_docx_row_keeps_with_the_next_when_its_first_cell_ends_with_a_kept_paragraph():
    kept = Parallel((Cell((para("Done at Baku", keep_with_next=True),)),
                     Cell((para("Совершено"), para("в Баку")))), ("en", "ru"))
    free = Parallel((Cell((para("Annex"),)), Cell((para("Приложение", keep_with_next=True),))),
                    ("en", "ru"))
    word = read(render_docx(protocol(kept, free, *signature_rows(1, 2))))
    keeps = [[paragraph.paragraph_format.keep_with_next for cell in table.rows[0].cells
              for paragraph in cell.paragraphs] for table in word.tables]
    assert keeps == [[True, True, True], [None, True], [False] * 8]  # signature rows: no chain


def test_docx_page_break_between_rows_goes_on_a_paragraph_between_their_tables():
    data = render_docx(protocol(*numbered_pairs(2)[:1], PageBreak(), *numbered_pairs(2)[1:]))
    body = part(data, "word/document.xml").find(f"{W}body")
    assert [child.tag.removeprefix(W) for child in body] == ["tbl", "p", "tbl", "sectPr"]
    assert body.find(f"{W}p/{W}pPr/{W}pageBreakBefore") is not None
    assert "".join(body.find(f"{W}p").itertext()) == ""
    assert body.find(f"{W}tbl//{W}pageBreakBefore") is None


def test_docx_is_schema_valid_and_proofed_in_the_documents_language(trilingual_docx, tmp_path):
    assert schema_errors(trilingual_docx, tmp_path) == []
    russian = render_docx(protocol(para("Протокол"), parallel(
        *paragraphs("Протокол", "Protocol")), language="ru"))
    assert schema_errors(russian, tmp_path) == []
    for data, language in ((trilingual_docx, "en"), (russian, "ru")):
        styles = part(data, "word/styles.xml")
        [default] = styles.findall(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        assert default.get(f"{W}val") == language
        assert read(data).core_properties.language == language
    body = part(russian, "word/document.xml").find(f"{W}body")
    assert body.find(f"{W}p/{W}r/{W}rPr/{W}lang") is None  # the default applies outside


# --- dump -----------------------------------------------------------------------------------


def test_dump_nests_each_cell_under_the_parallel():
    document = protocol(parallel(para("Done.", keep_with_next=True),
                                 SignatureBlock("За Россию", "", "")))
    assert render_dump(document).splitlines()[4:] == [
        "  Parallel languages=['en', 'ru']",
        "    Cell",
        "      Paragraph 'Body' keep-with-next",
        "        'Done.'",
        "    Cell",
        "      SignatureBlock party='За Россию' name='' title=''",
    ]
