"""Passes over a Document before writing: numbering, anchors, contents."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from .document import (
    Block, Cell, Contents, ContentsEntry, Document, Heading, Metadata, Note, PageBreak,
    PageSettings, Paragraph, Parallel, Part, Run, SignatureBlock, Signatures, Table,
)


def number_paragraphs(document: Document) -> Document:
    """Return the document with numbered paragraphs numbered "1.", "1.1", "1.1.1" by level,
    and the items of enumerations "(a)", "(b)" and, inside those, "(i)", "(ii)": letters and
    roman numerals start again under each paragraph that is not an item, and every number
    after a level-1 heading (a part of a pack, an annex)."""
    counters: list[int] = []
    items: dict[int, int] = {}

    def number(block: Block) -> Block:
        if isinstance(block, Heading) and block.level == 1:  # a part or an annex starts anew
            counters.clear()
            items.clear()
        if not isinstance(block, Paragraph):
            return block
        if block.number is None or block.numbering == "decimal":
            items.clear()
        else:
            for level in [level for level in items if level > block.level]:
                del items[level]
            items[block.level] = items.get(block.level, 0) + 1
            count = items[block.level]
            label = _letters(count) if block.numbering == "letter" else _roman(count).lower()
            return replace(block, number=f"({label})")
        if block.number is None:
            return block
        del counters[block.level + 1:]
        counters.extend([0] * (block.level + 1 - len(counters)))
        counters[block.level] += 1
        label = ".".join(str(count) for count in counters[:block.level + 1])
        return replace(block, number=label + "." if block.level == 0 else label)

    return replace(document, blocks=tuple(number(block) for block in document.blocks))


def _letters(number: int) -> str:
    """Return a, b, ..., z, aa, bb, ... as UN texts letter items past the twenty-sixth."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _roman(number: int) -> str:
    """Return the number in roman numerals, such as "XIV"."""
    result = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while number >= value:
            result, number = result + letters, number - value
    return result


def number_notes(document: Document) -> Document:
    """Return the document with each footnote (Note) replaced by its number, a superscript
    Run, and the notes printed at the end in the "Footnote" style, "1 text"; a note of the same
    text as one before keeps that one's number."""
    numbers: dict[str, int] = {}

    def runs(items):
        result = []
        for item in items:
            if isinstance(item, Note):
                number = numbers.setdefault(item.text, len(numbers) + 1)
                result.append(Run(str(number), superscript=True))
            else:
                result.append(item)
        return tuple(result)

    def walk(block: Block) -> Block:
        match block:
            case Paragraph() | Heading():
                return replace(block, runs=runs(block.runs))
            case SignatureBlock() if block.note:
                number = numbers.setdefault(block.note, len(numbers) + 1)
                return replace(block, note="", mark=str(number))
            case Table():
                return replace(block, rows=tuple(
                    replace(row, cells=tuple(Cell(tuple(map(walk, cell.blocks)))
                                             for cell in row.cells)) for row in block.rows))
            case Part():
                return replace(block, blocks=tuple(map(walk, block.blocks)))
            case Parallel():
                return replace(block, cells=tuple(Cell(tuple(map(walk, cell.blocks)))
                                                  for cell in block.cells))
        return block

    blocks = tuple(map(walk, document.blocks))
    notes = tuple(Paragraph((Run(str(number), superscript=True), Run(" " + text)), style="Footnote")
                  for text, number in numbers.items())
    return replace(document, blocks=blocks + notes)


def fill_contents(document: Document, depth: int = 2) -> Document:
    """Return the document with anchors on every heading and contents lists filled in."""
    blocks: list[Block] = []
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading) and not block.anchor:
            block = replace(block, anchor=f"part-{index}")
        blocks.append(block)
    for index, block in enumerate(blocks):
        if isinstance(block, Contents):
            entries = tuple(
                ContentsEntry("".join(run.text for run in heading.runs), heading.level, heading.anchor)
                for heading in blocks[index + 1:]
                if isinstance(heading, Heading) and heading.level <= depth)
            blocks[index] = Contents(entries)
    return replace(document, blocks=tuple(blocks))


