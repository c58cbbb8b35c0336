"""Problems found in an input file, as values a user can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

Path = tuple[str | int, ...]
"""A field's place in the input: keys and list indexes from the top."""


def format_path(path: Path) -> str:
    """Return a path the way users write it: participants[3].delegation[0].name."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    """The file as the user named it."""
    line: int | None
    """1-based line, or None when the problem concerns the whole file."""
    column: int | str | None
    """1-based column, or a spreadsheet's column letter ("C"), or None with line."""
    path: Path
    """The field concerned; empty for the whole file."""
    message: str
    """What is wrong, in the user's words."""
    sheet: str | None = None
    """The sheet of a spreadsheet (XLSX) file, or None."""

    def __str__(self) -> str:
        file = self.file if self.sheet is None else f"{self.file}:{self.sheet}"
        place = file if self.line is None else f"{file}:{self.line}:{self.column}"
        field = f" {format_path(self.path)}:" if self.path else ""
        return f"{place}:{field} {self.message}"


class InputError(Exception):
    """Raised with every problem found in one or more input files."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))

    def __reduce__(self):
        """Return how pickle makes the error again, of its own kind and with all it holds (a
        worker process sends it to the build)."""
        return _input_error, (type(self), self.__dict__)


def _input_error(kind: type[InputError], state: dict) -> InputError:
    """Return an InputError (or one of its kinds) holding state, as pickled by __reduce__."""
    error = Exception.__new__(kind)
    Exception.__init__(error, "\n".join(map(str, state["problems"])))
    error.__dict__.update(state)
    return error
