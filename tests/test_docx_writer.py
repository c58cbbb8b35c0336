"""Tests of the DOCX writer: read every output back with python-docx and lxml."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Inches, Length, Mm, Pt
from docx.table import Table as WordTable
from lxml import etree
from openxml_audit import OpenXmlValidator

from generator import stylesheet
from generator.document import (
    STYLES, Cell, Contents, ContentsEntry, Document, Heading, PageBreak, Paragraph, Row, Run,
    SignatureBlock, Table, document_lines,
)
from generator.fonts import FACES, FAMILY, FONT_DIR
from generator.writers import docx_xml
from generator.writers.docx import REFERENCE, WORD_STYLES, render_docx
from tests.sample_document import para, sample_document

pytestmark = pytest.mark.filterwarnings("error")

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
EMBEDS = {"embedRegular": "regular", "embedBold": "bold", "embedItalic": "italic",
          "embedBoldItalic": "bold_italic"}
"""w:font child -> the face role it embeds."""


def final_document(size: str = "Letter") -> Document:
    """Return the sample as a final copy: no marking, no watermark, no status line."""
    document = sample_document(draft=False)
    blocks = tuple(block for block in document.blocks if block != para("DRAFT", "Status"))
    return replace(document, blocks=blocks, page=replace(document.page, size=size))


def with_blocks(*blocks) -> Document:
    """Return the sample document with other blocks."""
    return replace(sample_document(rows=0), blocks=blocks)


def read(data: bytes):
    """Return the python-docx document of .docx bytes."""
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> etree._Element:
    """Return the parsed XML of one part of .docx bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def printed_lines(container) -> list[str]:
    """Return the text of each paragraph in a container, table cells row by row, in order
    (the empty paragraphs that draw the lines to sign on print no text and are left out)."""
    lines = []
    for block in container.iter_inner_content():
        if isinstance(block, WordTable):
            for row in block.rows:
                for cell in row.cells:
                    lines += printed_lines(cell)
        elif block.style.name != "Signature Line":
            lines.append(block.text)
    return lines


def applied(paragraph, name: str):
    """Return a paragraph_format property as Word applies it: the paragraph's own value, else
    its style's, else that style's base style's, and so on; None if none sets it."""
    value = getattr(paragraph.paragraph_format, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, name)
        style = style.base_style
    return value


def family_entry(data: bytes) -> etree._Element:
    """Return the font table's only w:font entry for the house family."""
    [entry] = [font for font in part(data, "word/fontTable.xml").iter(f"{W}font")
               if font.get(f"{W}name") == FAMILY]
    return entry


def embedded_faces(data: bytes) -> dict[str, bytes]:
    """Return the house family's embedded font files by face role, found through the font
    table's relationships and de-obfuscated: the first 32 bytes XORed with the 16 bytes of the
    key's hex digits read from the end (ECMA-376 Part 1, 17.8.1)."""
    relationships = part(data, "word/_rels/fontTable.xml.rels")
    targets = {rel.get("Id"): (rel.get("Type"), rel.get("Target")) for rel in relationships}
    faces = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for embed in family_entry(data):
            role = EMBEDS.get(embed.tag.removeprefix(W))
            if role is None:
                continue
            kind, target = targets[embed.get(f"{R}id")]
            assert kind == FONT_RELATIONSHIP
            stored = archive.read(f"word/{target}")
            key = bytes.fromhex(re.sub(r"[{}-]", "", embed.get(f"{W}fontKey")))[::-1]
            faces[role] = bytes(byte ^ key[i % 16] for i, byte in enumerate(stored[:32])) + \
                stored[32:]
    return faces


def font_parts(data: bytes) -> list[str]:
    """Return the names of the .docx's embedded font parts."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [name for name in archive.namelist() if name.startswith("word/fonts/")]


def shipped_face(role: str) -> bytes:
    """Return the font file of a face as shipped."""
    return (FONT_DIR / FACES[role][1]).read_bytes()


def schema_errors(data: bytes, tmp_path: Path) -> list[str]:
    """Return openxml-audit's schema errors for .docx bytes."""
    path = tmp_path / "audit.docx"
    path.write_bytes(data)
    result = OpenXmlValidator().validate(path)
    return [str(error) for error in result.errors if error.error_type.value == "schema"]


@pytest.fixture(scope="module")
def draft() -> bytes:
    return render_docx(sample_document())


@pytest.fixture(scope="module")
def final() -> bytes:
    return render_docx(final_document())


