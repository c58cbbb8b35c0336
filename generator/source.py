"""Reading a YAML input file into plain data, remembering where each value was written."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .files import MEETING_FILE, read_regular
from .problems import InputError, Path, Problem


_SCALARS = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
     "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", ["<"]),
)


_STRING = "tag:yaml.org,2002:str"
"""The tag of a scalar read as text: quoted, or plain and none of _SCALARS."""


def _core_schema(loader: type) -> type:
    """Return the loader class resolving only YAML 1.2 core scalars: "NO" stays a string and
    10:30 a time of day, not a boolean and a number of minutes."""
    loader.yaml_implicit_resolvers = {}
    for tag, pattern, first in _SCALARS:
        loader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    return loader


_LOADERS = tuple(_core_schema(type("Loader", (base,), {})) for base in dict.fromkeys(
    (getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader)))
"""libyaml first, for speed; then the Python parser, whose messages are clearer and which
reads escapes such as "\\ud800" that the checks below then report by field."""

MAX_DIGITS = 100
"""The most digits a number may have (Python refuses to read more than 4,300)."""

MAX_VALUES = 500_000
"""The most values a file may hold once aliases are expanded (a meeting of 1,000 participants
holds about 30,000): more is an alias bomb, not a meeting."""

_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no document can carry: controls (tab and line breaks aside), lone surrogates,
noncharacters."""


@dataclass
class Source:
    """A loaded input: its data and the line and column of every value and key."""

    name: str
    """The file as the user named it."""
    data: Any
    """Plain data: dicts, lists, str, int, float, bool, None."""
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """Path -> (line, column) where the value starts, 1-based."""
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """Path -> (line, column) of the key that names the value, 1-based."""
    raw: bytes = b""
    """The file's bytes, for checksums."""
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading that do not stop validation: bad keys, bad characters."""

    def problem(self, path: Path, message: str, at_key: bool = False) -> Problem:
        """Return a problem placed at the path, or at its nearest written ancestor."""
        for depth in range(len(path), -1, -1):
            place = path[:depth]
            where = (self.keys.get(place) if at_key else None) or self.values.get(place)
            if where:
                return Problem(self.name, where[0], where[1], path, message)
        return Problem(self.name, 1, 1, path, message)


def read_source(name: str, limit: int = MEETING_FILE, what: str = "a meeting file") -> Source:
    """Return the file's data, positions and character problems; raise InputError if the file
    cannot be read as YAML at all. limit and what are read_regular's."""
    raw = read_regular(name, limit=limit, what=what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _line_column(raw, error.start)
        message = (f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X}); "
                   "save it with the UTF-8 encoding")
        raise InputError([Problem(name, line, column, (), message)]) from None
    breaking = _LINE_BREAKS.search(text)
    if breaking:
        line, column = _line_column(text, breaking.start())
        raise InputError([Problem(name, line, column, (), (
            f"contains a line separator (U+{ord(breaking.group()):04X}) that YAML reads as a line "
            "break but editors may not show; remove it or write a new line"))])
    source = Source(name, None, raw=raw)
    place = _Places(text)
    try:
        node, loader = _compose(name, text, place)
        source.data = {} if node is None else _build(node, (), source, loader, place)
    except RecursionError:
        raise InputError([Problem(name, None, None, (), "the file nests lists and fields too "
                                                        "deeply to be a meeting")]) from None
    if not isinstance(source.data, dict):
        raise InputError([source.problem((), "the file must hold fields (key: value), "
                                             "not a single value or a list")])
    source.problems.extend(_check_strings(source.data, (), source))
    return source


def _line_column(content: str | bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of an offset into text or bytes."""
    newline = "\n" if isinstance(content, str) else b"\n"
    return (content.count(newline, 0, offset) + 1,
            offset - (content.rfind(newline, 0, offset) + 1) + 1)


class _Places:
    """Where a YAML mark is in the file, counting lines by "\n" only as editors do (YAML also
    breaks lines at U+0085, U+2028 and U+2029, which would shift every later line number)."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def __call__(self, mark: yaml.Mark) -> tuple[int, int]:
        """Return the 1-based (line, column) of the mark."""
        line = bisect.bisect_right(self.starts, mark.index)
        return line, mark.index - self.starts[line - 1] + 1


def _compose(name: str, text: str, place: _Places) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """Return the file's node tree and the loader that read it; raise InputError if no loader
    can read it, with the place and the reason the last one gave."""
    for loader_class in _LOADERS:
        loader = None
        try:
            loader = loader_class(text)
            return loader.get_single_node(), loader
        except yaml.YAMLError as error:
            failure = error
        finally:
            if loader is not None:
                loader.dispose()
    if isinstance(failure, yaml.reader.ReaderError):
        line, column = _line_column(text, failure.position)
        message = (f"contains a control character (#x{failure.character:04X}) that YAML does not "
                   "allow; remove it")
    else:
        mark = failure.problem_mark or failure.context_mark
        line, column = place(mark)
        message = f"YAML syntax error: {failure.problem or failure.context}"
        if failure.context and failure.problem:
            message += f" ({failure.context})"
    raise InputError([Problem(name, line, column, (), message)])


def _build(node: yaml.Node, path: Path, source: Source, loader: yaml.SafeLoader,
           place: _Places) -> Any:
    """Return the plain value of a node, recording positions and duplicate keys; raise
    InputError for a merge key (<<) that merges anything but fields."""
    problems = source.problems
    source.values.setdefault(path, place(node.start_mark))
    if len(source.values) > MAX_VALUES:
        raise InputError([source.problem(path, f"the file holds more than {MAX_VALUES:,} values "
                                               "(are aliases repeating each other?)")])
    if isinstance(node, yaml.MappingNode):
        try:
            loader.flatten_mapping(node)
        except yaml.constructor.ConstructorError as error:
            line, column = place(error.problem_mark or node.start_mark)
            raise InputError([Problem(source.name, line, column, path, (
                "a merge key (<<) must be followed by fields or a list of fields, such as "
                "<<: *defaults"))]) from None
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader) if isinstance(key_node, yaml.ScalarNode) else None
            line, column = place(key_node.start_mark)
            if not isinstance(key, str):
                problems.append(Problem(source.name, line, column, path,
                                        "keys must be plain words"))
                continue
            child = path + (key,)
            if key in mapping:
                problems.append(Problem(source.name, line, column, child,
                                        "this key is written twice in the same place"))
                continue
            source.keys[child] = (line, column)
            mapping[key] = _build(value_node, child, source, loader, place)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (index,), source, loader, place)
                for index, item in enumerate(node.value)]
    try:
        return _scalar(node, loader)
    except ValueError as error:
        problems.append(source.problem(path, f"cannot read this value: {error}"))
        return None


