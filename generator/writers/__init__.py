"""Writers: each turns a Document into one file format."""

from __future__ import annotations

from typing import Any


class Visitor:
    """Dispatch each node to the subclass's visit_<NodeType> method; an unknown node raises."""

    def visit(self, node: Any) -> Any:
        """Return what the node's visit method returns."""
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"{type(self).__name__} has no method for {type(node).__name__}")
        return method(node)