def test_body_prints_the_document_lines_in_order(draft):
    lines = [line.replace("\t", " ") for line in printed_lines(read(draft))]  # number, tab, text
    assert lines == document_lines(sample_document())
    assert "Item 7: Türkiye & Azərbaycan <b>not bold</b> {{ x }}" in lines
    assert "1. Agree on the priorities & directions of AT&T < > \" '." in lines


def test_number_hangs_before_a_tab_and_levels_indent(draft):
    paragraphs = {p.text: p for p in read(draft).paragraphs}
    nested = paragraphs["1.1.\tNested paragraph about the Regional Training Center on Migration."]
    top = paragraphs["1.\tAgree on the priorities & directions of AT&T < > \" '."]
    assert top.style.name == nested.style.name == "Operative"
    assert top.paragraph_format.left_indent is None  # the style's 10 mm
    assert nested.paragraph_format.left_indent == pytest.approx(Mm(20), abs=Mm(0.1))


def test_runs_keep_bold_italic_and_line_breaks(draft):
    paragraph = next(p for p in read(draft).paragraphs if p.text.startswith("Bold "))
    faces = [(run.text, bool(run.bold), bool(run.italic)) for run in paragraph.runs]
    assert faces == [("Bold ", True, False), ("italic ", False, True),
                     ("bold italic", True, True), (" line\nbreak", False, False)]
    assert paragraph._p.find(f".//{W}br") is not None
    texts = list(paragraph._p.iter(f"{W}t"))
    assert [t.text for t in texts] == ["Bold ", "italic ", "bold italic", " line", "break"]
    preserved = "{http://www.w3.org/XML/1998/namespace}space"
    assert [t.get(preserved) for t in texts] == [  # Word keeps the spaces at either end
        "preserve", "preserve", None, "preserve", None]
    assert paragraph.paragraph_format.keep_with_next is None


def test_keep_with_next_and_nested_contents_are_set_on_the_paragraph():
    document = with_blocks(para("kept", keep_with_next=True), para("free"),
                           Contents((ContentsEntry("Annex", 2, "annex"),)),
                           Heading((Run("Annex"),), level=2, anchor="annex"))
    paragraphs = read(render_docx(document)).paragraphs
    assert [p.paragraph_format.keep_with_next for p in paragraphs[:2]] == [True, None]
    assert paragraphs[2].text == "Annex"
    assert paragraphs[2].style.name == "toc 2"  # Word's own contents style, indented by level
    assert paragraphs[2].style.paragraph_format.left_indent == pytest.approx(
        Mm(stylesheet.INDENT_STEP), abs=Mm(0.1))
    assert paragraphs[2].style.paragraph_format.right_indent == pytest.approx(
        Mm(stylesheet.CONTENTS_PAGE_COLUMN), abs=Mm(0.1))


def furniture_lines(data: bytes) -> tuple[etree._Element, etree._Element]:
    """Return the header's first paragraph (its running lines) and the footer's last (the page
    label's line); a classification has a paragraph of its own below the one and above the
    other."""
    header = part(data, "word/header1.xml").findall(f"{W}p")[0]
    footer = part(data, "word/footer1.xml").findall(f"{W}p")[-1]
    return header, footer


def tab_stops(paragraph: etree._Element) -> list[tuple[str, int]]:
    """Return the paragraph's own tab stops as (alignment, position in twips)."""
    return [(tab.get(f"{W}val"), int(tab.get(f"{W}pos")))
            for tab in paragraph.findall(f"{W}pPr/{W}tabs/{W}tab")]


def bold_texts(paragraph: etree._Element) -> list[str]:
    """Return the text of each bold run of the paragraph."""
    return ["".join(run.itertext()) for run in paragraph.iter(f"{W}r")
            if run.find(f"{W}rPr/{W}b") is not None]


def test_header_and_footer_print_the_furniture_and_page_fields(draft):
    section = read(draft).sections[0]
    # the symbol at the left, the classification then the marking at the right, one line each
    assert [p.text for p in section.header.paragraphs] == [
        "AP/SOM/8/2023/1\tDRAFT · Version 0.3 · 12 October 2023", "RESTRICTED"]
    assert [p.text for p in section.footer.paragraphs] == ["RESTRICTED", "\t\tPage 1 of 1"]
    assert [p.style.name for p in section.header.paragraphs + section.footer.paragraphs] == [
        "Header", "Header", "Footer", "Footer"]
    header, footer = furniture_lines(draft)
    assert bold_texts(header) == bold_texts(footer) == []
    # the classification: centred, bold, at the body's size, on a line of its own
    for paragraph in (section.header.paragraphs[1], section.footer.paragraphs[0]):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert [(run.text, run.bold, run.font.size.pt) for run in paragraph.runs] == [
            ("RESTRICTED", True, stylesheet.SPECS["Body"].size)]
    fields = [code.text.strip() for code in footer.iter(f"{W}instrText")]
    assert fields == ["PAGE", "NUMPAGES"]
    watermark = header.find(f".//{V}shape/{V}textpath")  # in the header's only paragraph
    assert watermark is not None and watermark.get("string") == "DRAFT"


