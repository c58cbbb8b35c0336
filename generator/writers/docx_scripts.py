"""Right-to-left Arabic and East Asian Chinese in a DOCX: bidi paragraphs, rtl runs, script fonts."""

from __future__ import annotations

import re
from typing import Iterable

from docx.document import Document as WordDocument
from docx.opc.part import Part
from docx.oxml.ns import qn

from generator.fonts import (
    ARABIC_FACES, ARABIC_FAMILY, CJK_FAMILY, arabic_face_bytes, primary, right_to_left,
)
from generator.writers.docx_xml import (
    PARAGRAPH_PARTS, add_child, embed_family, find_or_add, font_table, set_attributes,
)

RIGHT_TO_LEFT_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
"""A character of a right-to-left script (Hebrew, Arabic, Syriac, Thaana...)."""

ARABIC_REPERTOIRE = frozenset(chr(code) for start, end in (
    (0x060C, 0x060C), (0x061B, 0x061B), (0x061F, 0x061F),  # comma, semicolon, question mark
    (0x0621, 0x063A), (0x0640, 0x0652),  # the letters, tatweel and the vowel marks
    (0x0660, 0x066D),  # Arabic-Indic digits and number signs
) for code in range(start, end + 1))
"""Characters the Arabic faces' subsets always keep: the letters fontconfig (and so LibreOffice)
asks of a face before it sets Arabic text in it, and what a writer of Arabic types besides."""

RUN_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
"""The children of w:rPr in their schema order (CT_RPr)."""

PARAGRAPH_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
"""The children of w:pPr in their schema order (CT_PPr)."""

TABLE_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)
"""The children of w:tblPr in their schema order (CT_TblPr)."""

CJK_ALTERNATIVE = "SimSun"
"""The font Word takes for Chinese where Noto Serif CJK SC is not installed (every Windows)."""


def child_in_order(parent, tag: str, order: Iterable[str]):
    """Return parent's child of that tag, added at its schema place if there is none."""
    order = tuple(order)
    return find_or_add(parent, tag, *order[order.index(tag) + 1:])


def set_scripts(word: WordDocument, language: str | None) -> bool:
    """Mark the document's right-to-left and Chinese text, language being the document's (the
    one of runs that name none): every paragraph that starts in a right-to-left language reads
    right to left (w:bidi) and a table all of whose text does lays its columns out from the
    right (w:bidiVisual); a run of Arabic letters is a right-to-left run (w:rtl) in the
    complex-script font at the size, weight and slant of its style (w:rFonts w:cs, w:szCs,
    w:bCs, w:iCs); Chinese is set in the East Asian font, by Chinese line-breaking rules.
    Return whether the document has right-to-left text (so the Arabic faces must go in it)."""
    parts = [part for part in word.part.package.iter_parts()
             if part.content_type in PARAGRAPH_PARTS]
    used = {primary(language)} | {primary(lang.get(qn("w:val"))) for part in parts
                                  for lang in part.element.iter(qn("w:lang"))}
    right = any(right_to_left(code) for code in used)
    if right:  # else nothing to mark: English, Russian...
        for part in parts:
            _mark_part(part, language)
        _complex_script_styles(word)
    if "zh" in used:
        _east_asian_defaults(word, "zh-CN" if primary(language) == "zh" else None)
    return right


def _run_language(run, default: str | None) -> str | None:
    """Return the language a run is marked with, else the default."""
    lang = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    return lang.get(qn("w:val")) if lang is not None and lang.get(qn("w:val")) else default


def _text(run) -> str:
    """Return the text of a run."""
    return "".join(text.text or "" for text in run.iter(qn("w:t")))


def _mark_part(part: Part, language: str | None) -> None:
    """Mark the right-to-left paragraphs, runs and tables of one part."""
    right_paragraphs: dict = {}
    for paragraph in part.element.iter(qn("w:p")):
        runs = [run for run in paragraph.iter(qn("w:r")) if _text(run)]
        languages = [_run_language(run, language) for run in runs]
        first = languages[0] if languages else language
        right = right_to_left(first)
        right_paragraphs[paragraph] = right
        if right:
            properties = paragraph.find(qn("w:pPr"))
            child_in_order(properties if properties is not None else _properties(paragraph),
                           "w:bidi", PARAGRAPH_ORDER)
        for run, code in zip(runs, languages):
            if right_to_left(code):
                _mark_run(run, code)
    for table in part.element.iter(qn("w:tbl")):
        paragraphs = list(table.iter(qn("w:p")))
        if paragraphs and all(right_paragraphs.get(p, False) for p in paragraphs):
            properties = table.find(qn("w:tblPr"))
            if properties is not None:
                child_in_order(properties, "w:bidiVisual", TABLE_ORDER)


