"""The document XML that templates write, and its parser into the document model.

The vocabulary, all of it:
  <document name= title= subject= author= keywords="a|b" language=>
    <page size= header= marking= watermark= classification= page-label= cover="yes"/>
    <p style= numbered="yes|letter|roman" level= keep-with-next="yes">
       text <b> <i> <br/> <note>footnote text</note> </p>
    <h level= anchor= page-break="yes"> text </h>
    <table widths="1,3,2"> <row header="yes"> <cell> blocks </cell> </row> </table>
    <signature party= name= title= note= key=/>   <pagebreak/>   <contents/>
    <annex file="/absolute/path.pdf" kind="pdf|png|jpeg" pages="20" sha256="hex"/>
  </document>
Whitespace inside a paragraph collapses to single spaces, as in HTML. A <document
fallback-note="..."> is the note added to each paragraph holding text printed in a fallback
language, which localize marks with FALLBACK_OPEN + language + FALLBACK_LANGUAGE_END ... FALLBACK_CLOSE.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime

from .document import (
    Annex, Block, Cell, Contents, Document, Heading, Metadata, Note, PageBreak, PageSettings,
    Paragraph, Row, Run, SignatureBlock, Table,
)

_SPACE = re.compile(r"[ \t\r\n]+")  # XML white space only: a no-break space stays

FALLBACK_OPEN, FALLBACK_LANGUAGE_END, FALLBACK_CLOSE = "\ue002", "\ue003", "\ue004"
"""The characters around a text printed in a fallback language: open, its language, end of
the language, the text, close (private-use characters, which inputs may not hold)."""

_FALLBACK = re.compile(f"{FALLBACK_OPEN}([A-Za-z-]+){FALLBACK_LANGUAGE_END}(.*?){FALLBACK_CLOSE}",
                       re.S)


def plain(text: str) -> str:
    """Return the text without the marks around fallback text."""
    return _FALLBACK.sub(lambda match: match.group(2), text)


class MarkupError(Exception):
    """A template wrote document XML that does not follow the vocabulary."""


def parse_document(text: str, created: datetime) -> Document:
    """Return the Document that the XML text describes, stamped with the build time; raise
    MarkupError if the text does not follow the vocabulary."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise MarkupError(f"the template wrote XML that does not parse: {error} "
                          "(lines and columns of the template's output)") from None
    if root.tag != "document":
        raise MarkupError(f"the root element must be <document>, not <{root.tag}>")
    for element in root.iter():  # attributes are plain text: fallback text is marked in runs
        for key, value in list(element.attrib.items()):
            element.set(key, plain(value))
    page = root.find("page")
    attributes = page.attrib if page is not None else {}
    settings = PageSettings(
        size=attributes.get("size", "A4"),
        header=attributes.get("header", ""),
        marking=attributes.get("marking") or None,
        watermark=attributes.get("watermark") or None,
        classification=attributes.get("classification") or None,
        page_label=attributes.get("page-label", "Page {page} of {pages}"),
        cover=attributes.get("cover") == "yes",
    )
    metadata = Metadata(
        title=root.get("title", ""),
        subject=root.get("subject", ""),
        author=root.get("author", ""),
        keywords=tuple(word for word in root.get("keywords", "").split("|") if word),
        language=root.get("language", "en"),
        created=created,
    )
    note = root.get("fallback-note", "")
    try:
        blocks = tuple(_blocks((child for child in root if child.tag != "page"), note))
    except ValueError as error:  # a number attribute that is not a number
        raise MarkupError(f"a bad attribute value: {error}") from None
    return Document(root.get("name", "document"), metadata, settings, blocks)


def _blocks(elements, note: str = "") -> list[Block]:
    """Return the blocks the elements describe; note is added to paragraphs holding fallback
    text (none if empty)."""
    return [_block(element, note) for element in elements]