def hairline(paragraph: etree._Element) -> etree._Element | None:
    """Return the paragraph's own bottom border, or None."""
    return paragraph.find(f"{W}pPr/{W}pBdr/{W}bottom")


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_the_header_has_a_right_tab_stop_and_a_hairline_and_the_footer_centre_and_right(size):
    document = sample_document(rows=1)
    data = render_docx(replace(document, page=replace(document.page, size=size)))
    section = read(data).sections[0]
    text_width = Length(section.page_width - section.left_margin - section.right_margin)
    page_width = Mm(stylesheet.PAGE_SIZES[size][0])
    assert text_width == pytest.approx(page_width - 2 * Mm(stylesheet.MARGIN), abs=Mm(0.1))
    header, footer = furniture_lines(data)
    assert tab_stops(header) == [("right", text_width.twips)]
    [(centre, middle), (right, end)] = tab_stops(footer)
    assert (centre, right) == ("center", "right")
    assert middle == pytest.approx(text_width.twips / 2, abs=1)
    assert end == text_width.twips
    rule = hairline(header)
    assert rule is not None and hairline(footer) is None
    assert (rule.get(f"{W}val"), rule.get(f"{W}sz"), rule.get(f"{W}color")) == (
        "single", "2", stylesheet.RULE_COLOUR)  # a quarter point, in eighths
    styles = read(data).styles
    for name in ("Header", "Footer"):  # the style neither centres the line nor adds tab stops
        assert styles[name].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert styles[name].element.find(f"{W}pPr/{W}tabs") is None


@pytest.mark.parametrize("header, marking, classification, header_line, footer_line", [
    ("AP/SOM/8/2023/1", None, "RESTRICTED", "AP/SOM/8/2023/1", "\t\tPage 1 of 1"),
    ("", "DRAFT", None, "\tDRAFT", "\t\tPage 1 of 1"),
    ("AP/SOM/8/2023/1", "DRAFT", None, "AP/SOM/8/2023/1\tDRAFT", "\t\tPage 1 of 1"),
    ("", None, "SECRET", None, "\t\tPage 1 of 1"),
    ("AP/SOM/8/2023/1", None, None, "AP/SOM/8/2023/1", "\t\tPage 1 of 1"),
], ids=["no-marking", "marking-only", "no-classification", "classification-only", "title-only"])
def test_absent_furniture_leaves_its_slot_empty(header, marking, classification, header_line,
                                                footer_line):
    document = sample_document(rows=1)
    document = replace(document, page=replace(document.page, header=header, marking=marking,
                                               watermark=None, classification=classification))
    data = render_docx(document)
    section = read(data).sections[0]
    own = [classification] if classification else []  # the classification's own line
    assert [p.text for p in section.header.paragraphs] == (
        [header_line] if header_line is not None else []) + own
    assert [p.text for p in section.footer.paragraphs] == own + [footer_line]
    header_paragraph, footer_paragraph = furniture_lines(data)
    assert bold_texts(footer_paragraph) == []
    assert bold_texts(header_paragraph) == ([] if header_line is not None else own)
    assert "<w:pict" not in etree.tostring(header_paragraph).decode()
    assert (hairline(header_paragraph) is not None) == (header_line is not None)


PROTOCOL = "Outcome Protocol: 8th Senior Officials' Meeting of the Almaty Process"
BRIEFING = "Briefing pack: 8th Senior Officials' Meeting of the Almaty Process"
"""Running headers past the middle of an A4 text width, as in the example meeting."""


