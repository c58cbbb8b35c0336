"""The dump writer: the document model as indented text, for golden files and debugging."""

from __future__ import annotations

import os
from pathlib import PurePath

from ..document import (
    Annex, Cell, Contents, Document, Heading, HouseStyle, Note, PageBreak, Paragraph, Parallel,
    Part, Row,
    Run, SignatureBlock, Signatures, Table,
)
from . import Visitor


class DumpWriter(Visitor):
    """Write each node on its own line, children indented by two spaces."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def emit(self, text: str) -> None:
        self.lines.append("  " * self.depth + text)

    def nested(self, nodes) -> None:
        self.depth += 1
        for node in nodes:
            self.visit(node)
        self.depth -= 1

    def visit_Document(self, node: Document) -> None:
        meta, page = node.metadata, node.page
        self.emit(f"Document {node.name!r}")
        self.depth += 1
        self.emit(f"Metadata title={meta.title!r} subject={meta.subject!r} author={meta.author!r}")
        self.emit(f"  keywords={list(meta.keywords)!r} language={meta.language!r} "
                  f"created={meta.created.isoformat()}")
        self.emit(f"Page size={page.size} header={page.header!r} marking={page.marking!r} "
                  f"watermark={page.watermark!r} classification={page.classification!r} "
                  f"label={page.page_label!r}{' cover' if page.cover else ''}")
        house = node.house
        if house != HouseStyle():
            emblem = house.emblem and f"{os.path.basename(house.emblem.path)} {house.emblem.width} mm"
            font = house.font and [os.path.basename(path) for path in house.font]
            self.emit(f"House emblem={emblem!r} issuer={list(house.issuer)!r} font={font!r} "
                      f"size={house.size} heading=#{house.heading_colour} "
                      f"rule=#{house.rule_colour} margins={list(house.margins)!r}"
                      f"{' reference-docx' if house.reference_docx else ''}")
        self.depth -= 1
        self.nested(node.blocks)

    def visit_Paragraph(self, node: Paragraph) -> None:
        number = f" number={node.number!r}" if node.number is not None else ""
        level = f" level={node.level}" if node.level else ""
        keep = " keep-with-next" if node.keep_with_next else ""
        self.emit(f"Paragraph {node.style!r}{number}{level}{keep}")
        self.nested(node.runs)

    def visit_Run(self, node: Run) -> None:
        face = "bold italic" if node.bold and node.italic else "bold" if node.bold else (
            "italic" if node.italic else "")
        marks = ("super " if node.superscript else "") + (
            f"lang={node.language} " if node.language else "")
        self.emit(f"{face + ' ' if face else ''}{marks}{node.text!r}")

    def visit_Note(self, node: Note) -> None:
        self.emit(f"Note {node.text!r}")

    def visit_Heading(self, node: Heading) -> None:
        page = " page-break" if node.page_break else ""
        self.emit(f"Heading {node.level} anchor={node.anchor!r}{page}")
        self.nested(node.runs)

    def visit_Table(self, node: Table) -> None:
        self.emit(f"Table widths={list(node.widths)!r}")
        self.nested(node.rows)

    def visit_Row(self, node: Row) -> None:
        self.emit("Row header" if node.header else "Row")
        self.nested(node.cells)

    def visit_Cell(self, node: Cell) -> None:
        self.emit("Cell")
        self.nested(node.blocks)

    def visit_Parallel(self, node: Parallel) -> None:
        self.emit(f"Parallel languages={list(node.languages)!r}")
        self.nested(node.cells)

    def visit_SignatureBlock(self, node: SignatureBlock) -> None:
        mark = f" mark={node.mark!r}" if node.mark else ""
        note = f" note={node.note!r}" if node.note else ""
        self.emit(f"SignatureBlock party={node.party!r}{mark}{note} name={node.name!r} "
                  f"title={node.title!r}")

    def visit_Signatures(self, node: Signatures) -> None:
        self.emit(f"Signatures columns={node.columns}")
        self.nested(node.blocks)

    def visit_Part(self, node: Part) -> None:
        self.emit(f"Part language={node.language!r}")
        self.nested(node.blocks)

    def visit_PageBreak(self, node: PageBreak) -> None:
        self.emit("PageBreak")

    def visit_Annex(self, node: Annex) -> None:
        name = PurePath(node.path).name  # not the folder, which is the machine's
        self.emit(f"Annex {node.kind} {name!r} pages={node.pages} sha256={node.sha256}")

    def visit_Contents(self, node: Contents) -> None:
        self.emit("Contents")
        self.depth += 1
        for entry in node.entries:
            page = "" if entry.page is None else f" page {entry.page}"
            self.emit(f"Entry {entry.level} {entry.text!r} -> {entry.anchor}{page}")
        self.depth -= 1


def render_dump(document: Document) -> str:
    """Return the document as indented text, one node a line."""
    writer = DumpWriter()
    writer.visit(document)
    return "\n".join(writer.lines) + "\n"
