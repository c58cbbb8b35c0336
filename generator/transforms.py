"""Passes over a Document before writing: numbering, anchors, contents."""

from __future__ import annotations

from dataclasses import replace

from .document import Block, Contents, ContentsEntry, Document, Heading, Paragraph


def number_paragraphs(document: Document) -> Document:
    """Return the document with numbered paragraphs numbered "1.", "1.1", "1.1.1" by level."""
    counters: list[int] = []

    def number(block: Block) -> Block:
        if not isinstance(block, Paragraph) or block.number is None:
            return block
        del counters[block.level + 1:]
        counters.extend([0] * (block.level + 1 - len(counters)))
        counters[block.level] += 1
        label = ".".join(str(count) for count in counters[:block.level + 1])
        return replace(block, number=label + "." if block.level == 0 else label)

    return replace(document, blocks=tuple(number(block) for block in document.blocks))


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


def prepare(document: Document) -> Document:
    """Return the document with every transform applied, ready for the writers."""
    return fill_contents(number_paragraphs(document))