@pytest.mark.parametrize("header, marking, classification, header_line", [
    (BRIEFING, None, "RESTRICTED", BRIEFING),  # the classification on its own line
    (BRIEFING, "DRAFT", None, f"{BRIEFING}\tDRAFT"),  # one line, not staggered
    (BRIEFING, "DRAFT", "RESTRICTED", f"{BRIEFING}\tDRAFT"),
    # too long for one line beside the marking: the title wraps, balanced, at its left
    (PROTOCOL, "DRAFT · Version 0.1 · 12 October 2023", None,
     "Outcome Protocol: 8th Senior Officials'\tDRAFT · Version 0.1 · 12 October 2023\n"
     "Meeting of the Almaty Process"),
], ids=["classification-below", "marking-beside", "both", "title-wraps"])
def test_the_header_texts_share_their_first_line_as_in_the_pdf(header, marking, classification,
                                                                header_line):
    document = sample_document(rows=1)
    document = replace(document, page=replace(document.page, size="A4", header=header,
                                               marking=marking, watermark=None,
                                               classification=classification))
    data = render_docx(document)
    section = read(data).sections[0]
    # the running lines in one paragraph, the classification in its own below them
    assert [p.text for p in section.header.paragraphs] == [header_line] + (
        [classification] if classification else [])
    header_paragraph, _ = furniture_lines(data)
    assert len(header_paragraph.findall(f"{W}r/{W}br")) == header_line.count("\n")
    assert bold_texts(header_paragraph) == []


def test_a_document_without_furniture_prints_only_the_page_label():
    document = sample_document(rows=1)
    document = replace(document, page=replace(document.page, header="", marking=None,
                                               watermark=None, classification=None))
    data = render_docx(document)
    section = read(data).sections[0]
    assert section.header.is_linked_to_previous  # no header at all
    assert [p.text for p in section.footer.paragraphs] == ["\t\tPage 1 of 1"]
    [footer] = part(data, "word/footer1.xml").findall(f"{W}p")
    assert bold_texts(footer) == []
    assert [code.text.strip() for code in footer.iter(f"{W}instrText")] == ["PAGE", "NUMPAGES"]


def test_header_rows_repeat_and_no_row_splits(draft):
    table = read(draft).tables[0]
    rows = table._tbl.findall(f"{W}tr")
    assert len(rows) == 61
    for index, row in enumerate(rows):
        assert row.find(f"{W}trPr/{W}cantSplit") is not None
        assert (row.find(f"{W}trPr/{W}tblHeader") is not None) == (index == 0)
    fills = [shade.get(f"{W}fill") for shade in table._tbl.iter(f"{W}shd")]
    assert fills == [stylesheet.HEADER_SHADING] * 3
    assert stylesheet.HEADER_SHADING == "D9D9D9"


def test_table_columns_fill_the_text_width_in_proportion(draft):
    word = read(draft)
    section = word.sections[0]
    text_width = Length(section.page_width - section.left_margin - section.right_margin).twips
    grid = [int(col.get(f"{W}w")) for col in word.tables[0]._tbl.iter(f"{W}gridCol")]
    assert sum(grid) == text_width
    assert grid[1] == grid[2] == pytest.approx(3 * grid[0], abs=2)


def test_signature_blocks_stay_whole(draft):
    word = read(draft)
    paragraphs = word.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "For the Republic of State 3")
    block = party, signing, name, title = paragraphs[start:start + 4]
    assert [p.text for p in block] == ["For the Republic of State 3", "", "Name Surname 3", "Minister"]
    assert [p.style.name for p in block] == [
        "Signature Party", "Signature Line", "Signature", "Signature"]
    assert [applied(p, "keep_with_next") for p in block] == [True, True, True, False]
    assert all(applied(p, "keep_together") for p in block)
    assert applied(party, "space_before") == Pt(stylesheet.SIGNATURE_SPACE_BEFORE)
    assert applied(signing, "space_before") == Pt(stylesheet.SIGNATURE_SPACE)  # room to sign
    line = signing.style.element.find(f"{W}pPr/{W}pBdr/{W}bottom")  # the line to sign on
    assert line is not None and line.get(f"{W}val") == "single"
    assert int(line.get(f"{W}sz")) == stylesheet.SIGNATURE_LINE_WIDTH * 8
    assert all(p.style.element.find(f"{W}pPr/{W}pBdr") is None for p in (party, name, title))
    section = word.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert text_width - signing.paragraph_format.right_indent == pytest.approx(
        Mm(stylesheet.SIGNATURE_LINE), abs=Mm(0.1))  # the line ends at the right indent
    assert not any("_" in p.text for p in paragraphs)


def test_signature_block_skips_empty_lines():
    document = with_blocks(SignatureBlock("For the Kyrgyz Republic", "", "Minister"),
                           SignatureBlock("For Türkiye", "", ""))
    paragraphs = read(render_docx(document)).paragraphs
    assert [p.text for p in paragraphs] == ["For the Kyrgyz Republic", "", "Minister",
                                            "For Türkiye", ""]
    assert [p.style.name for p in paragraphs] == ["Signature Party", "Signature Line", "Signature",
                                                  "Signature Party", "Signature Line"]
    assert [applied(p, "keep_with_next") for p in paragraphs] == [True, True, False, True, False]


