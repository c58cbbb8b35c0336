"""The raw WordprocessingML that python-docx has no API for, each element at its schema position."""

from __future__ import annotations

import re
from typing import Sequence

from docx.blkcntnr import BlockItemContainer
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from generator import stylesheet
from generator.fonts import FAMILY

VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
WORD10 = "urn:schemas-microsoft-com:office:word"

GRID_SIZE = round(stylesheet.GRID_WIDTH * 8)
"""Width of table grid lines, in eighths of a point."""
CELL_MARGINS = {side: Mm(stylesheet.CELL_PADDING[vertical]).twips
                for side, vertical in (("top", 1), ("left", 0), ("bottom", 1), ("right", 0))}
"""Space between a cell's border and its text, in twips."""
CELL_PADDING = CELL_MARGINS["left"] + CELL_MARGINS["right"]
"""How much narrower a cell's text is than its column, in twips."""
WATERMARK_FILL = "#" + f"{round(stylesheet.WATERMARK_GREY * 255):02X}" * 3
"""Light grey of the watermark text (opaque, as in the PDF)."""

PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
"""The w:pPr children that the schema puts after w:pBdr."""

TEXT_SHAPE_TYPE = f"""<v:shapetype xmlns:v="{VML}" xmlns:o="{OFFICE}" id="_x0000_t136"
    coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
  <v:formulas>
    <v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
    <v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
    <v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
    <v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
    <v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
  </v:formulas>
  <v:path textpathok="t" o:connecttype="custom"
      o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
  <v:textpath on="t" fitshape="t"/>
  <v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
  <o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>"""
"""Word's own definition of shape type 136, text stretched along a straight path (no data in it)."""


def clear(container: BlockItemContainer) -> None:
    """Remove every paragraph and table from a container, keeping its section and cell settings."""
    element = container._element
    for child in list(element):
        if child.tag not in (qn("w:sectPr"), qn("w:tcPr")):
            element.remove(child)


def ends_with_paragraph(container: BlockItemContainer) -> bool:
    """Return whether the container's last child is a paragraph (Word requires one in a cell)."""
    element = container._element
    return len(element) > 0 and element[-1].tag == qn("w:p")


def add_paragraph(container: BlockItemContainer, style: ParagraphStyle, *,
                  keep_with_next: bool | None = None, page_break_before: bool = False,
                  left_indent: int | None = None, right_indent: int | None = None) -> Paragraph:
    """Return a new empty paragraph of that style at the end of the container.

    The other arguments override the style in that one paragraph; None leaves the style's.
    Indents are in twips. Written as XML in schema order: python-docx's setters would scan
    the paragraph properties for the place of each one, and its style setter every style.
    """
    paragraph = OxmlElement("w:p")
    properties = add_child(paragraph, "w:pPr")
    add_child(properties, "w:pStyle", val=style.style_id)
    if keep_with_next is not None:
        keep = add_child(properties, "w:keepNext")
        if not keep_with_next:
            set_attributes(keep, val=0)
    if page_break_before:
        add_child(properties, "w:pageBreakBefore")
    if left_indent is not None or right_indent is not None:
        indent = add_child(properties, "w:ind")
        if left_indent is not None:
            set_attributes(indent, left=left_indent)
        if right_indent is not None:
            set_attributes(indent, right=right_indent)
    append_block(container, paragraph)
    return Paragraph(paragraph, container)


def append_block(container: BlockItemContainer, block) -> None:
    """Append a w:p or w:tbl to the container, before the body's w:sectPr."""
    element = container._element
    if len(element) and element[-1].tag == qn("w:sectPr"):
        element[-1].addprevious(block)  # the body's w:sectPr stays last
    else:
        element.append(block)


def set_attributes(element, **values: str | int) -> None:
    """Set w: attributes on element from keyword arguments."""
    for name, value in values.items():
        element.set(qn(f"w:{name}"), str(value))


def add_child(parent, tag: str, **values: str | int):
    """Return a new child element appended to parent, with w: attributes from values."""
    child = etree.SubElement(parent, qn(tag))
    set_attributes(child, **values)
    return child


