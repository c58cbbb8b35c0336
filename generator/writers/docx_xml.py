"""The raw WordprocessingML that python-docx has no API for, each element at its schema position."""

from __future__ import annotations

import hashlib
import math
import re
import struct
import uuid
from functools import lru_cache
from typing import Iterable, Sequence

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.opc.spec import default_content_types
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.ns import qn as docx_qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from generator import stylesheet
from generator.fonts import FACES, ROLES, face_bytes, family_name
from generator.subsets import subset


@lru_cache(maxsize=None)
def qn(tag: str) -> str:
    """Return the tag ("w:p") in Clark notation, as python-docx's qn does: kept, for a writer
    asks for the same few dozen names many thousand times."""
    return docx_qn(tag)

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
SETTINGS_BEFORE_EMBEDDING = (
    "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
    "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
    "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
)
"""The w:settings children that the schema puts before w:embedTrueTypeFonts."""

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
"""Content type of an embedded font part (ECMA-376 Part 1, 17.8.1)."""
FONT_PART = "/word/fonts/font%d.odttf"
"""Name of the embedded font parts, as Word names them."""
FONT_FALLBACK = "Times New Roman"
"""What Word looks for when it does not use the embedded faces (w:altName)."""
EMBED_TAGS = {"regular": "w:embedRegular", "bold": "w:embedBold", "italic": "w:embedItalic",
              "bold_italic": "w:embedBoldItalic"}
"""Face role -> the w:font child that embeds that face, in schema order."""
PARAGRAPH_PARTS = (CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER)
"""Content types of the parts whose paragraphs the writer fills."""
SHOWN_PARTS = PARAGRAPH_PARTS + (CT.WML_NUMBERING, CT.WML_FOOTNOTES, CT.WML_ENDNOTES,
                                 CT.WML_COMMENTS, CT.WML_STYLES)
"""Content types of the parts whose text a client may print in the embedded faces, or that
tag its language (the styles' defaults)."""
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DEFAULT_CONTENT_TYPES = frozenset(default_content_types) | {("odttf", OBFUSCATED_FONT)}
"""(extension, content type) pairs that [Content_Types].xml states once as a Default."""

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


def ends_with_table(container: BlockItemContainer) -> bool:
    """Return whether the container's last paragraph or table is a table (bookmark starts and
    ends between blocks do not count)."""
    blocks = (qn("w:p"), qn("w:tbl"))
    last = next((child for child in container._element.iterchildren(reversed=True)
                 if child.tag in blocks), None)
    return last is not None and last.tag == qn("w:tbl")


def add_paragraph(container: BlockItemContainer, style: ParagraphStyle, *,
                  keep_with_next: bool | None = None, page_break_before: bool = False,
                  tabs: Sequence[tuple[str, int] | tuple[str, int, str]] = (),
                  left_indent: int | None = None, right_indent: int | None = None) -> Paragraph:
    """Return a new empty paragraph of that style at the end of the container.

    The other arguments override the style in that one paragraph; None leaves the style's.
    tabs adds tab stops to the style's, each (alignment such as "center" or "right", position)
    or (alignment, position, leader such as "dot").
    Positions and indents are in twips. Written as XML in schema order: python-docx's setters
    would scan the paragraph properties for the place of each one, and its style setter every
    style.
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
    if tabs:
        stops = add_child(properties, "w:tabs")
        for alignment, position, *leader in tabs:
            add_child(stops, "w:tab", val=alignment, pos=position,
                      **({"leader": leader[0]} if leader else {}))
    if left_indent is not None or right_indent is not None:
        indent = add_child(properties, "w:ind")
        if left_indent is not None:
            set_attributes(indent, left=left_indent)
        if right_indent is not None:
            set_attributes(indent, right=right_indent)
    append_block(container, paragraph)
    return Paragraph(paragraph, container)


def append_block(container: BlockItemContainer, block) -> None:
    """Append a w:p, w:tbl or bookmark mark to the container, before the body's w:sectPr."""
    element = container._element
    last = next(element.iterchildren(reversed=True), None)  # len() would count every child
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(block)  # the body's w:sectPr stays last
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