def test_contents_entries_link_to_heading_bookmarks(draft):
    body = part(draft, "word/document.xml")
    links = [(link.get(f"{W}anchor"), "".join(link.itertext())) for link in body.iter(
        f"{W}hyperlink")]
    assert links == [("programme", "Programme"), ("signatures", "Signatures")]
    marks = [mark.get(f"{W}name") for mark in body.iter(f"{W}bookmarkStart")]
    assert marks == ["programme", "signatures"]
    ids = [mark.get(f"{W}id") for mark in body.iter(f"{W}bookmarkStart")]
    assert ids == [end.get(f"{W}id") for end in body.iter(f"{W}bookmarkEnd")]
    assert len(set(ids)) == len(ids)


def test_page_breaks_start_the_next_paragraph_on_a_new_page(draft):
    paragraphs = read(draft).paragraphs
    signatures = next(p for p in paragraphs if p.text == "Signatures"
                      and p.style.name.startswith("Heading"))
    assert signatures.paragraph_format.page_break_before
    assert signatures.style.name == "Heading 1"
    document = with_blocks(para("one"), PageBreak(),
                           Heading((Run("Annex"),), level=2, page_break=True), para("two"))
    paragraphs = read(render_docx(document)).paragraphs
    assert [(p.text, p.paragraph_format.page_break_before) for p in paragraphs] == [
        ("one", None), ("Annex", True), ("two", None)]


@pytest.mark.parametrize("size, width, height", [("A4", Mm(210), Mm(297)),
                                                 ("Letter", Inches(8.5), Inches(11))])
def test_page_size_follows_the_page_settings(size, width, height):
    document = replace(sample_document(rows=1), page=replace(sample_document().page, size=size))
    section = read(render_docx(document)).sections[0]
    assert section.page_width == pytest.approx(width, abs=Mm(0.1))
    assert section.page_height == pytest.approx(height, abs=Mm(0.1))
    assert section.left_margin == pytest.approx(Mm(stylesheet.MARGIN), abs=Mm(0.1))
    assert section.header_distance == pytest.approx(Mm(stylesheet.FURNITURE_DISTANCE),
                                                    abs=Mm(0.1))


def test_unknown_page_size_is_refused():
    document = sample_document(rows=1)
    with pytest.raises(ValueError, match="'A5'"):
        render_docx(replace(document, page=replace(document.page, size="A5")))


def test_core_properties_come_from_the_metadata(draft):
    properties = read(draft).core_properties
    metadata = sample_document().metadata
    assert properties.title == "Outcome Protocol"
    assert properties.subject == metadata.subject
    assert properties.author == properties.last_modified_by == metadata.author
    assert properties.keywords == "Almaty Process; protocol; draft"
    assert properties.language == "en"
    assert properties.created == properties.modified == metadata.created
    assert properties.revision == 1
    assert properties.comments == ""


def test_long_metadata_is_cut_to_what_core_properties_hold():
    document = sample_document(rows=1)
    long = "Ministerial Conference " * 20
    metadata = replace(document.metadata, title=long, keywords=(long, long))
    properties = read(render_docx(replace(document, metadata=metadata))).core_properties
    assert properties.title == long[:255]
    assert len(properties.keywords) == 255


def test_zip_entries_have_one_order_and_the_build_time(draft):
    """Byte-identical output across processes is tests/test_reproducible.py's."""
    with zipfile.ZipFile(io.BytesIO(draft)) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert {entry.date_time for entry in entries} == {(2023, 10, 12, 0, 0, 0)}


