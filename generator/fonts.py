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

ROLES = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
         (True, True): "bold_italic"}
"""(bold, italic) -> face role."""


def face_name(bold: bool = False, italic: bool = False) -> str:
    """Return the registered name of the face for that weight and slant."""
    return FACES[ROLES[bold, italic]][0]


@cache
def coverage() -> tuple[tuple[int, int], ...]:
    """Return the code point ranges (inclusive) that every face of the family can print."""
    ranges = []
    for line in (FONT_DIR / "coverage.txt").read_text().split():
        start, _, end = line.partition("-")
        ranges.append((int(start, 16), int(end, 16)))
    return tuple(ranges)


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
    from .parsed_fonts import parsed_font

    for role, (name, _) in FACES.items():  # the bytes the DOCX writer embeds: read once
        pdfmetrics.registerFont(parsed_font(name, face_bytes(role)))
    regular = face_name()
    for (bold, italic) in ((False, False), (True, False), (False, True), (True, True)):
        addMapping(regular, int(bold), int(italic), face_name(bold, italic))
    rl_config.canvas_basefontname = regular  # else reportlab references Helvetica on every page
    return regular


@cache
def face_bytes(role: str) -> bytes:
    """Return the contents of a face's font file (read once per process); role as in FACES."""
    return (FONT_DIR / FACES[role][1]).read_bytes()