def fill_pages(document: Document, pages: Mapping[str, int]) -> Document:
    """Return the document with the page of every contents entry set from pages, the page
    (1 is the first) of each heading anchor in a laid-out PDF; an anchor pages lacks gets None."""

    def filled(block: Block) -> Block:
        match block:
            case Contents():
                return Contents(tuple(replace(entry, page=pages.get(entry.anchor))
                                      for entry in block.entries))
            case Part():
                return replace(block, blocks=tuple(map(filled, block.blocks)))
            case Parallel():
                return replace(block, cells=tuple(
                    Cell(tuple(map(filled, cell.blocks))) for cell in block.cells))
        return block

    return replace(document, blocks=tuple(map(filled, document.blocks)))


def has_contents(document: Document) -> bool:
    """Return whether the document has a contents list with at least one entry (at the top
    level, in a part or in a parallel row)."""

    def holds(block: Block) -> bool:
        match block:
            case Contents():
                return bool(block.entries)
            case Part():
                return any(map(holds, block.blocks))
            case Parallel():
                return any(holds(inner) for cell in block.cells for inner in cell.blocks)
        return False

    return any(map(holds, document.blocks))


def group_signatures(document: Document, columns: int = 2) -> Document:
    """Return the document with each run of consecutive signature blocks set as one grid of
    that many columns."""
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, SignatureBlock):
            if blocks and isinstance(blocks[-1], Signatures):
                blocks[-1] = replace(blocks[-1], blocks=blocks[-1].blocks + (block,))
            else:
                blocks.append(Signatures((block,), columns))
        else:
            blocks.append(block)
    return replace(document, blocks=tuple(blocks))


def prepare(document: Document) -> Document:
    """Return the document with every transform applied, ready for the writers."""
    return group_signatures(fill_contents(number_notes(number_paragraphs(document))))


def _one_grid(grids: tuple[Signatures, ...]) -> Signatures:
    """Return the editions' signature grids as one: a block per party, in the first edition's
    order, each joining that party's blocks in every edition (by key, else by position)."""
    keyed = [{block.key: block for block in grid.blocks} for grid in grids]
    parties = []
    for number, block in enumerate(grids[0].blocks):
        if block.key and all(block.key in found for found in keyed):
            parties.append(tuple(found[block.key] for found in keyed))
        else:
            parties.append(tuple(grid.blocks[number] for grid in grids))
    return Signatures(tuple(map(_one_block, parties)), grids[0].columns)


def _one_block(blocks: tuple[SignatureBlock, ...]) -> SignatureBlock:
    """Return one party's blocks in several languages as one block: each line in every
    language that differs, one under the other, over a single line to sign on."""

    def lines(texts) -> str:
        return "\n".join(dict.fromkeys(text for text in texts if text))

    return SignatureBlock(lines(block.party for block in blocks),
                          lines(block.name for block in blocks),
                          lines(block.title for block in blocks),
                          mark=blocks[0].mark)


def side_by_side(documents: list[Document]) -> Document:
    """Return one document with the texts of the language editions side by side, block n of
    each in one row; raise ValueError if the editions differ in structure."""
    notes = [_footnotes(document) for document in documents]
    documents = [replace(document, blocks=tuple(_anchored(
        document.blocks[:len(document.blocks) - len(found)], document.metadata.language)))
        for document, found in zip(documents, notes)]  # each column's headings: own anchors
    first = documents[0]
    languages = tuple(document.metadata.language for document in documents)
    for document in documents[1:]:
        if len(document.blocks) != len(first.blocks):
            raise ValueError(f"the {first.metadata.language} and {document.metadata.language} "
                             f"editions have {len(first.blocks)} and {len(document.blocks)} blocks, "
                             "so they cannot be set side by side")
    blocks: list[Block] = []
    for number, row in enumerate(zip(*(document.blocks for document in documents)), start=1):
        shapes = {_shape(block) for block in row}
        if len(shapes) > 1:
            raise ValueError(f"block {number} differs in kind between the editions "
                             f"({', '.join(sorted(map(str, shapes)))}), so they cannot be set "
                             "side by side")
        if isinstance(row[0], PageBreak):
            blocks.append(row[0])
        elif isinstance(row[0], Signatures):  # one instrument: one block per party, full width
            blocks.append(_one_grid(row))
        elif isinstance(row[0], Heading) and row[0].page_break:  # a cell cannot break a page
            blocks.append(PageBreak())
            blocks.append(Parallel(tuple(Cell((replace(block, page_break=False),))
                                         for block in row), languages))
        else:
            blocks.append(Parallel(tuple(Cell((block,)) for block in row), languages))
    if any(notes):  # each language's footnotes in its own column, under the text
        blocks.append(Parallel(tuple(Cell(found) for found in notes), languages))
    return _merged(documents, tuple(blocks))