def test_a_final_document_says_draft_nowhere(draft, final):
    def texts(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    assert any("DRAFT" in text for text in texts(draft))
    assert not any("DRAFT" in text for text in texts(final))
    assert "<w:pict" not in "".join(texts(final))


def test_outputs_are_schema_valid(draft, final, tmp_path):
    assert schema_errors(draft, tmp_path) == []
    assert schema_errors(final, tmp_path) == []


def test_fonts_are_embedded_as_word_embeds_them(draft):
    names = font_parts(draft)
    assert names == [f"word/fonts/font{n}.odttf" for n in range(1, 5)]
    types = part(draft, "[Content_Types].xml")
    defaults = {d.get("Extension"): d.get("ContentType") for d in types if "Default" in d.tag}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if "Override" in o.tag}
    for name in names:
        assert overrides.get(f"/{name}", defaults.get("odttf")) == OBFUSCATED_FONT
    relationships = part(draft, "word/_rels/fontTable.xml.rels")
    assert sorted(f"word/{rel.get('Target')}" for rel in relationships
                  if rel.get("Type") == FONT_RELATIONSHIP) == names  # each part related once
    entry = family_entry(draft)
    assert [child.tag.removeprefix(W) for child in entry] == [  # the schema's order
        "altName", "panose1", "charset", "family", "pitch", "sig",
        "embedRegular", "embedBold", "embedItalic", "embedBoldItalic"]
    values = {child.tag.removeprefix(W): child.get(f"{W}val") for child in entry}
    assert values["altName"] == "Times New Roman" and values["family"] == "roman"
    assert values["panose1"] == "02020502060505020204"  # Noto Serif's, from its OS/2 table
    keys = [embed.get(f"{W}fontKey") for embed in entry[6:]]
    assert all(re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key) for key in keys)
    assert len(set(keys)) == 4
    assert part(draft, "word/settings.xml").find(f"{W}embedTrueTypeFonts") is not None


def document_text(data: bytes) -> list[str]:
    """Return the text of every w:t of the body, headers and footers of .docx bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [name for name in archive.namelist()
                 if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name)]
    return [text.text or "" for name in names for text in part(data, name).iter(f"{W}t")]


def font_of(data: bytes):
    """Return a font file's bytes as a fontTools TTFont."""
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(data))


def test_embedded_fonts_are_subsets_of_the_shipped_faces_obfuscated(draft):
    faces = embedded_faces(draft)
    assert set(faces) == set(FACES)
    shown = set("".join(document_text(draft)))  # every character the document prints
    for role, data in faces.items():
        font, shipped = font_of(data), font_of(shipped_face(role))
        characters = {chr(code) for code in font.getBestCmap()}
        assert shown - {"\t", "\n"} <= characters, role
        assert len(characters) < len(shipped.getBestCmap()) / 2, role  # a subset, not the face
        assert characters <= {chr(code) for code in shipped.getBestCmap()}, role
        assert font["name"].getDebugName(1) == FAMILY  # clients match the face by its family
        assert font["OS/2"].ulUnicodeRange2 == shipped["OS/2"].ulUnicodeRange2  # scripts kept
        assert font["head"].modified == shipped["head"].modified  # no build time in the file
        glyph = font.getBestCmap()[ord("A")]
        assert font["glyf"][glyph].coordinates == shipped["glyf"][
            shipped.getBestCmap()[ord("A")]].coordinates  # the shipped outlines
    with zipfile.ZipFile(io.BytesIO(draft)) as archive:
        stored = archive.read("word/fonts/font1.odttf")
    assert stored[:32] != faces["regular"][:32]  # obfuscated, not a copy


def test_subsets_keep_what_a_client_prints_beyond_the_runs():
    """The watermark, the header's words, a contents field's page number and the digits of
    page fields, the hyphen of automatic hyphenation and the leader's dots, and the alphabet
    of a language the text uses only a few letters of."""
    document = sample_document(rows=1)
    page = replace(document.page, watermark="ΣΧΈΔΙΟ", header="Ωmega", marking="Шаг")
    data = render_docx(replace(document, page=page))
    faces = embedded_faces(data)
    characters = {chr(code) for code in font_of(faces["regular"]).getBestCmap()}
    assert set("ΩmegaШаг0123456789-.") <= characters
    assert set("ΣΧΈΔΙΟ") <= {chr(code) for code in font_of(faces["bold"]).getBestCmap()}
    assert {chr(code) for code in range(0x410, 0x450)} <= characters  # all of Russian's letters
    assert set("ŒœŸÇç«»") <= characters  # and French's


def test_obfuscation_follows_the_example_of_the_standard():
    key = "{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}"  # ECMA-376 Part 1, 17.8.1
    assert docx_xml.obfuscate(bytes(40), key) == bytes.fromhex(
        "AE1E8E94A018EC90D54A60AADC701B00") * 2 + bytes(8)
    assert docx_xml.obfuscate(docx_xml.obfuscate(b"font file " * 5, key), key) == b"font file " * 5


