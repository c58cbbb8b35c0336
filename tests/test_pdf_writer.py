"""Tests of the PDF writer: every output is read back with pypdf."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from functools import cache

import pytest
from pypdf import PdfReader

from generator import stylesheet
from generator.document import (
    STYLES, Cell, Contents, ContentsEntry, Document, Heading, PageBreak, Paragraph, Row, Run,
    SignatureBlock, Table, document_lines,
)
from tests.sample_document import para, sample_document

pytestmark = pytest.mark.filterwarnings("error")

BASE_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}
MARKING = "DRAFT · Version 0.3 · 12 October 2023"


@cache
def rendered(document: Document) -> bytes:
    """Return the document as PDF bytes, rendered once per test session."""
    from generator.writers.pdf import render_pdf

    return render_pdf(document)


def reader(document: Document) -> PdfReader:
    return PdfReader(io.BytesIO(rendered(document)))


@cache
def page_texts(document: Document) -> tuple[str, ...]:
    """Return the extracted text of each page."""
    return tuple(page.extract_text() for page in reader(document).pages)


def page_lines(document: Document) -> list[list[str]]:
    """Return each page's text lines, stripped."""
    return [[line.strip() for line in text.splitlines()] for text in page_texts(document)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_of_line(document: Document, line: str) -> list[int]:
    """Return the 1-based numbers of the pages that have this exact line."""
    return [number for number, lines in enumerate(page_lines(document), 1) if line in lines]


def runs_with_fonts(page) -> list[tuple[str, str]]:
    """Return (text, font name without subset prefix) for every piece of text drawn, in order."""
    shown = []

    def visit(text, _cm, _tm, font, _size):
        if text.strip() and font is not None:
            shown.append((text.strip(), str(font["/BaseFont"]).split("+")[-1]))

    page.extract_text(visitor_text=visit)
    return shown


def placed_texts(page) -> list[tuple[str, float, float]]:
    """Return (text, x, y) for every piece of text drawn, x and y in pt on the page."""
    placed = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x, y = tm[4], tm[5]
            placed.append((text.strip(), x * cm[0] + y * cm[2] + cm[4],
                           x * cm[1] + y * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return placed


def filler(count: int, word: str = "Filler") -> tuple[Paragraph, ...]:
    return tuple(para(f"{word} paragraph {n} " + "with some words " * 12) for n in range(count))


# --- text -----------------------------------------------------------------------------------


@pytest.mark.parametrize("with_contents", [True, False])
def test_every_line_printed_in_order(with_contents):
    document = sample_document()
    if not with_contents:
        document = replace(document, blocks=tuple(
            block for block in document.blocks if not isinstance(block, Contents)))
    text = squeeze("".join(page_texts(document)))
    position = 0
    for line in document_lines(document):
        found = text.find(squeeze(line), position)
        assert found >= 0, f"{line!r} missing or out of order"
        position = found + len(squeeze(line))


def test_markup_like_data_printed_verbatim():
    text = " ".join(page_texts(sample_document()))
    assert "<b>not" in text and "bold</b> {{ x }}" in text
    assert "AT&T < > \" '." in text
    assert "&amp;" not in text and "&lt;" not in text
    fonts = {font for page in reader(sample_document()).pages
             for shown, font in runs_with_fonts(page) if "<b>not" in shown}
    assert fonts == {"NotoSerif-Regular"}


def test_markup_in_every_field_printed_verbatim():
    nasty = "<i>x</i> & {{ y }} <unclosed"
    document = replace(sample_document(rows=1), blocks=(
        Heading((Run(nasty),), anchor="nasty"),
        para(nasty, "Operative", number="<1>"),
        Table((1,), (Row((Cell((para(nasty, "Table Text"),)),)),)),
        SignatureBlock(nasty, nasty, nasty),
    ))
    text = page_texts(document)[0]
    assert text.count(nasty) == 6
    assert "<1>" in text


def test_bold_and_italic_runs_use_real_faces():
    document = sample_document()
    shown = [pair for page in reader(document).pages for pair in runs_with_fonts(page)]
    assert ("Bold", "NotoSerif-Bold") in shown
    assert ("italic", "NotoSerifItalic-Italic") in shown
    assert ("bold italic", "NotoSerifItalic-BoldItalic") in shown
    assert ("Signatures", "NotoSerif-Bold") in shown


def test_long_word_and_row_taller_than_page():
    word = "x" * 500
    tall = Cell(tuple(para(f"Tall cell line {n}", "Table Text") for n in range(150)))
    document = replace(sample_document(rows=1), blocks=(
        para(word),
        Table((1, 2), (Row((Cell((para("Head", "Table Header"),)), Cell(())), header=True),
                       Row((Cell((para(word, "Table Text"),)), tall)))),
    ))
    assert len(page_texts(document)) >= 3
    text = squeeze("".join(page_texts(document)))
    assert text.count(word) == 2
    assert all(squeeze(f"Tall cell line {n}") in text for n in range(150))


@pytest.mark.parametrize("fill", [0, 32, 33, 34])
def test_rows_are_not_split_across_pages(fill):
    header = Row((Cell((para("Head", "Table Header"),)),), header=True)
    rows = tuple(Row((Cell(tuple(para(f"Row {n} line {k}", "Table Text") for k in range(6))),))
                 for n in range(60))
    lines = tuple(para(f"Line {n}") for n in range(fill))  # the table starts low on the page
    document = replace(sample_document(rows=1), blocks=lines + (Table((1,), (header,) + rows),))
    assert len(page_texts(document)) > 2
    for n in range(60):
        first, last = f"Row {n} line 0", f"Row {n} line 5"
        assert page_of_line(document, first) == page_of_line(document, last)


def test_heading_stays_with_start_of_table():
    document = sample_document()  # the table does not fit under the contents: it starts there
    assert page_of_line(document, "Programme") == [1] and page_of_line(document, "09:00") == [1]


# --- fonts ----------------------------------------------------------------------------------


def test_every_font_is_embedded_truetype():
    data = rendered(sample_document())
    assert b"Helvetica" not in data
    checked = 0
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] in ("/TrueType", "/Type0")
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"]
            assert str(font["/BaseFont"]).lstrip("/").split("+")[-1] not in BASE_14
            checked += 1
    assert checked


def test_stylesheet_defines_every_style_in_noto_serif():
    from generator.stylesheet import paragraph_styles

    styles = paragraph_styles()
    assert set(styles) == set(STYLES) | {"Heading 1", "Heading 2", "Heading 3"}
    for style in styles.values():
        assert style.fontName.startswith("NotoSerif")
        assert style.bulletFontName.startswith("NotoSerif")
    assert styles["Heading 1"].fontSize == 14 and styles["Heading 1"].keepWithNext
    assert styles["Table Header"].fontName == "NotoSerif-Bold"
    for name, spec in stylesheet.SPECS.items():
        style = styles[name]
        assert (style.fontSize, style.spaceBefore, style.spaceAfter, bool(style.keepWithNext)) == (
            spec.size, spec.space_before, spec.space_after, spec.keep_with_next), name
    party = stylesheet.SPECS["Signature Party"]
    assert party.space_before == stylesheet.SIGNATURE_SPACE_BEFORE and party.keep_with_next
    assert stylesheet.SPECS["Signature"].keep_with_next


# --- layout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fill", range(8))
def test_signature_blocks_stay_whole(fill):
    signatures = tuple(SignatureBlock(f"For State {n}", f"Name {n}", f"Title of State {n}")
                       for n in range(6))
    document = replace(sample_document(rows=1), blocks=filler(fill * 2 + 3) + (
        para("Done at Baku.", keep_with_next=True),) + signatures)
    assert page_of_line(document, "Done at Baku.") == page_of_line(document, "For State 0")
    for n in range(6):
        pages = [page_of_line(document, line)
                 for line in (f"For State {n}", f"Name {n}", f"Title of State {n}")]
        assert len(pages[0]) == 1 and pages[0] == pages[1] == pages[2], pages


def test_signature_line_is_drawn_not_typed():
    text = "".join(page_texts(sample_document()))
    assert "___" not in text
    document = replace(sample_document(rows=1), blocks=(SignatureBlock("For A", "", ""),))
    content = reader(document).pages[0].get_contents().get_data()
    mm = 72 / 25.4
    [length] = re.findall(rb"0 0 m ([\d.]+) 0 l S", content)  # one stroked horizontal rule
    assert float(length) == pytest.approx(stylesheet.SIGNATURE_LINE * mm, abs=0.01)
    assert stylesheet.SIGNATURE_LINE == 70
    place = rb"1 0 0 1 [\d.]+ ([\d.]+) cm\s+q\s+"  # the bottom of what is drawn next
    [party] = re.findall(place + rb"0 0 0 rg\s+BT[^\n]*\(For A\)", content)
    [line] = re.findall(place + rb"[\d.]+ w\s+0 J\s+0 0 0 RG\s+n 0 0 m", content)
    assert float(party) - float(line) == pytest.approx(  # room to sign, as in Word
        stylesheet.SIGNATURE_SPACE, abs=stylesheet.SIGNATURE_LINE_WIDTH)


def test_header_row_repeats_on_every_page_of_a_table():
    document = sample_document(rows=60)
    table_pages = [lines for lines in page_lines(document)
                   if any(line.startswith("Item ") for line in lines)]
    assert len(table_pages) >= 3
    for lines in table_pages:
        assert {"Time", "Item", "Speakers"} <= set(lines)


def test_page_breaks():
    document = replace(sample_document(rows=1), blocks=(
        para("First"), PageBreak(), para("Second"),
        Heading((Run("Third"),), anchor="third", page_break=True),
        PageBreak(), Heading((Run("Fourth"),), anchor="fourth", page_break=True),
    ))
    assert [page_of_line(document, line) for line in ("First", "Second", "Third", "Fourth")] == [
        [1], [2], [3], [4]]
    assert len(page_texts(document)) == 4


def test_numbers_hang_before_the_text():
    document = replace(sample_document(rows=1), blocks=(
        para("Operative text", "Operative", number="3."),
        para("Nested text", "Operative", number="1.1.", level=1)))
    positions = {}

    def visit(text, _cm, tm, _font, _size):
        positions.setdefault(text.strip(), tm[4])

    reader(document).pages[0].extract_text(visitor_text=visit)
    mm = 72 / 25.4
    assert positions["Operative text"] - positions["3."] == pytest.approx(10 * mm, abs=1)
    assert positions["1.1."] - positions["3."] == pytest.approx(10 * mm, abs=1)
    assert positions["Nested text"] - positions["1.1."] == pytest.approx(10 * mm, abs=1)


# --- page furniture -------------------------------------------------------------------------


def test_furniture_on_every_page():
    document = sample_document()
    texts = page_texts(document)
    assert len(texts) > 3
    for number, text in enumerate(texts, 1):
        assert MARKING in text
        assert "AP/SOM/8/2023/1" in text
        assert text.count("RESTRICTED") == 2
        assert re.findall(r"Page (\d+) of (\d+)", text) == [(str(number), str(len(texts)))]


def test_watermark_is_opaque_and_under_the_content():
    pdf = reader(sample_document())
    for page in pdf.pages:
        assert runs_with_fonts(page)[0] == ("DRAFT", "NotoSerif-Bold")
        states = page["/Resources"].get("/ExtGState", {})
        for state in states.values():
            state = state.get_object()
            assert state.get("/ca", 1) == 1 and state.get("/CA", 1) == 1


def test_no_draft_without_marking_and_watermark():
    document = sample_document(draft=False)
    document = replace(document, blocks=document.blocks[1:])  # drop the "DRAFT" status line
    texts = page_texts(document)
    assert texts and not any("DRAFT" in text for text in texts)
    assert all("RESTRICTED" in text for text in texts)


def test_no_classification_prints_none():
    document = sample_document(rows=1)
    document = replace(document, page=replace(document.page, classification=None))
    assert not any("RESTRICTED" in text for text in page_texts(document))


@pytest.mark.parametrize("size, expected", [("A4", (595.28, 841.89)), ("Letter", (612, 792))])
def test_page_size(size, expected):
    document = sample_document(rows=1)
    document = replace(document, page=replace(document.page, size=size))
    for page in reader(document).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            expected, abs=0.01)


# --- contents, bookmarks, metadata ----------------------------------------------------------


def contents_document() -> Document:
    headings = [("Alpha part", 1, 20), ("Beta section", 2, 20), ("Gamma point", 3, 20),
                ("Delta part", 1, 0), ("Epsilon point", 3, 20), ("Zeta section", 2, 5)]
    blocks: list = [para("Contents", "Title"), Contents(tuple(
        ContentsEntry(text, level, text.split()[0].lower()) for text, level, _ in headings)),
        PageBreak()]
    for text, level, fill in headings:
        blocks.append(Heading((Run(text),), level=level, anchor=text.split()[0].lower()))
        blocks += filler(fill, text.split()[0])
    return replace(sample_document(rows=1), blocks=tuple(blocks))


def test_contents_shows_the_real_page_of_each_heading():
    document = contents_document()
    pdf = reader(document)
    placed = placed_texts(pdf.pages[0])
    destinations = {name.lstrip("/"): pdf.get_destination_page_number(dest) + 1
                    for name, dest in pdf.named_destinations.items()}
    links = [annot.get_object() for annot in pdf.pages[0].get("/Annots", [])]
    entries = document.blocks[1].entries
    assert len(links) == len(entries)
    seen = set()
    for entry in entries:
        y = next(y for text, _x, y in placed if text == entry.text)
        [printed] = [int(text) for text, x, other_y in placed
                     if text.isdigit() and x > 400 and abs(other_y - y) < 0.5]
        pages = [page for page in page_of_line(document, entry.text) if page != 1]
        assert len(pages) == 1 and printed == pages[0] == destinations[entry.anchor], entry
        [link] = [link for link in links if link["/Rect"][1] < y < link["/Rect"][3]]
        assert pdf.get_page_number(link["/Dest"][0].get_object()) + 1 == printed
        seen.add(printed)
    assert len(seen) >= 4  # the headings really are on different pages


def test_contents_over_several_pages():
    entries = tuple(ContentsEntry(f"Heading number {n}", 1, f"h{n}") for n in range(150))
    headings = tuple(Heading((Run(entry.text),), anchor=entry.anchor) for entry in entries)
    document = replace(sample_document(rows=1), blocks=(Contents(entries),) + headings)
    pdf = reader(document)
    links = [(number, annot.get_object()) for number, page in enumerate(pdf.pages)
             for annot in page.get("/Annots", [])]
    assert len(links) == 150 and len({number for number, _link in links}) >= 3
    for n, (_number, link) in enumerate(links):
        target = pdf.get_page_number(link["/Dest"][0].get_object())
        assert f"Heading number {n}" in page_lines(document)[target]


def test_bookmarks_list_the_headings_nested_by_level():
    pdf = reader(contents_document())

    def titles(outline):
        return [titles(item) if isinstance(item, list) else item.title for item in outline]

    # a level 3 heading right under a level 1 heading is bookmarked one level down, not two
    assert titles(pdf.outline) == [
        "Alpha part", ["Beta section", ["Gamma point"]], "Delta part",
        ["Epsilon point", "Zeta section"]]
    assert pdf.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_page_labels_count_all_pages_with_contents():
    texts = page_texts(contents_document())
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text


def test_metadata():
    document = sample_document(rows=1)
    pdf = reader(document)
    info = pdf.metadata
    assert info.title == "Outcome Protocol"
    assert info.author == "State Migration Service of the Republic of Azerbaijan"
    assert info.subject == "8th Senior Officials' Meeting of the Almaty Process"
    assert info["/Keywords"] == "Almaty Process, protocol, draft"
    assert info.creator == "chancery"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20231012000000+00'00'"
    assert pdf.trailer["/Root"]["/Lang"] == "en"


# --- robustness and speed -------------------------------------------------------------------


def test_unknown_node_and_style_raise():
    from generator.writers.pdf import render_pdf

    with pytest.raises(TypeError):
        render_pdf(replace(sample_document(rows=1), blocks=("not a block",)))
    with pytest.raises(ValueError, match="Fancy"):
        render_pdf(replace(sample_document(rows=1), blocks=(para("x", "Fancy"),)))


def test_empty_document_has_one_page():
    document = replace(sample_document(rows=1), blocks=())
    assert len(page_texts(document)) == 1


def test_a_long_agenda_runs_over_pages():
    from generator.writers.pdf import render_pdf

    header = Row(tuple(Cell((para(text, "Table Header"),)) for text in ("Time", "Item", "Who")),
                 header=True)
    rows = tuple(Row((
        Cell((para(f"{n}:00", "Table Text"),)),
        Cell((para(f"Item {n}: exchange of views on migration & development", "Table Text"),
              para("Background: the Regional Training Center on Migration.", "Table Text"))),
        Cell((para("Mr. Вюсал Гусейнов", "Table Text"), para("TBC", "Table Text"))),
    )) for n in range(200))
    document = replace(sample_document(rows=1), blocks=(Table((1, 3, 3), (header,) + rows),))
    data = render_pdf(document)  # its speed is measured by scripts/benchmark.py, not here
    assert len(PdfReader(io.BytesIO(data)).pages) > 5


def test_running_text_is_hyphenated_in_the_language_of_its_part():
    """Long Russian words in a narrow column break with a hyphen by Russian rules inside a
    Russian part, and not by English rules outside it; titles never break."""
    from generator.document import Part

    words = "международного сотрудничества в области миграционной политики государств " * 6
    column = Table(widths=(1, 3), rows=(Row((Cell((para(words, "Table Text"),)), Cell(()))),))
    title = para("Межправительственное сотрудничество", "Title")
    base = sample_document(rows=1)
    russian = replace(base, blocks=(Part((title, column), "ru"),))
    english = replace(base, blocks=(title, column))
    hyphenated = [line for page in PdfReader(io.BytesIO(rendered(russian))).pages
                  for line in page.extract_text().splitlines() if re.search(r"\w-$", line)]
    assert hyphenated, "no Russian word was hyphenated at a line end"
    assert not any("Межправительствен" in line for line in hyphenated)
    plain = [line for page in PdfReader(io.BytesIO(rendered(english))).pages
             for line in page.extract_text().splitlines() if re.search(r"\w-$", line)]
    assert plain == []
