"""Writing a finished document model as files: the PDF engines and the DOCX writer, and the
contents' page numbers from the PDF into the DOCX (light to import: worker processes load it)."""

from __future__ import annotations

from typing import Callable

from .document import Document
from .transforms import fill_pages, has_contents

FORMATS = ("docx", "pdf")
"""The file formats chancery writes."""

PDFA_LEVELS = ("2b", "1b", "none")
"""The PDF/A levels a PDF can be written in, the default first; "none" for a plain PDF."""

PDF_ENGINES = ("reportlab", "typst")
"""The PDF writers, the default first: writers/pdf.py (reportlab) and writers/typst.py."""


def render(document: Document, fmt: str, pdfa: str = PDFA_LEVELS[0],
           engine: str = PDF_ENGINES[0], pdfua: bool = False) -> bytes:
    """Return the document written in the format ("docx" or "pdf"); a PDF at the PDF/A level
    (see PDFA_LEVELS) set by the engine (see PDF_ENGINES), a DOCX with the page numbers of
    render_formats."""
    return render_formats(document, [fmt], pdfa, engine, pdfua)[fmt]


def pdf_writer(engine: str = PDF_ENGINES[0], pdfua: bool = False) -> Callable:
    """Return the engine's function that writes a document as a PDF and the page of each heading
    (document, pdfa=level); pdfua=True (typst only) tags the PDF as PDF/UA-1."""
    if engine == "typst":
        from functools import partial

        from .writers.typst import render_typst_pdf_with_pages

        return partial(render_typst_pdf_with_pages, pdfua=pdfua)
    if engine != "reportlab":
        raise ValueError(f"unknown PDF engine {engine!r}: use one of {', '.join(PDF_ENGINES)}")
    if pdfua:
        raise ValueError("a tagged PDF (PDF/UA) needs the typst engine: --pdf-engine typst")
    from .writers.pdf import render_pdf_with_pages

    return render_pdf_with_pages


def render_formats(document: Document, formats: list[str], pdfa: str = PDFA_LEVELS[0],
                   engine: str = PDF_ENGINES[0], pdfua: bool = False) -> dict[str, bytes]:
    """Return the document written in each of the formats, by format; a PDF at the PDF/A level
    set by the engine, tagged as PDF/UA-1 with pdfua=True.

    The PDF is laid out first, and the page of each heading in it is the page number of its
    entry in the DOCX's contents; without "pdf" in formats, a document with contents is still
    laid out as a PDF in memory for them.
    """
    check_formats(formats)
    result, pages = {}, None
    if "pdf" in formats:
        result["pdf"], pages = render_pdf(document, pdfa, engine, pdfua)
    if "docx" in formats:
        result["docx"] = render_docx_file(document, pages, engine)
    return result


def check_formats(formats: list[str]) -> None:
    """Raise ValueError naming the first of the formats chancery does not write."""
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}")


def render_pdf(document: Document, pdfa: str = PDFA_LEVELS[0], engine: str = PDF_ENGINES[0],
               pdfua: bool = False) -> tuple[bytes, dict[str, int]]:
    """Return the document's PDF (as render_formats writes it) and the page of each heading,
    by anchor; raise LayoutProblem if it cannot be laid out."""
    return _laid_out(pdf_writer(engine, pdfua), document, pdfa=pdfa)


def render_docx_file(document: Document, pages: dict[str, int] | None = None,
                     engine: str = PDF_ENGINES[0]) -> bytes:
    """Return the document's DOCX, its contents numbered with pages (the page of each heading,
    as render_pdf gives them), or, for a document with contents and no pages given, with the
    pages of its PDF laid out in memory by the engine."""
    from .writers.docx import render_docx

    if has_contents(document):
        if pages is None:  # the page numbers do not depend on the PDF/A level
            pages = _laid_out(pdf_writer(engine), document, pdfa="none")[1]
        document = fill_pages(document, pages)
    return render_docx(document)


class LayoutProblem(Exception):
    """A document the PDF writer cannot lay out, in the user's words."""


def _laid_out(write: Callable, document: Document, **options) -> tuple[bytes, dict[str, int]]:
    """Return what the PDF writer returns; raise LayoutProblem if it cannot lay the page out."""
    from .writers.typst import MissingFont

    try:
        return write(document, **options)
    except MissingFont as error:
        raise LayoutProblem(f"chancery: {error}") from None
    except _typst_error() as error:
        raise LayoutProblem(f"chancery: {document.metadata.title or 'a document'} cannot be set "
                            f"by the typst engine: {str(error)[:300]}") from None
    except Exception as error:
        from reportlab.platypus.doctemplate import LayoutError  # loaded once reportlab ran

        if not isinstance(error, LayoutError):
            raise
        raise LayoutProblem(f"chancery: {document.metadata.title or 'a document'} cannot be laid "
                            f"out: something is too large for a page ({str(error)[:200]}); "
                            "shorten the longest text or word") from None


def _typst_error() -> type[Exception]:
    """Return the exception the typst package raises, or one never raised without it."""
    try:
        from typst import TypstError
    except ImportError:
        return LayoutProblem
    return TypstError