@pytest.mark.parametrize("blocks, classification, faces", [
    ((para("plain"),), None, {"regular"}),
    ((para("plain"),), "RESTRICTED", {"regular", "bold"}),  # the header prints it in bold
    ((para("a note", "Note"),), None, {"regular", "italic"}),
    ((Paragraph((Run("stressed", italic=True),), style="Body"),), None, {"regular", "italic"}),
    ((Heading((Run("Annex"),), level=3),), None, {"regular", "bold_italic"}),
    ((Paragraph((Run("bold in a note", bold=True),), style="Note"),), None,
     {"regular", "italic", "bold_italic"}),  # the paragraph mark keeps the style's italic
], ids=["plain", "classification", "italic-style", "italic-run", "heading-3", "bold-in-italic"])
def test_only_the_faces_a_document_uses_are_embedded(blocks, classification, faces):
    document = sample_document(rows=0)
    document = replace(document, blocks=blocks, page=replace(
        document.page, marking=None, watermark=None, classification=classification))
    data = render_docx(document)
    assert set(embedded_faces(data)) == faces
    assert len(font_parts(data)) == len(faces)
    regular = {chr(code) for code in font_of(embedded_faces(data)["regular"]).getBestCmap()}
    assert set("".join(document_text(data))) - {"\t", "\n"} <= regular


def test_a_reference_file_with_or_without_fonts_gives_one_embedded_family(tmp_path):
    embedding = tmp_path / "embedding.docx"  # a rendered document embeds all four faces
    embedding.write_bytes(render_docx(sample_document(rows=1)))
    without = docx.Document(str(REFERENCE))
    [table] = [rid for rid, rel in without.part.rels.items() if rel.reltype.endswith("/fontTable")]
    del without.part.rels[table]
    bare = tmp_path / "bare.docx"
    without.save(bare)
    document = with_blocks(para("plain"))
    for reference in (embedding, bare):
        data = render_docx(document, reference)
        assert set(embedded_faces(data)) == {"regular", "bold"}  # bold: the classification
        assert len(font_parts(data)) == 2
        assert part(data, "word/settings.xml").find(f"{W}embedTrueTypeFonts") is not None


def test_reference_defines_the_house_style():
    reference = docx.Document(str(REFERENCE))
    styles = reference.styles
    specs = stylesheet.SPECS
    assert set(WORD_STYLES) == set(specs) | {"Header", "Footer", "Signature Line", "toc 1",
                                             "toc 2", "toc 3"}
    assert set(STYLES) | {"Heading 1", "Heading 2", "Heading 3"} == set(specs)
    alignments = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                  "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
    for name in WORD_STYLES:
        fonts = styles[name].element.rPr.rFonts
        assert {fonts.get(qn(f"w:{script}")) for script in ("ascii", "hAnsi", "eastAsia", "cs")
                } == {FAMILY}, name
    for name, spec in specs.items():
        style, paragraph = styles[name], styles[name].paragraph_format
        assert style.font.size == Pt(spec.size), name
        assert bool(style.font.bold) == spec.bold and bool(style.font.italic) == spec.italic, name
        assert paragraph.alignment == alignments[spec.align], name
        assert paragraph.space_before == Pt(spec.space_before), name
        assert paragraph.space_after == Pt(spec.space_after), name
        assert bool(paragraph.keep_with_next) == spec.keep_with_next, name
        assert (paragraph.left_indent or 0) == pytest.approx(Mm(spec.hang), abs=Mm(0.01)), name
        assert (paragraph.first_line_indent or 0) == pytest.approx(-Mm(spec.hang), abs=Mm(0.01)
                                                                   ), name
        outline = style.element.pPr.find(f"{W}outlineLvl")
        level = int(name[-1]) - 1 if name.startswith("Heading ") else None
        assert (outline is None and level is None) or int(outline.get(f"{W}val")) == level, name
    for name in ("Header", "Footer"):
        assert styles[name].font.size == Pt(stylesheet.FURNITURE_SIZE), name
        assert styles[name].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT  # tab stops
    bold = {name for name in WORD_STYLES if styles[name].font.bold}
    assert bold == {"Title", "Document Title", "Subtitle", "Status", "Cover Title", "Table Header", "Heading 1",
                    "Heading 2", "Heading 3"}
    assert specs["Body"].size == 11 and specs["Cover Title"].size == 24
    assert styles["Operative"].paragraph_format.first_line_indent == pytest.approx(
        -Mm(stylesheet.INDENT_STEP), abs=Mm(0.1))
    assert styles["Heading 1"].paragraph_format.keep_with_next
    assert styles["Bullet"].element.pPr.numPr is not None
    [hang] = [level.find(f"{W}pPr/{W}ind")
              for level in reference.part.numbering_part.element.iter(f"{W}lvl")
              if level.find(f"{W}pStyle") is not None
              and level.find(f"{W}pStyle").get(f"{W}val") == "Bullet"]
    assert int(hang.get(f"{W}left")) == int(hang.get(f"{W}hanging")) == Mm(
        stylesheet.BULLET_HANG).twips
    section = reference.sections[0]
    assert section.top_margin == section.left_margin == pytest.approx(
        Mm(stylesheet.MARGIN), abs=Mm(0.01))
    assert section.footer_distance == pytest.approx(Mm(stylesheet.FURNITURE_DISTANCE),
                                                    abs=Mm(0.01))


