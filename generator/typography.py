"""Typographic punctuation per language: curly quotes, dashes and French raised ordinals."""

from __future__ import annotations

import re
from dataclasses import replace

from .document import (
    Block, Cell, Document, Heading, Note, Paragraph, Parallel, Part, Run, SignatureBlock, Signatures,
    Table,
)

NO_BREAK = "\u00a0"
QUOTES = {"en": ("“", "”", "‘", "’"), "fr": ("«" + NO_BREAK, NO_BREAK + "»", "“", "”"),
          "ru": ("«", "»", "„", "“"), "ar": ("«", "»", "“", "”")}
"""Opening and closing double quotes, then single quotes, by language."""
DASHES = {"en": " – ", "fr": NO_BREAK + "– ", "ru": NO_BREAK + "— ", "ar": " – "}
"""What a hyphen standing between spaces becomes: an en dash, or Russian's em dash; French and
Russian keep the dash on the line of the word before it."""
APOSTROPHE = "’"
_OPENS_AFTER = set("([{“‘«„-–—/" + NO_BREAK)
_SPACED_HYPHEN = re.compile(r"[ \u00a0]-[ \u00a0]")
_FRENCH_ORDINAL = re.compile(r"(?<![\w])(\d+)(er|re|e|es|ers|res)(?![\w])")


def _language(language: str) -> str:
    """Return the language's primary subtag, "en" for one without its own rules."""
    primary = language.split("-")[0].lower()
    return primary if primary in QUOTES else "en"


def typeset(text: str, language: str) -> str:
    """Return the text with straight quotes and apostrophes made the language's, and a hyphen
    between spaces made its dash; every other character stays as typed."""
    language = _language(language)
    if "-" in text:
        text = _SPACED_HYPHEN.sub(DASHES[language], text)
    if '"' in text or "'" in text:
        text = _quoted(text, language)
    if language == "fr":  # a space typed inside the quotes goes: the no-break one stays
        text = text.replace("«" + NO_BREAK + " ", "«" + NO_BREAK).replace(
            " " + NO_BREAK + "»", NO_BREAK + "»")
    return text


def _quoted(text: str, language: str) -> str:
    """Return the text with straight quotes and apostrophes made the language's."""
    open_double, close_double, open_single, close_single = QUOTES[language]
    result = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        opening = not before or before.isspace() or before in _OPENS_AFTER
        if char == '"':
            result.append(open_double if opening else close_double)
        elif char == "'":
            after = text[index + 1:index + 2]
            if opening and after and not after.isspace():
                result.append(open_single if language == "en" else APOSTROPHE)
            else:  # an apostrophe, or a closing quote, is the same character in English
                result.append(close_single if language == "en" else APOSTROPHE)
        else:
            result.append(char)
    return "".join(result)


def _runs(runs: tuple[Run | Note, ...], language: str) -> tuple[Run | Note, ...]:
    """Return the runs typeset, French ordinal endings raised ("1er", "3e")."""
    result: list[Run] = []
    for run in runs:
        if isinstance(run, Note):  # a footnote's text, numbered later
            result.append(Note(typeset(run.text, language)))
            continue
        own = run.language or language
        text = typeset(run.text, own) if not run.superscript else run.text
        if _language(own) != "fr" or run.superscript:
            result.append(run if text == run.text else replace(run, text=text))
            continue
        at = 0
        for match in _FRENCH_ORDINAL.finditer(text):
            result.append(replace(run, text=text[at:match.end(1)]))
            result.append(replace(run, text=match.group(2), superscript=True))
            at = match.end()
        result.append(replace(run, text=text[at:]))
    return tuple(run for run in result if run.text)


def _block(block: Block, language: str) -> Block:
    """Return the block typeset in the language."""
    match block:
        case Paragraph() | Heading():
            return replace(block, runs=_runs(block.runs, language))
        case Table():
            return replace(block, rows=tuple(replace(row, cells=tuple(
                Cell(tuple(_block(inner, language) for inner in cell.blocks))
                for cell in row.cells)) for row in block.rows))
        case SignatureBlock():
            return replace(block, party=typeset(block.party, language),
                           name=typeset(block.name, language),
                           title=typeset(block.title, language))
        case Signatures():
            return replace(block, blocks=tuple(_block(inner, language) for inner in block.blocks))
        case Part():
            return replace(block, blocks=tuple(_block(inner, block.language)
                                               for inner in block.blocks))
        case Parallel():
            return replace(block, cells=tuple(
                Cell(tuple(_block(inner, own) for inner in cell.blocks))
                for cell, own in zip(block.cells, block.languages)))
    return block


def typeset_document(document: Document) -> Document:
    """Return the document with its text, running header and title typeset in its language."""
    language = document.metadata.language
    page = document.page
    return replace(
        document, blocks=tuple(_block(block, language) for block in document.blocks),
        page=replace(page, header=typeset(page.header, language),
                     header_runs=_runs((Run(page.header),), language),
                     marking=page.marking and typeset(page.marking, language),
                     marking_runs=_runs((Run(page.marking or ""),), language)),
        metadata=replace(document.metadata, title=typeset(document.metadata.title, language),
                         subject=typeset(document.metadata.subject, language)))
