"""The embedded Unicode font family: its files, what it can print, and its registration."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "Noto Serif"
FACES = {
    "regular": ("NotoSerif", "NotoSerif-Regular.ttf"),
    "bold": ("NotoSerif-Bold", "NotoSerif-Bold.ttf"),
    "italic": ("NotoSerif-Italic", "NotoSerif-Italic.ttf"),
    "bold_italic": ("NotoSerif-BoldItalic", "NotoSerif-BoldItalic.ttf"),
}
"""Face role -> (PostScript-style name used in PDFs, file name in FONT_DIR)."""

ARABIC_FAMILY = "Noto Sans Arabic"
ARABIC_FACES = {
    "regular": ("NotoSansArabic", "NotoSansArabic-Regular.ttf"),
    "bold": ("NotoSansArabic-Bold", "NotoSansArabic-Bold.ttf"),
}
"""The complex-script faces of Arabic text (static instances of the variable font on PyPI);
Arabic has no italic face: a slanted Arabic run is set upright."""

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "ug"})
"""Languages written right to left (primary subtags)."""

CJK_FAMILY = "Noto Serif CJK SC"
"""The East Asian font a Chinese document names (installed apart: apt fonts-noto-cjk, or the
Noto CJK download on Windows and macOS); Word and LibreOffice set Chinese in it."""

CJK_BLOCKS = ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x31C0, 0x31EF),
              (0x3200, 0x32FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
"""The Unicode blocks of Chinese text that Noto Serif CJK SC prints: radicals, CJK symbols and
punctuation, bopomofo, strokes, enclosed CJK, the unified and compatibility ideographs, CJK
compatibility forms, and full-width forms."""


def primary(language: str | None) -> str:
    """Return the primary subtag of a BCP 47 tag, lower case ("zh" for "zh-CN")."""
    return (language or "").replace("_", "-").split("-")[0].lower()


def right_to_left(language: str | None) -> bool:
    """Return whether the language is written right to left."""
    return primary(language) in RIGHT_TO_LEFT


ROLES = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
         (True, True): "bold_italic"}
"""(bold, italic) -> face role."""


def face_name(bold: bool = False, italic: bool = False) -> str:
    """Return the registered name of the face for that weight and slant."""
    return FACES[ROLES[bold, italic]][0]


@cache
def coverage() -> tuple[tuple[int, int], ...]:
    """Return the code point ranges (inclusive) that the documents can print: those every face
    of the family, or of the Arabic family, prints (coverage.txt), and Chinese (CJK_BLOCKS)."""
    ranges = []
    for line in (FONT_DIR / "coverage.txt").read_text().split():
        start, _, end = line.partition("-")
        ranges.append((int(start, 16), int(end, 16)))
    return tuple(ranges) + CJK_BLOCKS


def unprintable(text: str) -> list[str]:
    """Return the distinct characters of text the family cannot print, in order of appearance."""
    return list(dict.fromkeys(_unprintable().findall(text)))


@cache
def _unprintable() -> re.Pattern[str]:
    """Return the pattern of one character outside the family's coverage (tab and line ends
    are layout, not characters to print)."""
    ranges = "".join(f"\\U{start:08X}-\\U{end:08X}" for start, end in coverage())
    return re.compile(f"[^{ranges}\t\n\r]")


@cache
def register_pdf_fonts() -> str:
    """Register the family with reportlab (once) and return the regular face's name."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for role, (name, _) in FACES.items():  # the bytes the DOCX writer embeds: read once
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(face_bytes(role))))
    regular = face_name()
    for (bold, italic) in ((False, False), (True, False), (False, True), (True, True)):
        addMapping(regular, int(bold), int(italic), face_name(bold, italic))
    rl_config.canvas_basefontname = regular  # else reportlab references Helvetica on every page
    return regular


@cache
def face_bytes(role: str) -> bytes:
    """Return the contents of a face's font file (read once per process); role as in FACES."""
    return (FONT_DIR / FACES[role][1]).read_bytes()


@cache
def arabic_face_bytes(role: str) -> bytes:
    """Return the contents of an Arabic face's font file; role as in ARABIC_FACES."""
    return (FONT_DIR / ARABIC_FACES[role][1]).read_bytes()