def _footnotes(document: Document) -> tuple[Block, ...]:
    """Return the footnotes number_notes put at the end of the document."""
    count = 0
    for block in reversed(document.blocks):
        if not (isinstance(block, Paragraph) and block.style == "Footnote"):
            break
        count += 1
    return document.blocks[len(document.blocks) - count:]


def consecutive(documents: list[Document]) -> Document:
    """Return one document with the language editions one after the other, each a Part from a
    new page, their heading anchors made unique."""
    blocks: list[Block] = []
    for document in documents:
        if blocks:
            blocks.append(PageBreak())
        language = document.metadata.language
        blocks.append(Part(tuple(_anchored(document.blocks, language)), language))
    return _merged(documents, tuple(blocks))


def _shape(block: Block) -> tuple:
    """Return what must match for two blocks to face each other: kind, style, level, number."""
    if isinstance(block, Paragraph):
        return ("Paragraph", block.style, block.level, block.number)
    if isinstance(block, Heading):
        return ("Heading", block.level)
    if isinstance(block, Table):
        return ("Table", len(block.widths), len(block.rows))
    if isinstance(block, Signatures):
        return ("Signatures", len(block.blocks))
    return (type(block).__name__,)


def _anchored(blocks: tuple[Block, ...], prefix: str) -> list[Block]:
    """Return the blocks with every heading anchor, and every contents entry, prefixed."""
    result: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and block.anchor:
            block = replace(block, anchor=f"{prefix}-{block.anchor}")
        elif isinstance(block, Contents):
            block = Contents(tuple(replace(entry, anchor=f"{prefix}-{entry.anchor}")
                                   for entry in block.entries))
        result.append(block)
    return result


def _merged(documents: list[Document], blocks: tuple[Block, ...]) -> Document:
    """Return a document of the blocks whose metadata and page furniture join the editions'."""

    def joined(texts) -> str:
        return " / ".join(dict.fromkeys(text for text in texts if text))

    first = documents[0]
    metas = [document.metadata for document in documents]
    pages = [document.page for document in documents]
    metadata = Metadata(
        title=joined(meta.title for meta in metas), subject=joined(meta.subject for meta in metas),
        author=joined(meta.author for meta in metas),
        keywords=tuple(dict.fromkeys(word for meta in metas for word in meta.keywords)),
        language=first.metadata.language, created=first.metadata.created)
    page = PageSettings(  # the header and marking in each language, a line each
        size=first.page.size, header=joined_lines(page.header for page in pages),
        header_runs=joined_runs([page.header_runs for page in pages]),
        marking=joined_lines(page.marking for page in pages) or None,
        marking_runs=joined_runs([page.marking_runs for page in pages]),
        watermark=joined(page.watermark for page in pages) or None,
        classification=joined(page.classification for page in pages) or None,
        page_label=joined(page.page_label for page in pages), cover=first.page.cover)
    return Document(first.name, metadata, page, blocks, first.house)


def joined_lines(texts) -> str:
    """Return the distinct non-empty texts, one line each ("\n" between them)."""
    return "\n".join(dict.fromkeys(text for text in texts if text))


def joined_runs(texts: list[tuple[Run, ...]]) -> tuple[Run, ...]:
    """Return the distinct non-empty runs of each edition, a line each; empty if any edition's
    are (then the joined plain texts print)."""
    if not all(texts):
        return ()
    distinct = list(dict.fromkeys(texts))
    return tuple(run for number, runs in enumerate(distinct)
                 for run in ((Run("\n"),) if number else ()) + runs)
