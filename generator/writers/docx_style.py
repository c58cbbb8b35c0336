"""The house style applied to a Word file: font, sizes and heading colour of its styles, margins."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor

from generator import stylesheet
from generator.document import HouseStyle
from generator.fonts import family_name

FONT_SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")
"""The w:rFonts attributes that name the family for each kind of text."""


def apply_house_style(word: WordDocument, house: HouseStyle) -> None:
    """Set the file's paragraph styles and page margins as the house style says; the built-in
    house style changes nothing."""
    if house.font is not None:
        set_family(word, family_name())
    if house.size != HouseStyle().size:
        scale_sizes(word, house.size / HouseStyle().size)
    if house.heading_colour != HouseStyle().heading_colour:
        for style in word.styles:
            if style.type == WD_STYLE_TYPE.PARAGRAPH and style.name in stylesheet.COLOURED:
                style.font.color.rgb = RGBColor.from_string(house.heading_colour)
    if house.margins != HouseStyle().margins:
        top, right, bottom, left = house.margins
        for section in word.sections:
            section.top_margin, section.right_margin = Mm(top), Mm(right)
            section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)


def set_family(word: WordDocument, family: str) -> None:
    """Name the family in the document defaults and in every style that names a font."""
    styles = word.styles.element
    fonts = styles.findall(f".//{qn('w:rFonts')}")
    for element in fonts:
        for slot in FONT_SLOTS:
            if element.get(qn(f"w:{slot}")) is not None:
                element.set(qn(f"w:{slot}"), family)
        for slot in FONT_SLOTS:  # a theme font would win over the family named
            element.attrib.pop(qn(f"w:{slot}Theme"), None)


def scale_sizes(word: WordDocument, factor: float) -> None:
    """Scale every font size and exact line height of the styles and document defaults."""
    for element in word.styles.element.iter(qn("w:sz"), qn("w:szCs")):
        element.set(qn("w:val"), str(max(2, round(int(element.get(qn("w:val"))) * factor))))
    for element in word.styles.element.iter(qn("w:spacing")):
        if element.get(qn("w:lineRule")) == "exact" and element.get(qn("w:line")):
            element.set(qn("w:line"), str(round(int(element.get(qn("w:line"))) * factor)))
