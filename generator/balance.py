"""Centred titles broken into lines of about equal length, never a word alone on the last."""

from __future__ import annotations

from dataclasses import replace

from .document import Paragraph, Run

BALANCED = frozenset({"Title", "Document Title", "Subtitle", "Cover Title"})
"""The centred styles whose lines are balanced."""


def _lines(words: list[str], fits) -> list[str]:
    """Return the words set greedily into lines that fit."""
    lines: list[str] = []
    for word in words:
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def balanced_lines(text: str, measure, width: float) -> list[str]:
    """Return the text's lines when it is set in as few lines as fit width (measure gives a
    text's width) but each as short as can be, so the lines come out about equal."""
    words = text.split(" ")
    count = len(_lines(words, lambda line: measure(line) <= width))
    if count <= 1:
        return [text]
    low, high = 0.0, width
    for _ in range(20):  # the narrowest measure that still needs no more lines
        middle = (low + high) / 2
        if len(_lines(words, lambda line: measure(line) <= middle)) <= count:
            high = middle
        else:
            low = middle
    return _lines(words, lambda line: measure(line) <= high)


def balance(paragraph: Paragraph, width: float, size: float, bold: bool) -> Paragraph:
    """Return a centred title paragraph with line breaks where its balanced lines end, set at
    size pt in a text width pt wide; any other paragraph, or one with raised or mixed runs,
    as it is."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from .fonts import face_name, register_pdf_fonts

    runs = paragraph.runs
    if (paragraph.style not in BALANCED or not runs
            or any(not isinstance(run, Run) or run.superscript or "\n" in run.text
                   or (run.bold, run.italic, run.language) != (runs[0].bold, runs[0].italic,
                                                               runs[0].language)
                   for run in runs)):
        return paragraph
    register_pdf_fonts()
    face = face_name(bold or runs[0].bold, runs[0].italic)
    text = "".join(run.text for run in runs)
    lines = balanced_lines(text, lambda line: stringWidth(line, face, size), width * 0.98)
    if len(lines) == 1:
        return paragraph
    return replace(paragraph, runs=(replace(runs[0], text="\n".join(lines)),))
