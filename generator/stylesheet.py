"""The house style: paragraph and table styles and page geometry, as numbers and for reportlab."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from generator.document import HouseStyle
from generator.fonts import face_name, register_pdf_fonts

if TYPE_CHECKING:  # reportlab is imported only when a PDF is made
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import TableStyle

MM = 72 / 25.4
"""Points in a millimetre."""

LEADING = 1.2
"""Line height as a multiple of the font size."""

MARGIN = 25.0
"""Page margins on all four sides, in mm."""

FURNITURE_DISTANCE = 12.0
"""Distance of the running header's top and the footer's bottom from the page edge, in mm."""

FURNITURE_SIZE = 9.0
"""Font size of the running header and footer, in pt."""

RULE_COLOUR = "000000"
"""Colour of rules that set off page furniture (the hairline under the running header), as hex
RGB."""

HAIRLINE = 0.25
"""Thickness of a hairline rule, in pt."""

HEADER_RULE_SPACE = 2.0
"""Space between the running header's last line (its descenders) and the hairline under it,
in pt."""

CLASSIFICATION_DISTANCE = 18.0
"""Distance from the page edge, in mm, at which the classification's lines begin: it is centred
between there and the margin, at the top and at the bottom of every page."""

INDENT_STEP = 10.0
"""Indentation per nesting level, and the hang of a paragraph number, in mm."""

BULLET_HANG = 6.0
"""How far the bullet of a "Bullet" paragraph hangs left of its text, in mm."""

BULLET = "•"
"""The character printed before a "Bullet" paragraph."""

HEADER_SHADING = "D9D9D9"
"""Background of table header rows, as hex RGB."""

GRID_WIDTH = 0.5
"""Width of table grid lines, in pt."""

CELL_PADDING = (1.5, 1.5)
"""Horizontal and vertical padding inside table cells, in mm."""

PARALLEL_GUTTER = 8.0
"""Space between the columns of text in parallel languages, in mm."""

CONTENTS_PAGE_COLUMN = 15.0
"""Width of the page number column at the right of a contents list, in mm."""

LEADER_SPACING = 4.5
"""Distance between the dots of a contents line's leader to its page number, in pt."""

LEADER_DOT = 0.1
"""Diameter of a leader's dot, as a fraction of the font size (a full stop's)."""

SIGNATURE_SPACE_BEFORE = 18.0
"""Space above a signature block's party line, in pt."""

NARROW_MEASURE = 100.0
"""A text narrower than this (a parallel column, a table cell), in mm, is set flush left and
ragged right: justified, its few words a line would stand a word's width apart."""

TITLE_BLOCK_SPACE = 18.0
"""Space between the title block, which ends with the document's title, and the body, in pt."""

TESTIMONIUM_SPACE = 18.0
"""Space above the testimonium, which stands apart from the text before it, in pt."""

SIGNATURE_SPACE = 42.0
"""Room to sign: the space between the party line and the line to sign on, in pt (15 mm)."""

SIGNATURE_LINE = 70.0
"""Length of the line to sign on, in mm."""

SIGNATURE_LINE_WIDTH = 0.5
"""Thickness of the line to sign on, in pt."""

WATERMARK_GREY = 0.85
"""Grey level of the watermark, from 0 (black) to 1 (white); it is opaque."""

PAGE_SIZES = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
"""Page width and height by PageSettings.size, in mm."""


@dataclass(frozen=True, slots=True)
class StyleSpec:
    """One paragraph style of the house style, in format-neutral numbers."""

    size: float
    """Font size, in pt."""
    bold: bool = False
    """Printed in the bold face."""
    italic: bool = False
    """Printed in the italic face."""
    align: str = "left"
    """"left", "center", "right" or "justify"."""
    space_before: float = 0.0
    """Space above the paragraph, in pt."""
    space_after: float = 6.0
    """Space below the paragraph, in pt."""
    hang: float = 0.0
    """Left indent of the text, with the number or bullet hanging in front of it, in mm."""
    keep_with_next: bool = False
    """Keep the paragraph on the same page as the next block."""


SPECS: dict[str, StyleSpec] = {
    "Body": StyleSpec(11),
    "Title": StyleSpec(16, bold=True, align="center"),
    # the document's own title ends the title block: the body starts a blank line below it
    "Document Title": StyleSpec(16, bold=True, align="center", space_after=TITLE_BLOCK_SPACE,
                                keep_with_next=True),
    "Subtitle": StyleSpec(13, bold=True, align="center"),
    "Status": StyleSpec(10, bold=True, align="right"),
    "Centered": StyleSpec(11, align="center"),
    "Preamble": StyleSpec(11, align="justify"),
    "Operative": StyleSpec(11, align="justify", hang=INDENT_STEP),
    "Bullet": StyleSpec(11, hang=BULLET_HANG),
    "Small": StyleSpec(9),
    "Footnote": StyleSpec(9, space_after=2),
    "Cover Title": StyleSpec(24, bold=True, align="center", space_before=120, space_after=12),
    "Cover Line": StyleSpec(13, align="center"),
    "Table Text": StyleSpec(9.5, space_after=2),
    "Table Header": StyleSpec(9.5, bold=True, space_after=2),
    "Note": StyleSpec(10, italic=True),
    # The line to sign on belongs to the party line: its space after is below that line.
    "Signature Party": StyleSpec(11, space_before=SIGNATURE_SPACE_BEFORE, space_after=3,
                                 keep_with_next=True),
    "Signature": StyleSpec(11, keep_with_next=True),
    # The testimonium ("Done at ...") stands apart from the last paragraph of the text.
    "Testimonium": StyleSpec(11, space_before=TESTIMONIUM_SPACE, keep_with_next=True),
    "Heading 1": StyleSpec(14, bold=True, space_before=12, keep_with_next=True),
    "Heading 2": StyleSpec(12, bold=True, space_before=12, keep_with_next=True),
    "Heading 3": StyleSpec(11, bold=True, italic=True, space_before=12, keep_with_next=True),
}
"""Every style both writers know, by name: the names in STYLES and "Heading 1".."Heading 3"."""


