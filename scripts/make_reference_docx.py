"""Write generator/resources/reference.docx, the house style of the DOCX writer.

Run when the house style changes: `python scripts/make_reference_docx.py`. It starts from
python-docx's default template, drops the parts that only describe that template (thumbnail,
stylesWithEffects, customXml, app.xml) and the styles the writer never uses, defines every
style the writer uses by name, sets the page margins and clears the body. Every number comes
from generator/stylesheet.py, which the PDF writer reads too. A user's own reference file
needs the same style names.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import stylesheet  # noqa: E402
from generator.document import STYLES  # noqa: E402
from generator.fonts import FAMILY  # noqa: E402
from generator.stylesheet import StyleSpec  # noqa: E402
from generator.writers import docx_xml  # noqa: E402
from generator.writers.docx import pack  # noqa: E402

TARGET = ROOT / "generator" / "resources" / "reference.docx"
BUILT = datetime(2023, 1, 1, tzinfo=timezone.utc)
"""The fixed time recorded in the reference file, so that it is the same on every run."""

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
"""Word 2010's copy of the styles, which python-docx does not keep in step: dropped."""

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}

BUILTIN = {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer",
           "Signature", "toc 1", "toc 2", "toc 3"}
"""The styles Word knows by name; the others are the house style's own."""

FURNITURE = StyleSpec(stylesheet.FURNITURE_SIZE, align="left", space_after=0)
"""The "Header" and "Footer" styles, which only the DOCX writer uses (the PDF draws its own).
Left-aligned: the writer gives each header and footer line a centre and a right tab stop at
the middle and the end of the text width, which depends on the page size."""

SIGNATURE_LINE = StyleSpec(1, space_before=stylesheet.SIGNATURE_SPACE, space_after=3,
                           keep_with_next=True)
"""The empty paragraph whose bottom border is the line to sign on: its space before is the room
to sign. A paragraph of its own, because Word draws one border round neighbouring paragraphs
that share a border, and would join the lines of two blocks that have no name or title."""

KEEP_LINES = {"Signature Party", "Signature", "Signature Line"}
"""Styles whose lines Word never splits across pages, so a signature block stays whole."""

CONTENTS = {f"toc {level}": StyleSpec(stylesheet.SPECS["Body"].size, space_after=3)
            for level in (1, 2, 3)}
"""Word's own contents styles ("toc 1".."toc 3"), which it gives the entries when it refreshes
the TOC field: set like the written-out entries, so a refresh keeps the house look."""

WORD_SPECS = stylesheet.SPECS | {"Header": FURNITURE, "Footer": FURNITURE,
                                  "Signature Line": SIGNATURE_LINE} | CONTENTS
"""Every style of the reference file."""
assert set(STYLES) <= set(WORD_SPECS)

BULLET_XML = (
    f'<w:abstractNum {nsdecls("w")}><w:multiLevelType w:val="singleLevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
    f'<w:pStyle w:val="Bullet"/><w:lvlText w:val="{stylesheet.BULLET}"/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind/></w:pPr><w:rPr><w:rFonts/></w:rPr></w:lvl></w:abstractNum>'
)


def set_fonts(rpr) -> None:
    """Set every script's font of a w:rPr to the house family, dropping theme fonts."""
    fonts = rpr.get_or_add_rFonts()
    fonts.attrib.clear()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FAMILY)


def set_complex_script(rpr, spec: StyleSpec) -> None:
    """Give complex-script text (Arabic, Persian) the style's size, weight and slant too."""
    size = OxmlElement("w:szCs")
    size.set(qn("w:val"), str(round(spec.size * 2)))
    rpr.sz.addnext(size)  # w:szCs directly follows w:sz
    if spec.bold:
        rpr.get_or_add_bCs()
    if spec.italic:
        rpr.get_or_add_iCs()


def drop_template_parts(document) -> None:
    """Drop the parts that describe python-docx's template rather than the house style."""
    for rels, kinds in ((document.part.package.rels, (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES)),
                        (document.part.rels, (STYLES_WITH_EFFECTS, RT.CUSTOM_XML))):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in kinds]:
            del rels[rid]


def set_defaults(document) -> None:
    """Set the document defaults: the house font, "Body"'s size and space after, its leading
    (styles set their own, as the PDF's) and widow and orphan control."""
    body = stylesheet.SPECS["Body"]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), str(Pt(body.space_after).twips))
    spacing.set(qn("w:line"), str(Pt(body.size * stylesheet.LEADING).twips))
    spacing.set(qn("w:lineRule"), "exact")
    normal = document.styles["Normal"]
    normal.font.size = Pt(body.size)
    normal.paragraph_format.widow_control = True  # no first or last line alone on a page
    set_fonts(normal.element.get_or_add_rPr())