def _scalar(node: yaml.ScalarNode, loader: yaml.SafeLoader) -> Any:
    """Return the scalar's value; raise ValueError saying why it cannot be read."""
    if node.tag == _STRING:  # most of a meeting: its text as written
        return node.value
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_DIGITS:
        raise ValueError(f"a number of {len(node.value):,} digits; no field takes more than "
                         f"{MAX_DIGITS}")
    try:
        return loader.construct_object(node)
    except yaml.constructor.ConstructorError as error:
        raise ValueError(error.problem) from None
    except (ValueError, OverflowError) as error:
        raise ValueError(str(error)) from None


LIMITS: dict[str | None, int] = {
    **dict.fromkeys(("name", "short_name", "formal_name", "signs_as", "city", "country",
                     "article", "process", "ordinal", "meeting_type", "symbol", "phone", "email",
                     "place", "classification", "format", "affiliation", "type", "time_zone",
                     "time", "id", "version"), 200),
    **dict.fromkeys(("title", "venue", "role", "documents", "organizers", "audience", "file"),
                    1_000),
    None: 50_000,
}
"""The most characters a text may have, by its field's name: 200 for names and other texts
printed in a small place, 1,000 for titles and one-line texts, 50,000 (about 15 pages) for
every other text. A key that is a language code counts as its field's own."""


_SHORTEST = min(LIMITS.values())
"""The fewest characters any field takes: a shorter text needs no look at its field's name."""


def text_limit(path: Path) -> int:
    """Return the most characters the text at the path may have (see LIMITS)."""
    names = [part for part in path if isinstance(part, str)]
    while names and len(names) > 1 and re.fullmatch("[a-z]{2}", names[-1]):
        names.pop()  # {en: ..., ru: ...}
    return LIMITS.get(names[-1] if names else None, LIMITS[None])


def _check_strings(data: Any, path: Path, source: Source) -> list[Problem]:
    """Return a problem for every string (key or value) that holds a character no document can
    carry or is longer than its field takes, in the order the file gives them."""
    from .fonts import unprintable

    strings = _strings(data, path)
    # one look at all the text at once: a string is looked at alone only if something is amiss
    joined = "\n".join(text for _, text in strings)  # a line break is neither amiss nor shown
    suspect = bool(FORBIDDEN.search(joined) or unprintable(joined))
    problems = []
    for place, text in strings:
        limit = text_limit(place) if len(text) > _SHORTEST else _SHORTEST  # no field takes less
        if len(text) > limit:
            problems.append(source.problem(place, (
                f"is {len(text):,} characters long; this field takes at most {limit:,}"
                + ("" if limit == LIMITS[None] else " (it is printed in a small place)"))))
        elif suspect and (bad := FORBIDDEN.search(text)):
            char = bad.group()
            kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
            problems.append(source.problem(place, f"contains {kind} (U+{ord(char):04X}); remove it"))
        elif suspect and (missing := unprintable(text)):
            shown = ", ".join(f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"
                              for char in missing[:5])
            problems.append(source.problem(
                place, f"contains characters the document font cannot print: {shown}"))
    return problems


def _strings(data: Any, path: Path, found: list | None = None) -> list[tuple[Path, str]]:
    """Return (path, text) of every string in the data, each key before its value."""
    found = [] if found is None else found
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                found.append((path + (key,), key))
            if isinstance(value, str):
                found.append((path + (key,), value))
            elif isinstance(value, (dict, list)):
                _strings(value, path + (key,), found)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, str):
                found.append((path + (index,), value))
            elif isinstance(value, (dict, list)):
                _strings(value, path + (index,), found)
    elif isinstance(data, str):
        found.append((path, data))
    return found