def _block(element: ET.Element, note: str = "") -> Block:
    """Return the block one element describes."""
    tag, get = element.tag, element.get
    if tag == "p":
        numbered = get("numbered")
        if numbered not in (None, "yes", "letter", "roman"):
            raise MarkupError(f"<p numbered={numbered!r}>: write yes, letter or roman")
        runs = _runs(element)
        if note and any(isinstance(run, Run) and run.language for run in runs):
            runs += (Note(note),)
        return Paragraph(runs, style=get("style", "Body"),
                         number=None if numbered is None else "",
                         numbering={"letter": "letter", "roman": "roman"}.get(numbered, "decimal"),
                         level=int(get("level", "0")),
                         keep_with_next=get("keep-with-next") == "yes")
    if tag == "h":
        return Heading(_runs(element), level=int(get("level", "1")), anchor=get("anchor", ""),
                       page_break=get("page-break") == "yes")
    if tag == "table":
        widths = tuple(float(width) for width in get("widths", "").split(","))
        rows = tuple(Row(tuple(Cell(tuple(_blocks(cell, note))) for cell in row),
                         header=row.get("header") == "yes") for row in element)
        for row in rows:
            if len(row.cells) != len(widths):
                raise MarkupError(f"a table row has {len(row.cells)} cells for {len(widths)} columns")
        return Table(widths, rows)
    if tag == "signature":
        return SignatureBlock(get("party", ""), get("name", ""), get("title", ""),
                              note=get("note", ""), key=get("key", ""))
    if tag == "pagebreak":
        return PageBreak()
    if tag == "contents":
        return Contents()
    if tag == "annex":
        return _annex(element)
    raise MarkupError(f"unknown element <{tag}>")


ANNEX_KINDS = ("pdf", "png", "jpeg")
"""The kinds of file an <annex> can attach."""


def _annex(element: ET.Element) -> Annex:
    """Return the annex an <annex> element describes; raise MarkupError for a bad one."""
    path, kind, sha256 = element.get("file", ""), element.get("kind", ""), element.get("sha256", "")
    if not os.path.isabs(path):
        raise MarkupError(f"<annex> needs the absolute path of its file in file= (got {path!r})")
    if kind not in ANNEX_KINDS:
        raise MarkupError(f"<annex kind={kind!r}>: the kind is one of {', '.join(ANNEX_KINDS)}")
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise MarkupError(f"<annex> needs the file's SHA-256 in hex in sha256= (got {sha256!r})")
    pages = int(element.get("pages", "1"))
    if pages < 1 or kind != "pdf" and pages != 1:
        raise MarkupError(f"<annex kind={kind!r} pages={pages}>: a PDF has a page or more, an "
                          "image one")
    return Annex(path, kind, pages, sha256)


def _runs(element: ET.Element) -> tuple[Run | Note, ...]:
    """Return the element's inline content as runs and notes, whitespace collapsed and runs
    merged by face and language."""
    pieces: list[Run | Note] = []

    def text(value: str, bold: bool, italic: bool) -> None:
        place = 0
        for match in _FALLBACK.finditer(value):
            if match.start() > place:
                pieces.append(Run(value[place:match.start()], bold, italic))
            pieces.append(Run(match.group(2), bold, italic, language=match.group(1)))
            place = match.end()
        if place < len(value):
            pieces.append(Run(value[place:], bold, italic))

    def walk(node: ET.Element, bold: bool, italic: bool) -> None:
        if node.text:
            text(node.text, bold, italic)
        for child in node:
            if child.tag == "br":
                pieces.append(Run("\n", bold, italic))
            elif child.tag in ("b", "i"):
                walk(child, bold or child.tag == "b", italic or child.tag == "i")
            elif child.tag == "note":
                if len(child):
                    raise MarkupError("<note> holds text only")
                pieces.append(Note(_SPACE.sub(" ", child.text or "").strip()))
            else:
                raise MarkupError(f"unknown inline element <{child.tag}>")
            if child.tail:
                text(child.tail, bold, italic)

    walk(element, False, False)
    runs: list[Run | Note] = []
    for piece in pieces:
        if isinstance(piece, Note):
            runs.append(piece)
            continue
        value = piece.text if piece.text == "\n" else _SPACE.sub(" ", piece.text)
        last = runs[-1] if runs and isinstance(runs[-1], Run) else None
        if last and last.text.endswith((" ", "\n")) and value.startswith(" "):
            value = value[1:]
        if not value:
            continue
        if last and (last.bold, last.italic, last.language) == (piece.bold, piece.italic,
                                                                piece.language):
            runs[-1] = Run(last.text + value, piece.bold, piece.italic, language=piece.language)
        else:
            runs.append(Run(value, piece.bold, piece.italic, language=piece.language))
    return _trim(runs)


def _trim(runs: list[Run | Note]) -> tuple[Run | Note, ...]:
    """Return the runs without space at the very start and end, or around line breaks."""
    texts = [index for index, run in enumerate(runs) if isinstance(run, Run)]
    if texts:
        first, last = runs[texts[0]], runs[texts[-1]]
        runs[texts[0]] = replace(first, text=first.text.lstrip(" "))
        last = runs[texts[-1]]
        runs[texts[-1]] = replace(last, text=last.text.rstrip(" "))
    trimmed = [replace(run, text=run.text.replace(" \n", "\n").replace("\n ", "\n"))
               if isinstance(run, Run) else run for run in runs]
    return tuple(run for run in trimmed if not isinstance(run, Run) or run.text)