def _properties(paragraph):
    """Return a new w:pPr, the paragraph's first child."""
    from docx.oxml import OxmlElement

    properties = OxmlElement("w:pPr")
    paragraph.insert(0, properties)
    return properties


def _mark_run(run, language: str) -> None:
    """Make a run of a right-to-left language complex-script: its bold and italic also for
    complex script, its language that of proofing complex script, and right to left if it
    holds right-to-left letters (a run of figures or Latin letters keeps its own direction)."""
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = add_child(run, "w:rPr")
        run.remove(properties)
        run.insert(0, properties)
    for tag, complex_tag in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
        flag = properties.find(qn(tag))
        if flag is not None:
            copied = child_in_order(properties, complex_tag, RUN_ORDER)
            if flag.get(qn("w:val")) is not None:
                set_attributes(copied, val=flag.get(qn("w:val")))
    if RIGHT_TO_LEFT_TEXT.search(_text(run)):
        child_in_order(properties, "w:rtl", RUN_ORDER)
    set_attributes(child_in_order(properties, "w:lang", RUN_ORDER), bidi=language)


def _complex_script_styles(word: WordDocument) -> None:
    """Give every style's complex-script text the size, weight and slant of its other text, and
    the document's complex-script font, so that Arabic is set as the house style sets Latin."""
    styles = word.styles.element
    for properties in styles.iter(qn("w:rPr")):
        for tag, complex_tag in (("w:b", "w:bCs"), ("w:i", "w:iCs"), ("w:sz", "w:szCs")):
            element = properties.find(qn(tag))
            if element is not None and properties.find(qn(complex_tag)) is None:
                copied = child_in_order(properties, complex_tag, RUN_ORDER)
                for name in ("w:val",):
                    if element.get(qn(name)) is not None:
                        copied.set(qn(name), element.get(qn(name)))
    for fonts in styles.iter(qn("w:rFonts")):  # a style naming its own complex-script font
        if fonts.get(qn("w:cs")) is not None:
            set_attributes(fonts, cs=ARABIC_FAMILY)
    defaults = _default_run_properties(word)
    set_attributes(child_in_order(defaults, "w:rFonts", RUN_ORDER), cs=ARABIC_FAMILY)


def _default_run_properties(word: WordDocument):
    """Return the w:rPr of the document defaults (added if the reference file has none)."""
    styles = word.styles.element
    defaults = find_or_add(styles, "w:docDefaults", "w:latentStyles", "w:style")
    return find_or_add(find_or_add(defaults, "w:rPrDefault", "w:pPrDefault"), "w:rPr")


def embed_arabic(word: WordDocument, shown: frozenset[str]) -> None:
    """Embed the Arabic faces in the document, each cut to the characters shown and the Arabic
    letters (so that text typed into it later still prints in the face)."""
    embed_family(word, ARABIC_FAMILY, [(role, arabic_face_bytes(role)) for role in ARABIC_FACES],
                 shown, alt_name="Arial", charset="B2", kind="swiss",
                 repertoire=ARABIC_REPERTOIRE)


def _east_asian_defaults(word: WordDocument, language: str | None) -> None:
    """Set Chinese in the East Asian font (named in the font table with the font Word takes
    where it is missing), proofed and broken into lines as Chinese where language is given."""
    for fonts in word.styles.element.iter(qn("w:rFonts")):  # a style naming its own
        if fonts.get(qn("w:eastAsia")) is not None:  # East Asian font
            set_attributes(fonts, eastAsia=CJK_FAMILY)
    defaults = _default_run_properties(word)
    set_attributes(child_in_order(defaults, "w:rFonts", RUN_ORDER), eastAsia=CJK_FAMILY)
    if language:
        set_attributes(child_in_order(defaults, "w:lang", RUN_ORDER), eastAsia=language)
    table = font_table(word)
    if not any(entry.get(qn("w:name")) == CJK_FAMILY for entry in table.element.findall(qn("w:font"))):
        entry = add_child(table.element, "w:font", name=CJK_FAMILY)
        add_child(entry, "w:altName", val=CJK_ALTERNATIVE)
        add_child(entry, "w:charset", val="86")  # GB 2312: simplified Chinese
        add_child(entry, "w:family", val="roman")
        add_child(entry, "w:pitch", val="variable")
