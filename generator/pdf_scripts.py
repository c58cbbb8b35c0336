"""The scripts the reportlab PDF writer cannot set (Arabic, Chinese), refused before anything is written."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from .document import Document, document_lines
from .fonts import primary, right_to_left
from .problems import InputError

if TYPE_CHECKING:
    from .build import Edition
    from .inputs import LoadedMeeting

RIGHT_TO_LEFT_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
"""A letter of a right-to-left script: reportlab neither joins Arabic letters nor sets them
right to left (see shared FACTS), so such a PDF would be silently wrong."""

CHINESE_TEXT = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3100-\u312f\u31c0-\u31ef\u3200-\u9fff"
                          "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
"""A Chinese character or CJK punctuation mark: reportlab reads no CFF (OpenType) CJK font, so
it would print nothing, or squares, where they stand."""

ENGINE_OPTION = "--pdf-engine typst"
"""The option that builds the PDF with a writer that sets every script."""


def unsettable(edition_languages: Iterable[str], document: Document) -> str | None:
    """Return what the reportlab writer cannot set in the document ("Arabic", "Chinese"), or
    None if it can set all of it; by the edition's languages, then by its text."""
    languages = [primary(language) for language in edition_languages]
    text = "\n".join([document.metadata.title or "", *document_lines(document)])
    if any(right_to_left(language) for language in languages) or RIGHT_TO_LEFT_TEXT.search(text):
        return "right-to-left (Arabic) text"
    if "zh" in languages or CHINESE_TEXT.search(text):
        return "Chinese text"
    return None


def check_pdf_scripts(loaded: LoadedMeeting, documents: Iterable[tuple[Edition, Document]]
                      ) -> None:
    """Raise InputError naming each edition whose PDF the reportlab writer cannot set."""
    problems = []
    for edition, document in documents:
        what = unsettable(edition.languages, document)
        if what is not None:
            problems.append(loaded.source.problem(("languages",), (
                f"the reportlab PDF writer cannot set {what}, so {edition.stem} would be a wrong "
                f"PDF; build it with {ENGINE_OPTION} (or only its DOCX: --format docx)")))
    if problems:
        raise InputError(problems)