def add_run(paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """Append a run of text to the paragraph: a tab stays a tab, "\\n" or "\\r" breaks the line.

    This is what python-docx's add_run and run.text do, without their call per character and
    the search for the place of each property.
    """
    run = add_child(paragraph._p, "w:r")
    if bold or italic:
        properties = add_child(run, "w:rPr")
        if bold:
            add_child(properties, "w:b")
        if italic:
            add_child(properties, "w:i")
    for part in re.split(r"([\t\r\n])", text):
        if part == "\t":
            add_child(run, "w:tab")
        elif part in ("\r", "\n"):
            add_child(run, "w:br")
        elif part:
            element = add_child(run, "w:t")
            element.text = part
            if part != part.strip():
                element.set(qn("xml:space"), "preserve")


def add_table(container: BlockItemContainer, widths: Sequence[int]) -> Table:
    """Return an empty table with grid borders appended to the container; widths in twips."""
    table = OxmlElement("w:tbl")
    properties = add_child(table, "w:tblPr")
    add_child(properties, "w:tblW", w=sum(widths), type="dxa")
    borders = add_child(properties, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        add_child(borders, f"w:{side}", val="single", sz=GRID_SIZE, space=0, color="auto")
    add_child(properties, "w:tblLayout", type="fixed")
    margins = add_child(properties, "w:tblCellMar")
    for side, size in CELL_MARGINS.items():
        add_child(margins, f"w:{side}", w=size, type="dxa")
    grid = add_child(table, "w:tblGrid")
    for width in widths:
        add_child(grid, "w:gridCol", w=width)
    append_block(container, table)
    return Table(table, container)


def add_row(table: Table, widths: Sequence[int], header: bool) -> list[_Cell]:
    """Return the empty cells of a new row that never splits across pages; widths in twips.

    A header row repeats at the top of every page and is shaded light grey.
    """
    row = add_child(table._tbl, "w:tr")
    properties = add_child(row, "w:trPr")
    add_child(properties, "w:cantSplit")
    if header:
        add_child(properties, "w:tblHeader")
    cells = []
    for width in widths:
        cell = add_child(row, "w:tc")
        cell_properties = add_child(cell, "w:tcPr")
        add_child(cell_properties, "w:tcW", w=width, type="dxa")
        if header:
            add_child(cell_properties, "w:shd", val="clear", color="auto",
                      fill=stylesheet.HEADER_SHADING)
        cells.append(_Cell(cell, table))
    return cells


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """Append a field such as PAGE or NUMPAGES, showing `shown` until Word updates it."""
    add_child(add_child(paragraph._p, "w:r"), "w:fldChar", fldCharType="begin")
    code = add_child(add_child(paragraph._p, "w:r"), "w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    add_child(add_child(paragraph._p, "w:r"), "w:fldChar", fldCharType="separate")
    paragraph.add_run(shown)
    add_child(add_child(paragraph._p, "w:r"), "w:fldChar", fldCharType="end")


def bookmark_name(anchor: str) -> str:
    """Return a Word bookmark name for an anchor: ASCII letters, digits and _, at most 40."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not name[:1].isalpha():
        name = "a" + name
    return name[:40]


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Wrap the paragraph's content in a bookmark; number is unique in the document."""
    start = OxmlElement("w:bookmarkStart")
    set_attributes(start, id=number, name=name)
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(start)  # w:pPr stays first
    else:
        paragraph._p.insert(0, start)
    add_child(paragraph._p, "w:bookmarkEnd", id=number)


def add_internal_link(paragraph: Paragraph, name: str, text: str) -> None:
    """Append text that links to the bookmark called name."""
    link = add_child(paragraph._p, "w:hyperlink", anchor=name, history=1)
    run = OxmlElement("w:r")
    link.append(run)
    Run(run, paragraph).text = text


def add_bottom_border(properties, width: float, space: float) -> None:
    """Draw a line width pt thick, space pt below the last line of the paragraph or style whose
    w:pPr properties are given; it runs from the left indent to the right indent."""
    if not 0 <= space <= 31:
        raise ValueError(f"Word allows 0 to 31 pt between a paragraph and its border, not {space}")
    border = OxmlElement("w:pBdr")
    add_child(border, "w:bottom", val="single", sz=round(width * 8), space=round(space),
              color="auto")
    properties.insert_element_before(border, *PPR_AFTER_BORDER)


def add_watermark(paragraph: Paragraph, text: str, width: float) -> None:
    """Add text as a light grey word across the page behind the body; width in pt.

    The paragraph must be in a header, whose root declares the VML namespaces.
    """
    run = add_child(paragraph._p, "w:r")
    add_child(add_child(run, "w:rPr"), "w:noProof")
    picture = add_child(run, "w:pict")
    picture.append(parse_xml(TEXT_SHAPE_TYPE))
    height = width / (0.6 * max(len(text), 1))  # the text path stretches to fill the box
    shape = etree.SubElement(picture, f"{{{VML}}}shape")
    shape.set("id", "PowerPlusWaterMarkObject1")  # the id prefix Word's watermark dialog looks for
    shape.set("type", "#_x0000_t136")
    shape.set("style", (
        f"position:absolute;margin-left:0;margin-top:0;width:{width:.1f}pt;height:{height:.1f}pt;"
        "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        "mso-position-vertical-relative:margin"))
    shape.set(f"{{{OFFICE}}}allowincell", "f")
    shape.set("fillcolor", WATERMARK_FILL)
    shape.set("stroked", "f")
    path = etree.SubElement(shape, f"{{{VML}}}textpath")
    path.set("style", f'font-family:"{FAMILY}";font-size:1pt')
    path.set("string", text)
    wrap = etree.SubElement(shape, f"{{{WORD10}}}wrap")
    wrap.set("anchorx", "margin")
    wrap.set("anchory", "margin")