def test_reference_file_is_what_the_script_makes():
    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", ROOT / "scripts" / "make_reference_docx.py")
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # dataclasses look their module up
    spec.loader.exec_module(script)
    with zipfile.ZipFile(io.BytesIO(script.make_reference())) as made, \
            zipfile.ZipFile(REFERENCE) as stored:
        assert made.namelist() == stored.namelist()
        for name in made.namelist():
            assert made.read(name) == stored.read(name), name


def test_reference_file_holds_only_the_styles_the_writer_uses():
    styles = docx.Document(str(REFERENCE)).styles
    defaults = {style.name for style in styles if style.element.get(qn("w:default")) == "1"}
    assert {style.name for style in styles} == set(WORD_STYLES) | defaults
    assert defaults == {"Normal", "Default Paragraph Font", "Normal Table", "No List"}
    ids = {style.style_id for style in styles}
    for reference in styles.element.iter(qn("w:basedOn"), qn("w:next"), qn("w:link")):
        assert reference.get(qn("w:val")) in ids  # nothing points at a dropped style
    with zipfile.ZipFile(REFERENCE) as package:
        assert len(package.read("word/styles.xml")) < 40_000  # python-docx's template: 358 KB


def test_a_reference_without_a_style_is_refused(tmp_path):
    reference = docx.Document(str(REFERENCE))
    reference.styles["Table Header"].delete()
    path = tmp_path / "reference.docx"
    reference.save(path)
    with pytest.raises(ValueError, match="'Table Header'"):
        render_docx(sample_document(rows=1), path)
    assert render_docx(final_document(), REFERENCE) == render_docx(final_document())


def test_cells_may_hold_nested_tables_and_nothing():
    inner = Table((1, 1), (Row((Cell((para("a", "Table Text"),)), Cell(()))),))
    outer = Table((1, 2), (Row((Cell(()), Cell((para("b", "Table Text"), inner)))),))
    data = render_docx(with_blocks(outer))
    assert printed_lines(read(data)) == ["", "b", "a", "", ""]  # Word needs a paragraph per cell


def test_a_thousand_rows_render():
    """Their speed is measured by scripts/benchmark.py, not here."""
    rows = tuple(Row(tuple(Cell((para(f"row {i} cell {j}", "Table Text"),)) for j in range(3)))
                 for i in range(1000))
    document = with_blocks(Table((1, 3, 3), rows))
    table = read(render_docx(document)).tables[0]
    assert len(table.rows) == 1000
    assert [cell.text for cell in table.rows[999].cells] == [f"row 999 cell {j}" for j in range(3)]


def test_a_bilingual_header_gives_each_language_its_line_and_raises_french_ordinals():
    """Each edition's title and marking share a line; a French ordinal ending is raised."""
    english = ("3rd Ministerial Conference", "DRAFT · Version 0.1")
    french = ((Run("3"), Run("e", superscript=True), Run(" Conférence ministérielle")),
              "PROJET · Version 0.1")
    document = sample_document(rows=1)
    page = replace(document.page, size="A4", watermark=None, classification=None,
                   header=f"{english[0]}\n3e Conférence ministérielle",
                   header_runs=(Run(english[0]), Run("\n")) + french[0],
                   marking=f"{english[1]}\n{french[1]}")
    data = render_docx(replace(document, page=page))
    section = read(data).sections[0]
    assert [p.text for p in section.header.paragraphs] == [
        f"{english[0]}\t{english[1]}\n3e Conférence ministérielle\t{french[1]}"]
    header_paragraph, _ = furniture_lines(data)
    raised = [run for run in header_paragraph.iter(f"{W}r")
              if run.find(f"{W}rPr/{W}vertAlign") is not None]
    assert ["".join(run.itertext()) for run in raised] == ["e"]
    assert raised[0].find(f"{W}rPr/{W}vertAlign").get(f"{W}val") == "superscript"