def page_size(size: str) -> tuple[float, float]:
    """Return the width and height of a PageSettings.size ("A4" or "Letter"), in pt."""
    try:
        width, height = PAGE_SIZES[size]
    except KeyError:
        raise ValueError(f"page size {size!r} is not one of {', '.join(PAGE_SIZES)}") from None
    return width * MM, height * MM


COLOURED = frozenset({"Title", "Subtitle", "Cover Title", "Heading 1", "Heading 2", "Heading 3"})
"""Styles printed in the house style's heading colour."""

LETTERHEAD_NAME_SIZE = 12.0
"""Font size of the issuing body's name in the letterhead, in pt."""

LETTERHEAD_LINE_SIZE = 9.0
"""Font size of the letterhead's address lines, in pt."""

LETTERHEAD_GAP = 3.0
"""Space between the emblem, the letterhead's lines and its rule, in mm."""

LETTERHEAD_RULE = 0.75
"""Thickness of the letterhead's rule, in pt."""


@cache
def house_specs(house: HouseStyle = HouseStyle()) -> dict[str, StyleSpec]:
    """Return SPECS with every size scaled as the house style's body size is from 11 pt."""
    if house.size == SPECS["Body"].size:
        return SPECS
    from dataclasses import replace

    factor = house.size / SPECS["Body"].size
    return {name: replace(spec, size=round(spec.size * factor, 2)) for name, spec in SPECS.items()}


def margins(house: HouseStyle = HouseStyle()) -> tuple[float, float, float, float]:
    """Return the top, right, bottom and left page margins, in pt."""
    return tuple(side * MM for side in house.margins)


def letterhead_height(house: HouseStyle) -> float:
    """Return the height the letterhead takes at the top of a first page, rule and the space
    under it included, in pt; 0 without emblem or issuer."""
    if house.emblem is None and not house.issuer:
        return 0.0
    height = 0.0
    if house.emblem is not None:
        height += emblem_height(house) + LETTERHEAD_GAP * MM
    if house.issuer:
        height += LETTERHEAD_NAME_SIZE * LEADING
        height += (len(house.issuer) - 1) * LETTERHEAD_LINE_SIZE * LEADING
    return height + 2 * LETTERHEAD_GAP * MM + LETTERHEAD_RULE


def emblem_height(house: HouseStyle) -> float:
    """Return the emblem's printed height, in pt, from its width and proportions."""
    from generator.emblem import emblem_proportion

    assert house.emblem is not None
    return house.emblem.width * MM * emblem_proportion(house.emblem)


@cache
def paragraph_styles(house: HouseStyle = HouseStyle()) -> dict[str, ParagraphStyle]:
    """Return one reportlab ParagraphStyle for every name in SPECS, in the house style."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_pdf_fonts()
    alignments = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
    styles = {}
    for name, spec in house_specs(house).items():
        font = face_name(spec.bold, spec.italic)
        styles[name] = ParagraphStyle(
            name, fontName=font, fontSize=spec.size, leading=spec.size * LEADING,
            alignment=alignments[spec.align], spaceBefore=spec.space_before,
            spaceAfter=spec.space_after, leftIndent=spec.hang * MM, bulletIndent=0,
            bulletFontName=font, bulletFontSize=spec.size, keepWithNext=int(spec.keep_with_next),
            splitLongWords=1, allowWidows=0, allowOrphans=0,
        )
        if name in COLOURED and house.heading_colour != "000000":
            from reportlab.lib.colors import HexColor

            styles[name].textColor = HexColor(f"#{house.heading_colour}")
    return styles


def table_style(header_rows: tuple[int, ...], house: HouseStyle = HouseStyle()) -> TableStyle:
    """Return the style of a table whose header rows have those indexes, in the house style."""
    from reportlab.lib.colors import HexColor, black
    from reportlab.platypus import TableStyle

    size = house_specs(house)["Table Text"].size
    rule = black if house.rule_colour == "000000" else HexColor(f"#{house.rule_colour}")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), face_name()),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), GRID_WIDTH, rule),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING[0] * MM),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING[0] * MM),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING[1] * MM),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING[1] * MM),
    ]
    for row in header_rows:
        commands.append(("BACKGROUND", (0, row), (-1, row), HexColor(f"#{HEADER_SHADING}")))
        commands.append(("FONTNAME", (0, row), (-1, row), face_name(bold=True)))
    return TableStyle(commands)


def parallel_style() -> TableStyle:
    """Return the style of a row of text in parallel languages: no lines or shading, every
    column's content at the top, the gutter at the right of every column but the last."""
    from reportlab.platypus import TableStyle

    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), face_name()),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), PARALLEL_GUTTER * MM),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])


CONSECUTIVE_HYPHENS = 2
"""The most lines in a row that end in a hyphen."""

HYPHENATED = frozenset({"Body", "Preamble", "Operative", "Bullet", "Small", "Table Text", "Note"})
"""Styles of running text, whose words may be hyphenated at line ends (titles never are)."""


def hyphenation(style: str, language: str) -> str:
    """Return the hyphenation dictionary (pyphen's name) for text of the style in the language,
    or "" for none."""
    import pyphen

    if style not in HYPHENATED:
        return ""
    return pyphen.language_fallback(language.replace("-", "_")) or ""
