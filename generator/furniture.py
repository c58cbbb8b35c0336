"""Page furniture that both writers share: the running header's lines and the watermark's place."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from generator import stylesheet
from generator.document import PageSettings, Run
from generator.fonts import face_name, register_pdf_fonts


def text_width(run: Run) -> float:
    """Return the width of a run of page furniture, in pt, by the embedded font's metrics."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_pdf_fonts()
    return stringWidth(run.text, face_name(bold=run.bold), stylesheet.FURNITURE_SIZE)


SUPERSCRIPT_SCALE = 0.7
"""Size of a raised run (a French ordinal ending) in the running header, as a fraction of the
furniture size; it is raised by a third of the furniture size."""

COLUMN_GAP = 1.5
"""The least space between the header's left and right texts, in furniture text sizes."""


def run_width(run: Run) -> float:
    """Return the width of a run of page furniture, in pt, a raised run at its smaller size."""
    width = text_width(run)
    return width * SUPERSCRIPT_SCALE if run.superscript else width


def header_sides(page: PageSettings) -> tuple[tuple[Run, ...], tuple[Run, ...]]:
    """Return the running header's left text (the title or symbol) and right text (the status
    marking), "\\n" between their lines; each empty when the page settings give none. The
    classification is not in it: it stands centred on a line of its own."""
    left = page.header_runs or ((Run(page.header),) if page.header else ())
    right = (page.marking_runs or (Run(page.marking),)) if page.marking else ()
    return tuple(run for run in left if run.text), tuple(right)


def split_lines(runs: Sequence[Run]) -> list[tuple[Run, ...]]:
    """Return the runs cut into the lines their "\\n" separate."""
    return split_runs(runs, "\n")


def split_runs(runs: Sequence[Run], separator: str) -> list[tuple[Run, ...]]:
    """Return the runs cut into the pieces the separator separates, each piece its runs' parts
    in order (empty where two separators meet)."""
    pieces: list[list[Run]] = [[]]
    for run in runs:
        first, *rest = run.text.split(separator)
        if first:
            pieces[-1].append(replace(run, text=first))
        for text in rest:
            pieces.append([replace(run, text=text)] if text else [])
    return [tuple(piece) for piece in pieces]


def wrap_runs(runs: Sequence[Run], width: float) -> list[tuple[Run, ...]]:
    """Return the runs broken into lines no wider than width (pt) where they can be: at their
    "\\n" and at spaces, a word wider than width standing alone on its line."""
    result: list[tuple[Run, ...]] = []
    for line in split_lines(runs):
        words = split_runs(line, " ")  # the pieces of each space-separated word, in order
        current: list[Run] = []
        for word in (word for word in words if word):
            candidate = current + ([Run(" ", bold=word[0].bold)] if current else []) + list(word)
            if current and sum(map(run_width, candidate)) > width:
                result.append(tuple(current))
                current = list(word)
            else:
                current = candidate
        result.append(tuple(current))
    return [merged(line) for line in result]


def merged(line: Sequence[Run]) -> tuple[Run, ...]:
    """Return the line's runs with neighbours printed alike joined into one."""
    result: list[Run] = []
    for run in line:
        if result and replace(result[-1], text="") == replace(run, text=""):
            result[-1] = replace(result[-1], text=result[-1].text + run.text)
        else:
            result.append(run)
    return tuple(result)


def line_width(line: Sequence[Run]) -> float:
    """Return the width of a line of runs, in pt."""
    return sum(map(run_width, line))


def balanced_lines(runs: Sequence[Run], width: float) -> list[tuple[Run, ...]]:
    """Return one line of runs (no "\n") wrapped as wrap_runs does at width (pt), with its
    lines as even as the same number of lines allows: no word left alone on the last."""
    lines = wrap_runs(runs, width)
    if len(lines) < 2:
        return lines
    low, high = 0.0, width
    while high - low > 0.5:
        middle = (low + high) / 2
        if len(wrap_runs(runs, middle)) > len(lines):
            low = middle
        else:
            high = middle
    return wrap_runs(runs, high)


HeaderLines = tuple[tuple[tuple[Run, ...], tuple[Run, ...]], ...]


def header_lines(page: PageSettings, width: float) -> HeaderLines:
    """Return the running header as (left, right) lines on shared baselines: the title or
    symbol flush left and the status flush right, width (pt) apart.

    The n-th line of each side (a language's, in a bilingual edition) starts on one baseline;
    a right line never breaks (it holds a date), and the left one wraps, balanced, in the
    room the right lines leave. Empty: no header.
    """
    return _header_lines(page, width, face_name(), face_name(bold=True))


