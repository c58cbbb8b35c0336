"""Reading built documents back: text of DOCX and PDF files, normalized for comparison."""

from __future__ import annotations

import io
import re

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return the text with every run of whitespace made one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def docx_lines(data: bytes) -> list[str]:
    """Return the text of each body paragraph, table cells included, in reading order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []

    def walk(container) -> None:
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(normalize(block.text))
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)

    walk(document)
    return lines


def pdf_pages(data: bytes) -> list[str]:
    """Return the extracted text of each page."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    """Return the text with all whitespace removed (PDF lines wrap where the model has none)."""
    return _SPACE.sub("", text)


def find_in_order(haystack: str, needles: list[str]) -> list[str]:
    """Return the needles not found in the haystack in the given order (empty when all are)."""
    missing, position = [], 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            missing.append(needle)
        else:
            position = found + len(needle)
    return missing
