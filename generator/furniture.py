"""Page furniture placement that both writers share: which header text goes on which line."""

from __future__ import annotations

from collections.abc import Sequence

from generator import stylesheet
from generator.document import Run
from generator.fonts import face_name, register_pdf_fonts


def text_width(run: Run) -> float:
    """Return the width of a run of page furniture, in pt, by the embedded font's metrics."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_pdf_fonts()
    return stringWidth(run.text, face_name(bold=run.bold), stylesheet.FURNITURE_SIZE)


def header_rows(slots: Sequence[Run], width: float) -> list[tuple[Run, Run, Run]]:
    """Return the header's (left, centre, right) texts split into rows: the left text, then the
    right, then the centre, each in the first row where it stays one text size clear of those
    already there, else in a new row below; width is the text width, in pt. Empty slots are
    Run("")."""
    size = stylesheet.FURNITURE_SIZE
    rows: list[list[Run]] = []
    spans: list[list[tuple[float, float]]] = []  # the spans (pt) taken in each row
    for slot in (0, 2, 1):
        run = slots[slot]
        if not run.text:
            continue
        length = text_width(run)
        x = (0, (width - length) / 2, width - length)[slot]
        start, end = x - size, x + length + size
        row = next((n for n, taken in enumerate(spans)
                    if all(end <= a or start >= b for a, b in taken)), len(rows))
        if row == len(rows):
            rows.append([Run("")] * 3)  # crowded: the text goes on a line below
            spans.append([])
        rows[row][slot] = run
        spans[row].append((start, end))
    return [(left, centre, right) for left, centre, right in rows]