@lru_cache(maxsize=32)
def _header_lines(page: PageSettings, width: float, *faces: str) -> HeaderLines:
    """Return header_lines's lines, set in the faces named (the key of what is kept: a PDF
    draws the same header on every page)."""
    left, right = (split_lines(side) if side else [] for side in header_sides(page))
    if not (left or right):
        return []
    gap = COLUMN_GAP * stylesheet.FURNITURE_SIZE
    right_column = max(map(line_width, right), default=0.0)
    room = width - gap - right_column if right_column else width
    result = []
    for number in range(max(len(left), len(right))):
        start = balanced_lines(left[number], room) if number < len(left) else [()]
        end = [right[number]] if number < len(right) else [()]
        count = max(len(start), len(end))
        result += zip(start + [()] * (count - len(start)), end + [()] * (count - len(end)))
    return tuple(result)


HEADER_CLEARANCE = 6.0
"""The least space between the hairline under the running header and the top of the body, in
pt: a header of many lines starts higher than FURNITURE_DISTANCE to keep it."""


def header_top(lines: int, margin: float = stylesheet.MARGIN * stylesheet.MM,
               classified: float = 0.0) -> float:
    """Return the distance from the page's top edge to the top of a running header of that many
    lines, in pt, for a top margin of margin pt: FURNITURE_DISTANCE, or less where the header's
    lines and hairline would otherwise come nearer than HEADER_CLEARANCE to the body or, on a
    page classified in a classification of that size (pt; 0: none), to its line under them."""
    from reportlab.pdfbase.pdfmetrics import getAscentDescent

    register_pdf_fonts()
    size = stylesheet.FURNITURE_SIZE
    ascent, descent = getAscentDescent(face_name(), size)
    height = (ascent + (lines - 1) * size * stylesheet.LEADING - descent
              + stylesheet.HEADER_RULE_SPACE + stylesheet.HAIRLINE)
    below = (classification_middle(margin) - classified * stylesheet.LEADING / 2 if classified
             else margin)
    room = below - HEADER_CLEARANCE - height
    return max(min(stylesheet.FURNITURE_DISTANCE * stylesheet.MM, room), 0.0)


def classification_middle(margin: float) -> float:
    """Return the distance from the page's top edge to the middle of the classification's line
    at the top, in pt, for a top margin of margin pt: just above the body, as far above it as
    CLASSIFICATION_DISTANCE is from the built-in margin's middle."""
    return margin - (stylesheet.MARGIN - stylesheet.CLASSIFICATION_DISTANCE) / 2 * stylesheet.MM


def footer_classification_middle(margin: float) -> float:
    """Return the distance from the page's bottom edge to the middle of the classification's
    line at the bottom, in pt, for a bottom margin of margin pt: halfway between the top of the
    footer's line and the body."""
    from reportlab.pdfbase.pdfmetrics import getAscentDescent

    register_pdf_fonts()
    ascent, _ = getAscentDescent(face_name(), stylesheet.FURNITURE_SIZE)
    return (stylesheet.FURNITURE_DISTANCE * stylesheet.MM + ascent + margin) / 2


def watermark_geometry(text: str, width: float, height: float
                       ) -> tuple[float, float, float, float]:
    """Return the font size (pt), the angle (degrees, counter-clockwise), the text length (pt)
    and how far the baseline lies below the page's centre (pt) of the watermark on a page
    width by height pt: along the page's diagonal, in the bold face, three fifths of the
    diagonal long (at most 200 pt high), its baseline a third of the face's ascent low."""
    from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

    register_pdf_fonts()
    font = face_name(bold=True)
    unit = stringWidth(text, font, 1) or 1.0
    size = min(200.0, 0.6 * math.hypot(width, height) / unit)
    return (size, math.degrees(math.atan2(height, width)), unit * size,
            getAscentDescent(font, size)[0] / 3)


def ink_height(text: str, size: float) -> tuple[float, float]:
    """Return how far the bold face's glyphs of text reach above and below the baseline at
    size (pt), the part below as a positive number."""
    from generator.fonts import face_bytes

    top, bottom, units_per_em = ink_extent(face_bytes("bold"), text)
    return top * size / units_per_em, bottom * size / units_per_em


def ink_extent(font: bytes, text: str) -> tuple[int, int, int]:
    """Return how far the glyphs of text in the font file reach above and below the baseline
    (the part below as a positive number) and the font's units per em, kept in the user's cache
    folder for this font file and text (reading a font's outlines costs more than a page)."""
    import hashlib

    from generator.caches import kept_value

    def make() -> tuple[int, int, int]:
        from fontTools.ttLib import TTFont

        face = TTFont(io.BytesIO(font))
        glyphs, cmap = face["glyf"], face.getBestCmap()
        tops, bottoms = [0], [0]
        for character in text:
            name = cmap.get(ord(character))
            glyph = glyphs[name] if name is not None else None
            if glyph is not None and glyph.numberOfContours:
                tops.append(glyph.yMax)
                bottoms.append(-glyph.yMin)
        return max(tops), max(bottoms), face["head"].unitsPerEm

    return tuple(kept_value("ink", (hashlib.sha256(font).hexdigest(), text), make,
                            lambda kept: isinstance(kept, tuple) and len(kept) == 3
                            and all(isinstance(number, int) for number in kept)
                            and kept[2] > 0))
