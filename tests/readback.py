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


def pdf_heading_pages(data: bytes) -> dict[str, int]:
    """Return the page (1 is the first) of each named destination of the PDF by its name: the
    page of each heading by its anchor."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return {str(name).lstrip("/"): reader.get_destination_page_number(destination) + 1
            for name, destination in reader.named_destinations.items()}


def pdf_pages(data: bytes) -> list[str]:
    """Return the extracted text of each page."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    """Return the text with all whitespace and hyphens removed: PDF lines wrap, and hyphenate
    words, where the model has neither (Typst's hyphen at a break reads as a soft hyphen)."""
    return _SPACE.sub("", text).replace("-", "").replace("\xad", "")


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


def pdf_columns(data: bytes, columns: int = 2, house=None) -> list[list[str]]:
    """Return for each of the page's equally wide columns the body text of each page: text set
    between the top and bottom margins of the house style (None: the built-in one), in body
    sizes (no running header, footer, letterhead or watermark)."""
    from pypdf import PdfReader

    from generator.document import HouseStyle
    from generator.stylesheet import letterhead_height, margins

    house = house or HouseStyle()
    top, _, bottom, _ = margins(house)
    result: list[list[str]] = [[] for _ in range(columns)]
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        parts: list[list[str]] = [[] for _ in range(columns)]
        body_top = height - top - (letterhead_height(house) if number == 0 else 0)

        def visit(text, matrix, text_matrix, font, size):
            x = text_matrix[4] * matrix[0] + matrix[4]
            y = text_matrix[5] * matrix[3] + matrix[5]
            if text and size * max(abs(text_matrix[0]), abs(matrix[0])) < 20 and (
                    bottom - 1 < y < body_top + 1):
                parts[min(max(int(x // (width / columns)), 0), columns - 1)].append(text)

        page.extract_text(visitor_text=visit)
        for column in range(columns):
            result[column].append("".join(parts[column]))
    return result


def furniture(document, page: int, pages: int) -> list[str]:
    """Return the squeezed page furniture texts printed on a page, each as often as printed:
    each line of the running header (its left text then its right: the title or symbol, the
    marking), the classification on its own line at the top and at the bottom, and the page
    label, and on the first page the house style's letterhead; on a cover the classification's
    lines and the letterhead alone."""
    from generator import stylesheet
    from generator.furniture import header_lines

    settings = document.page
    letterhead = list(document.house.issuer) if page == 1 else []
    if page == 1 and settings.cover:  # no running header or page label
        return [squeeze(text) for text in [settings.classification] * 2 + letterhead if text]
    _, right_margin, _, left_margin = document.house.margins
    width = stylesheet.page_size(settings.size)[0] - (left_margin + right_margin) * stylesheet.MM
    texts = ["".join(run.text for run in left + right)
             for left, right in header_lines(settings, width)]
    texts += [settings.classification] * 2
    texts += [settings.page_label.format(page=page, pages=pages)]
    return [squeeze(text) for text in texts + letterhead if text]


def strip_furniture(page: str, pieces: list[str], optional: list[str]) -> str:
    """Return the squeezed page text without one copy of each piece of furniture: first those
    at the end of the page (the footer), then those at its start (the header), as often as one
    is, then the rest wherever found: a body line may read as a piece (a briefing pack's cover
    prints its classification). An optional piece is taken only from either end."""
    pieces, optional = list(pieces), list(optional)
    for at_end in (True, False):
        stripped = True
        while stripped:
            stripped = False
            for piece in pieces + optional:
                if at_end and page.endswith(piece):
                    page = page[:-len(piece)]
                elif not at_end and page.startswith(piece):
                    page = page[len(piece):]
                else:
                    continue
                (pieces if piece in pieces else optional).remove(piece)
                stripped = True
                break
    for piece in pieces:
        page = page.replace(piece, "", 1)
    return page


def body_pages(document, pages: list[str]) -> list[str]:
    """Return each page's text squeezed, without its page furniture and list bullets. The
    watermark may be text (LibreOffice 7.4 draws it as shapes)."""
    watermark = [squeeze(document.page.watermark)] if document.page.watermark else []
    return [strip_furniture(squeeze(page), furniture(document, number, len(pages)),
                            watermark).replace("•", "")
            for number, page in enumerate(pages, 1)]
