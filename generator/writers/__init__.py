"""Writers: each turns a Document into one file format."""

from __future__ import annotations

from typing import Any, Callable

from generator import stylesheet


class Visitor:
    """Dispatch each node to the subclass's visit_<NodeType> method; an unknown node raises."""

    def visit(self, node: Any) -> Any:
        """Return what the node's visit method returns."""
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"{type(self).__name__} has no method for {type(node).__name__}")
        return method(node)


def signature_grid(writer: Any, node: Any, cell: Callable[[Any], Any], blank: Any
                   ) -> tuple[float, float, list[list[Any]]]:
    """Return the column width and gutter (pt) of a signature grid (a Signatures node) in the
    writer's text width, and its rows: cell(block) for each block, made while writer.state.width
    is the column's, the last row filled up with blank."""
    columns = max(node.columns, 1)
    gutter = stylesheet.PARALLEL_GUTTER * stylesheet.MM
    width = (writer.state.width - (columns - 1) * gutter) / columns
    outer = writer.state.width
    writer.state.width = width
    try:
        cells = [cell(block) for block in node.blocks]
    finally:
        writer.state.width = outer
    rows = [cells[start:start + columns] for start in range(0, len(cells), columns)]
    if rows:
        rows[-1] += [blank] * (columns - len(rows[-1]))
    return width, gutter, rows