def define_style(document, name: str, spec: StyleSpec) -> None:
    """Replace any style of that name by one made from spec alone."""
    styles = document.styles
    if name in styles:
        styles[name].delete()
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=name in BUILTIN)
    style.style_id = name.replace(" ", "").replace("toc", "TOC")  # Word's ids: "Header", "TOC1"
    style.base_style = styles["Normal"]
    style.next_paragraph_style = styles["Body"] if "Body" in styles else style
    style.quick_style = True
    style.font.size = Pt(spec.size)
    style.font.bold = spec.bold or None
    style.font.italic = spec.italic or None
    set_fonts(style.element.get_or_add_rPr())
    set_complex_script(style.element.get_or_add_rPr(), spec)
    paragraph = style.paragraph_format
    paragraph.alignment = ALIGN[spec.align]
    paragraph.space_before = Pt(spec.space_before)
    paragraph.space_after = Pt(spec.space_after)
    paragraph.line_spacing = Pt(spec.size * stylesheet.LEADING)  # exactly the PDF's leading
    if spec.hang:
        paragraph.left_indent = Mm(spec.hang)
        paragraph.first_line_indent = -Mm(spec.hang)
    if spec.keep_with_next:
        paragraph.keep_with_next = True
    if name in KEEP_LINES:
        paragraph.keep_together = True
    if name.startswith("Heading "):
        outline = int(name.removeprefix("Heading ")) - 1  # Heading 1 is outline level 0
        style.element.get_or_add_pPr().get_or_add_outlineLvl().val = outline
    if name not in stylesheet.HYPHENATED:  # titles, headings, names, signature blocks
        suppress_hyphenation(style)


def suppress_hyphenation(style) -> None:
    """Have Word never hyphenate a paragraph of the style."""
    properties = style.element.get_or_add_pPr()
    if properties.find(qn("w:suppressAutoHyphens")) is None:
        after = docx_xml.PPR_AFTER_BORDER[
            docx_xml.PPR_AFTER_BORDER.index("w:suppressAutoHyphens") + 1:]
        properties.insert_element_before(OxmlElement("w:suppressAutoHyphens"), *after)


def drop_unused_styles(document) -> None:
    """Drop the template's styles the writer never uses (its table, list and quote styles): a
    client needs only the defaults and the house styles, and every file the writer makes parses,
    copies and zips the style sheet again. The latent styles, Word's list of its built-in ones,
    stay."""
    kept = {document.styles[name].style_id for name in WORD_SPECS}
    for style in document.styles.element.findall(qn("w:style")):
        if style.get(qn("w:default")) != "1" and style.get(qn("w:styleId")) not in kept:
            style.getparent().remove(style)


def add_bullets(document) -> None:
    """Give the Bullet style a "•" hanging by its indent (a bullet, never a number)."""
    numbering = document.part.numbering_part.element
    ids = [int(element.get(qn("w:abstractNumId"))) for element in
           numbering.findall(qn("w:abstractNum"))]
    abstract = parse_xml(BULLET_XML)
    abstract.set(qn("w:abstractNumId"), str(max(ids, default=-1) + 1))
    indent = abstract.find(f".//{qn('w:ind')}")
    indent.set(qn("w:left"), str(Mm(stylesheet.BULLET_HANG).twips))
    indent.set(qn("w:hanging"), str(Mm(stylesheet.BULLET_HANG).twips))
    set_fonts(abstract.find(f".//{qn('w:rPr')}"))
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)  # every w:abstractNum precedes every w:num
    else:
        numbering.append(abstract)
    num = numbering.add_num(int(abstract.get(qn("w:abstractNumId"))))
    style = document.styles["Bullet"]
    style.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num.numId


def add_signature_line(document) -> None:
    """Draw the line to sign on under every "Signature Line" paragraph (the writer sets the
    line's length by the right indent)."""
    properties = document.styles["Signature Line"].element.get_or_add_pPr()
    docx_xml.add_bottom_border(properties, stylesheet.SIGNATURE_LINE_WIDTH, 0)


def set_contents_layout(document) -> None:
    """Indent the contents styles by level, leave the page number column free at the right, put
    a dot leader to the page number at the right margin (of A4; the writer sets the tab for the
    page size it writes) and never hyphenate an entry."""
    width = Mm(stylesheet.PAGE_SIZES["A4"][0] - 2 * stylesheet.MARGIN)
    for level in (1, 2, 3):
        style = document.styles[f"toc {level}"]
        paragraph = style.paragraph_format
        paragraph.left_indent = Mm((level - 1) * stylesheet.INDENT_STEP)
        paragraph.right_indent = Mm(stylesheet.CONTENTS_PAGE_COLUMN)
        paragraph.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        suppress_hyphenation(style)


def set_page(document) -> None:
    """Set A4 with the house margins and the header and footer distance from the edge."""
    section = document.sections[0]
    width, height = stylesheet.PAGE_SIZES["A4"]
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(stylesheet.MARGIN))
    section.header_distance = section.footer_distance = Mm(stylesheet.FURNITURE_DISTANCE)


def clear_properties(document) -> None:
    """Blank the template's core properties (the writer sets its own)."""
    properties = document.core_properties
    for field in ("author", "comments", "last_modified_by", "title", "subject", "keywords",
                  "category"):
        setattr(properties, field, "")
    properties.created = properties.modified = BUILT
    properties.revision = 1


def make_reference() -> bytes:
    """Return the bytes of the house-style reference .docx."""
    document = docx.Document()
    drop_template_parts(document)
    set_defaults(document)
    define_style(document, "Body", WORD_SPECS["Body"])
    for name, spec in WORD_SPECS.items():
        if name != "Body":
            define_style(document, name, spec)
    drop_unused_styles(document)
    add_bullets(document)
    add_signature_line(document)
    set_contents_layout(document)
    set_page(document)
    clear_properties(document)
    return pack(document, BUILT)


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(make_reference())
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
