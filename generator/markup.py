"""The document XML that templates write, and its parser into the document model.

The vocabulary, all of it:
  <document name= title= subject= author= keywords="a|b" language=>
    <page size= header= marking= watermark= classification= page-label=/>
    <p style= numbered="yes" level= keep-with-next="yes"> text <b> <i> <br/> </p>
    <h level= anchor= page-break="yes"> text </h>
    <table widths="1,3,2"> <row header="yes"> <cell> blocks </cell> </row> </table>
    <signature party= name= title=/>   <pagebreak/>   <contents/>
    <annex file="/absolute/path.pdf" kind="pdf|png|jpeg" pages="20" sha256="hex"/>
  </document>
Whitespace inside a paragraph collapses to single spaces, as in HTML.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from datetime import datetime

from .document import (
    Annex, Block, Cell, Contents, Document, Heading, Metadata, PageBreak, PageSettings, Paragraph,
    Row, Run, SignatureBlock, Table,
)

_SPACE = re.compile(r"[ \t\r\n]+")  # XML white space only: a no-break space stays


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
    page = root.find("page")
    attributes = page.attrib if page is not None else {}
    settings = PageSettings(
        size=attributes.get("size", "A4"),
        header=attributes.get("header", ""),
        marking=attributes.get("marking") or None,
        watermark=attributes.get("watermark") or None,
        classification=attributes.get("classification") or None,
        page_label=attributes.get("page-label", "Page {page} of {pages}"),
    )
    metadata = Metadata(
        title=root.get("title", ""),
        subject=root.get("subject", ""),
        author=root.get("author", ""),
        keywords=tuple(word for word in root.get("keywords", "").split("|") if word),
        language=root.get("language", "en"),
        created=created,
    )
    try:
        blocks = tuple(_blocks(child for child in root if child.tag != "page"))
    except ValueError as error:  # a number attribute that is not a number
        raise MarkupError(f"a bad attribute value: {error}") from None
    return Document(root.get("name", "document"), metadata, settings, blocks)


def _blocks(elements) -> list[Block]:
    """Return the blocks the elements describe."""
    return [_block(element) for element in elements]


def _block(element: ET.Element) -> Block:
    """Return the block one element describes."""
    tag, get = element.tag, element.get
    if tag == "p":
        return Paragraph(_runs(element), style=get("style", "Body"),
                         number="" if get("numbered") == "yes" else None,
                         level=int(get("level", "0")),
                         keep_with_next=get("keep-with-next") == "yes")
    if tag == "h":
        return Heading(_runs(element), level=int(get("level", "1")), anchor=get("anchor", ""),
                       page_break=get("page-break") == "yes")
    if tag == "table":
        widths = tuple(float(width) for width in get("widths", "").split(","))
        rows = tuple(Row(tuple(Cell(tuple(_blocks(cell))) for cell in row),
                         header=row.get("header") == "yes") for row in element)
        for row in rows:
            if len(row.cells) != len(widths):
                raise MarkupError(f"a table row has {len(row.cells)} cells for {len(widths)} columns")
        return Table(widths, rows)
    if tag == "signature":
        return SignatureBlock(get("party", ""), get("name", ""), get("title", ""))
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


def _runs(element: ET.Element) -> tuple[Run, ...]:
    """Return the element's inline content as runs, whitespace collapsed and merged by face."""
    pieces: list[Run] = []

    def walk(node: ET.Element, bold: bool, italic: bool) -> None:
        if node.text:
            pieces.append(Run(node.text, bold, italic))
        for child in node:
            if child.tag == "br":
                pieces.append(Run("\n", bold, italic))
            elif child.tag in ("b", "i"):
                walk(child, bold or child.tag == "b", italic or child.tag == "i")
            else:
                raise MarkupError(f"unknown inline element <{child.tag}>")
            if child.tail:
                pieces.append(Run(child.tail, bold, italic))

    walk(element, False, False)
    runs: list[Run] = []
    for piece in pieces:
        text = piece.text if piece.text == "\n" else _SPACE.sub(" ", piece.text)
        if runs and runs[-1].text.endswith((" ", "\n")) and text.startswith(" "):
            text = text[1:]
        if not text:
            continue
        if runs and (runs[-1].bold, runs[-1].italic) == (piece.bold, piece.italic):
            runs[-1] = Run(runs[-1].text + text, piece.bold, piece.italic)
        else:
            runs.append(Run(text, piece.bold, piece.italic))
    return _trim(runs)


def _trim(runs: list[Run]) -> tuple[Run, ...]:
    """Return the runs without space at the very start and end, or around line breaks."""
    if runs:
        runs[0] = Run(runs[0].text.lstrip(" "), runs[0].bold, runs[0].italic)
        runs[-1] = Run(runs[-1].text.rstrip(" "), runs[-1].bold, runs[-1].italic)
    trimmed = [Run(run.text.replace(" \n", "\n").replace("\n ", "\n"), run.bold, run.italic)
               for run in runs]
    return tuple(run for run in trimmed if run.text)