def add_run(paragraph: Paragraph, text: str, bold: bool = False, italic: bool = False,
            language: str | None = None, superscript: bool = False) -> None:
    """Append a run of text to the paragraph: a tab stays a tab, "\\n" or "\\r" breaks the line.

    This is what python-docx's add_run and run.text do, without their call per character and
    the search for the place of each property. language (a BCP 47 tag) is the one Word proofs
    the run in; None leaves the document's. A superscript run is raised, as a footnote number.
    """
    append_run(paragraph._p, text, bold, italic, language, superscript)


def append_run(parent, text: str, bold: bool = False, italic: bool = False,
               language: str | None = None, superscript: bool = False) -> None:
    """Append a run of text to a w:p or w:hyperlink element, as add_run does."""
    run = add_child(parent, "w:r")
    if bold or italic or language or superscript:
        properties = add_child(run, "w:rPr")
        if bold:
            add_child(properties, "w:b")
        if italic:
            add_child(properties, "w:i")
        if superscript:  # w:vertAlign comes before w:lang in CT_RPr
            add_child(properties, "w:vertAlign", val="superscript")
        if language:
            add_child(properties, "w:lang", val=language)
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


def add_table(container: BlockItemContainer, widths: Sequence[int], grid: bool = True
              ) -> Table:
    """Return an empty table of fixed column widths (in twips) appended to the container: with
    grid borders and CELL_MARGINS, or with neither."""
    table = OxmlElement("w:tbl")
    properties = add_child(table, "w:tblPr")
    add_child(properties, "w:tblW", w=sum(widths), type="dxa")
    borders = add_child(properties, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if grid:
            add_child(borders, f"w:{side}", val="single", sz=GRID_SIZE, space=0, color="auto")
        else:
            add_child(borders, f"w:{side}", val="nil")
    add_child(properties, "w:tblLayout", type="fixed")
    margins = add_child(properties, "w:tblCellMar")
    for side, size in CELL_MARGINS.items():
        add_child(margins, f"w:{side}", w=size if grid else 0, type="dxa")
    columns = add_child(table, "w:tblGrid")
    for width in widths:
        add_child(columns, "w:gridCol", w=width)
    append_block(container, table)
    return Table(table, container)


def add_row(table: Table, widths: Sequence[int], header: bool = False, split: bool = False,
            gutter: int = 0) -> list[_Cell]:
    """Return the empty cells of a new row; widths and gutter in twips.

    A header row repeats at the top of every page and is shaded light grey. The row breaks
    across pages only if split; every cell but the last keeps gutter free at its right.
    """
    row = add_child(table._tbl, "w:tr")
    properties = add_child(row, "w:trPr")
    if not split:
        add_child(properties, "w:cantSplit")
    if header:
        add_child(properties, "w:tblHeader")
    cells = []
    for number, width in enumerate(widths, 1):
        cell = add_child(row, "w:tc")
        cell_properties = add_child(cell, "w:tcPr")
        add_child(cell_properties, "w:tcW", w=width, type="dxa")
        if header:
            add_child(cell_properties, "w:shd", val="clear", color="auto",
                      fill=stylesheet.HEADER_SHADING)
        if gutter and number < len(widths):
            add_child(add_child(cell_properties, "w:tcMar"), "w:right", w=gutter, type="dxa")
        cells.append(_Cell(cell, table))
    return cells


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """Append a field such as PAGE or NUMPAGES, showing `shown` until Word updates it."""
    begin_field(paragraph, instruction)
    paragraph.add_run(shown)
    end_field(paragraph)


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """Append the start of a complex field: its instruction, then the separator after which
    the field's result, as Word would compute it, follows up to end_field (in this paragraph
    or a later one)."""
    add_child(add_child(paragraph._p, "w:r"), "w:fldChar", fldCharType="begin")
    code = add_child(add_child(paragraph._p, "w:r"), "w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    add_child(add_child(paragraph._p, "w:r"), "w:fldChar", fldCharType="separate")


def end_field(paragraph: Paragraph) -> None:
    """Append the end of the complex field begun last."""
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


def add_range_start(container: BlockItemContainer, name: str, number: int) -> None:
    """Start a bookmark called name between the blocks of a container, before the next one;
    number is unique in the document."""
    start = OxmlElement("w:bookmarkStart")
    set_attributes(start, id=number, name=name)
    append_block(container, start)


def add_range_end(container: BlockItemContainer, number: int) -> None:
    """End the bookmark of that number after the container's last block."""
    end = OxmlElement("w:bookmarkEnd")
    set_attributes(end, id=number)
    append_block(container, end)


def add_internal_link(paragraph: Paragraph, name: str, text: str,
                      language: str | None = None, page: int | None = None) -> None:
    """Append text that links to the bookmark called name, in language as add_run's; a tab
    in it stays a tab. A page given follows a tab as a PAGEREF field to the bookmark, page
    its result until a client updates the field."""
    link = add_child(paragraph._p, "w:hyperlink", anchor=name, history=1)
    append_run(link, text, language=language)
    if page is None:
        return
    append_run(link, "\t", language=language)
    add_child(add_child(link, "w:r"), "w:fldChar", fldCharType="begin")
    code = add_child(add_child(link, "w:r"), "w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" PAGEREF {name} \\h "
    add_child(add_child(link, "w:r"), "w:fldChar", fldCharType="separate")
    append_run(link, str(page), language=language)
    add_child(add_child(link, "w:r"), "w:fldChar", fldCharType="end")


def add_bottom_border(properties, width: float, space: float, color: str = "auto") -> None:
    """Draw a line width pt thick (at least Word's quarter point), space pt below the last line
    of the paragraph or style whose w:pPr properties are given, in color (hex RGB or "auto");
    it runs from the left indent to the right indent."""
    if not 0 <= space <= 31:
        raise ValueError(f"Word allows 0 to 31 pt between a paragraph and its border, not {space}")
    border = OxmlElement("w:pBdr")
    add_child(border, "w:bottom", val="single", sz=max(round(width * 8), 2), space=round(space),
              color=color)
    properties.insert_element_before(border, *PPR_AFTER_BORDER)


def add_watermark(paragraph: Paragraph, text: str, width: float, height: float) -> None:
    """Add text as a light grey filled word across the page behind the body, as the PDF draws
    it (furniture.watermark_geometry) on a page width by height pt.

    The paragraph must be in a header, whose root declares the VML namespaces. The shape is
    the box of the glyphs' ink, which a text path fills, turned about its centre.
    """
    from generator.furniture import ink_height, watermark_geometry

    size, angle, length, drop = watermark_geometry(text, width, height)
    above, below = ink_height(text, size)
    box = max(above + below, 1.0)
    centre = above - box / 2 - drop  # of the ink, above the page's centre
    turn = math.radians(angle)
    left = width / 2 - math.sin(turn) * centre - length / 2
    top = height / 2 - math.cos(turn) * centre - box / 2
    run = add_child(paragraph._p, "w:r")
    add_child(add_child(run, "w:rPr"), "w:noProof")
    picture = add_child(run, "w:pict")
    picture.append(parse_xml(TEXT_SHAPE_TYPE))
    shape = etree.SubElement(picture, f"{{{VML}}}shape")
    shape.set("id", "PowerPlusWaterMarkObject1")  # the id prefix Word's watermark dialog looks for
    shape.set("type", "#_x0000_t136")
    shape.set("style", (
        f"position:absolute;margin-left:{left:.1f}pt;margin-top:{top:.1f}pt;"
        f"width:{length:.1f}pt;height:{box:.1f}pt;rotation:{360 - angle:.1f};"
        "z-index:-251657216;mso-position-horizontal-relative:page;"
        "mso-position-vertical-relative:page"))
    shape.set(f"{{{OFFICE}}}allowincell", "f")
    shape.set("fillcolor", WATERMARK_FILL)
    shape.set("filled", "t")
    shape.set("stroked", "f")
    fill = etree.SubElement(shape, f"{{{VML}}}fill")  # without it LibreOffice draws an outline
    fill.set("on", "t")
    fill.set("color", WATERMARK_FILL)
    fill.set("opacity", "1")
    path = etree.SubElement(shape, f"{{{VML}}}textpath")
    path.set("style", f'font-family:"{family_name()}";font-size:1pt;font-weight:bold')
    path.set("string", text)
    wrap = etree.SubElement(shape, f"{{{WORD10}}}wrap")
    wrap.set("anchorx", "page")
    wrap.set("anchory", "page")


def set_default_language(word: WordDocument, language: str) -> None:
    """Make language (a BCP 47 tag) the one Word proofs all text in that names none itself."""
    styles = word.styles.element
    defaults = find_or_add(styles, "w:docDefaults", "w:latentStyles", "w:style")
    properties = find_or_add(find_or_add(defaults, "w:rPrDefault", "w:pPrDefault"), "w:rPr")
    set_attributes(find_or_add(properties, "w:lang", "w:eastAsianLayout", "w:specVanish",
                               "w:oMath"), val=language)


SETTINGS_AFTER_HYPHENATION = (
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope",
    "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting", "w:bookFoldPrinting", "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin", "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin", "w:doNotShadeFormData", "w:noPunctuationKerning",
    "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
    "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
)
"""The w:settings children that the schema puts after w:autoHyphenation."""


CONSECUTIVE_HYPHENS = stylesheet.CONSECUTIVE_HYPHENS
"""The most hyphenated lines in a row."""


def set_auto_hyphenation(word: WordDocument) -> None:
    """Have Word hyphenate the text automatically, each run by its language's rules, never a
    word in capitals and at most CONSECUTIVE_HYPHENS lines in a row."""
    settings = word.settings.element
    set_attributes(find_or_add(settings, "w:autoHyphenation", *SETTINGS_AFTER_HYPHENATION),
                   val="true")
    after = SETTINGS_AFTER_HYPHENATION
    set_attributes(find_or_add(settings, "w:consecutiveHyphenLimit", *after[1:]),
                   val=str(CONSECUTIVE_HYPHENS))
    set_attributes(find_or_add(settings, "w:doNotHyphenateCaps",
                               *after[after.index("w:doNotHyphenateCaps") + 1:]), val="true")


def find_or_add(parent, tag: str, *successors: str):
    """Return parent's child of that tag, added before the first of the successor tags (or
    last) if there is none."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        later = [element for element in parent if element.tag in {qn(name) for name in successors}]
        if later:
            later[0].addprevious(child)
        else:
            parent.append(child)
    return child


def faces_used(word: WordDocument) -> set[str]:
    """Return the face roles (as in fonts.FACES) that any paragraph, paragraph mark or run of
    the body, headers and footers prints in: each run's bold and italic over its paragraph
    style's, which follows its w:basedOn chain to the document defaults."""
    styles = paragraph_style_faces(word.styles.element)
    default = styles.get(None, (False, False))
    used = set()
    for part in word.part.package.iter_parts():
        if part.content_type not in PARAGRAPH_PARTS:
            continue
        for paragraph in part.element.iter(qn("w:p")):
            style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            face = default if style is None else styles.get(style.get(qn("w:val")), default)
            used.add(face)
            for properties in paragraph.iter(qn("w:rPr")):  # runs' and the paragraph mark's
                used.add(override(face, face_flags(properties)))
    return {ROLES[face] for face in used}


def paragraph_style_faces(styles) -> dict[str | None, tuple[bool, bool]]:
    """Return (bold, italic) of each paragraph style of a w:styles element by style id; the
    key None gives the default paragraph style's."""
    own, based_on, default = {}, {}, None
    for style in styles.iterfind(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        style_id = style.get(qn("w:styleId"))
        own[style_id] = face_flags(style.find(qn("w:rPr")))
        base = style.find(qn("w:basedOn"))
        based_on[style_id] = None if base is None else base.get(qn("w:val"))
        if on(style.get(qn("w:default"))):
            default = style_id
    defaults = face_flags(styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))

    def resolve(style_id: str | None, seen: frozenset = frozenset()) -> tuple[bool, bool]:
        if style_id not in own or style_id in seen:
            return override((False, False), defaults)
        return override(resolve(based_on[style_id], seen | {style_id}), own[style_id])

    faces = {style_id: resolve(style_id) for style_id in own}
    faces[None] = resolve(default)
    return faces


def face_flags(properties) -> tuple[bool | None, bool | None]:
    """Return (bold, italic) that a w:rPr element sets; None for what it leaves alone."""
    if properties is None:
        return None, None
    flags = []
    for tag in ("w:b", "w:i"):
        element = properties.find(qn(tag))
        flags.append(None if element is None else on(element.get(qn("w:val"), "true")))
    return flags[0], flags[1]


def override(face: tuple[bool, bool], flags: tuple[bool | None, bool | None]
             ) -> tuple[bool, bool]:
    """Return (bold, italic) of face with what flags set (not None) replacing it."""
    return (face[0] if flags[0] is None else flags[0],
            face[1] if flags[1] is None else flags[1])


def on(value: str | None) -> bool:
    """Return whether an ST_OnOff attribute value is on (an absent one is off)."""
    return value in ("1", "true", "on")


def font_key(data: bytes) -> str:
    """Return the key that obfuscates a font file: the first 16 bytes of its SHA-256 as a
    GUID, so that builds repeat byte for byte."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """Return the font file data with its first 32 bytes XORed with the key's 16 bytes taken
    from the end of its hex digits (ECMA-376 Part 1, 17.8.1); done twice, it gives data back."""
    mask = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1] * 2
    return bytes(byte ^ bit for byte, bit in zip(data[:32], mask)) + data[32:]


@lru_cache(maxsize=16)
def embedded_face(data: bytes, text: str) -> tuple[str, bytes]:
    """Return the key and the obfuscated font file of a face's file cut to the characters of
    text, sorted and distinct (subsets.subset)."""
    data = subset(data, text)
    key = font_key(data)
    return key, obfuscate(data, key)


def shown_parts(word: WordDocument) -> list[tuple[str, etree._Element]]:
    """Return (part name, root element) of each part of the document whose text a client may
    print or whose language tags say what it is written in."""
    result = []
    for part in word.part.package.iter_parts():
        if part.content_type in SHOWN_PARTS:
            root = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob)
            result.append((str(part.partname), root))
    return result


def font_signature(data: bytes) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Return a TrueType file's PANOSE number (20 hex digits), Unicode ranges (4 bit fields)
    and code pages (2 bit fields), from its OS/2 table."""
    (tables,) = struct.unpack_from(">H", data, 4)
    for index in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"OS/2":
            return (data[offset + 32:offset + 42].hex().upper(),
                    struct.unpack_from(">4I", data, offset + 42),
                    struct.unpack_from(">2I", data, offset + 78))
    raise ValueError("the font file has no OS/2 table")


def font_table(word: WordDocument) -> XmlPart:
    """Return the document's font table part, made editable XML (python-docx loads it as
    bytes) and added if the reference file has none."""
    document_part = word.part
    rid = next((rid for rid, rel in document_part.rels.items()
                if rel.reltype == RT.FONT_TABLE), None)
    old = None if rid is None else document_part.rels[rid].target_part
    if isinstance(old, XmlPart):
        return old
    blob = old.blob if old is not None else f"<w:fonts {nsdecls('w', 'r')}/>".encode()
    table = XmlPart.load(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, blob,
                         document_part.package)
    if old is None:
        document_part.relate_to(table, RT.FONT_TABLE)
        return table
    for rel in old.rels.values():
        table.rels.add_relationship(rel.reltype, rel.target_ref if rel.is_external
                                    else rel.target_part, rel.rId, rel.is_external)
    document_part.rels.add_relationship(RT.FONT_TABLE, table, rid)  # replaces the old one
    return table


def embed_fonts(word: WordDocument, roles: Iterable[str], shown: frozenset[str]) -> None:
    """Embed the regular face and the faces in roles of the family being printed in, each cut
    to the characters the document shows (embed_family)."""
    wanted = set(roles) | {"regular"}
    embed_family(word, family_name(), [(role, face_bytes(role)) for role in FACES
                                       if role in wanted],  # in schema order
                 shown, alt_name=FONT_FALLBACK, charset="00", kind="roman")


def embed_family(word: WordDocument, family: str, faces: Sequence[tuple[str, bytes]],
                 shown: frozenset[str], *, alt_name: str, charset: str, kind: str,
                 repertoire: Iterable[str] = ()) -> None:
    """Embed the faces, (role, font file) in schema order, of the family, each cut to the
    characters shown (subsets.shown_characters of the package) and the repertoire, and
    obfuscated as Word does: one font
    part per face, related from the font table, whose entry for the family (in place of the
    reference file's) gives each its key, the font to take instead, the character set and the
    kind ("roman", "swiss")."""
    table = font_table(word)
    for entry in table.element.findall(qn("w:font")):
        if entry.get(qn("w:name")) == family:  # the reference file's own entry goes
            for embed in entry:
                table.rels.pop(embed.get(qn("r:id")), None)
            table.element.remove(entry)
    entry = add_child(table.element, "w:font", name=family)
    panose, unicode_ranges, code_pages = font_signature(faces[0][1])
    add_child(entry, "w:altName", val=alt_name)
    add_child(entry, "w:panose1", val=panose)
    add_child(entry, "w:charset", val=charset)
    add_child(entry, "w:family", val=kind)
    add_child(entry, "w:pitch", val="variable")
    add_child(entry, "w:sig", **{f"usb{n}": f"{bits:08X}" for n, bits in enumerate(unicode_ranges)},
              **{f"csb{n}": f"{bits:08X}" for n, bits in enumerate(code_pages)})
    package = word.part.package
    text = "".join(sorted(shown | set(repertoire)))
    for role, data in faces:
        key, font = embedded_face(data, text)
        rid = table.relate_to(Part(package.next_partname(FONT_PART), OBFUSCATED_FONT, font,
                                   package), RT.FONT)
        embed = add_child(entry, EMBED_TAGS[role], fontKey=key)
        embed.set(qn("r:id"), rid)
    set_embed_true_type_fonts(word.settings.element)


def set_embed_true_type_fonts(settings) -> None:
    """Tell Word, in a w:settings element, that the document embeds fonts (so that it keeps
    them when it saves the document again)."""
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    before = [child for child in settings
              if child.tag in {qn(tag) for tag in SETTINGS_BEFORE_EMBEDDING}]
    embedding = OxmlElement("w:embedTrueTypeFonts")
    if before:
        before[-1].addnext(embedding)
    else:
        settings.insert(0, embedding)


def content_types(parts: Iterable[Part]) -> bytes:
    """Return [Content_Types].xml for the parts: a Default for each known extension, an
    Override for each other part, sorted."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for part in parts:
        if (part.partname.ext.lower(), part.content_type) in DEFAULT_CONTENT_TYPES:
            defaults[part.partname.ext.lower()] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    types = etree.Element(f"{{{CONTENT_TYPES_NS}}}Types", nsmap={None: CONTENT_TYPES_NS})
    for extension, content_type in sorted(defaults.items()):
        etree.SubElement(types, f"{{{CONTENT_TYPES_NS}}}Default", Extension=extension,
                         ContentType=content_type)
    for name, content_type in sorted(overrides.items()):
        etree.SubElement(types, f"{{{CONTENT_TYPES_NS}}}Override", PartName=name,
                         ContentType=content_type)
    return etree.tostring(types, encoding="UTF-8", standalone=True)


PARAGRAPH_PROPERTIES = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", *PPR_AFTER_BORDER,
)
"""The w:pPr children in the schema's order."""
_FOLLOWING = {qn(tag): {qn(later) for later in PARAGRAPH_PROPERTIES[number + 1:]}
              for number, tag in enumerate(PARAGRAPH_PROPERTIES)}
"""For each w:pPr child, the children the schema puts after it."""


def paragraph_property(paragraph: Paragraph, tag: str):
    """Return the paragraph's w:pPr child of that tag, added in schema order if it has none.

    This is what python-docx's get_or_add does, without its search for each later tag in turn.
    """
    properties = paragraph._p.get_or_add_pPr()
    name = qn(tag)
    later = _FOLLOWING[name]
    for child in properties:
        if child.tag == name:
            return child
        if child.tag in later:
            child.addprevious(element := OxmlElement(tag))
            return element
    return add_child(properties, tag)


def set_keep_with_next(paragraph: Paragraph, keep: bool) -> None:
    """Keep the paragraph on the page of the next one or not, whatever its style says, as
    python-docx's keep_with_next does."""
    element = paragraph_property(paragraph, "w:keepNext")
    if keep:
        element.attrib.pop(qn("w:val"), None)
    else:
        element.set(qn("w:val"), "0")


def set_spacing(paragraph: Paragraph, **spaces: float) -> None:
    """Set the paragraph's space "before" or "after" (keywords, in pt), as python-docx's
    space_before and space_after do, in the order given."""
    element = paragraph_property(paragraph, "w:spacing")
    for side, space in spaces.items():
        element.set(qn(f"w:{side}"), str(Pt(space).twips))
