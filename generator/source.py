"""Reading a YAML input file into plain data, remembering where each value was written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from .problems import InputError, Path, Problem


_SCALARS = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
     "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", ["<"]),
)


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

MAX_VALUES = 500_000
"""The most values a file may hold once aliases are expanded (a meeting of 1,000 participants
holds about 30,000): more is an alias bomb, not a meeting."""

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


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


def read_source(name: str) -> Source:
    """Return the file's data, positions and character problems; raise InputError if the file
    cannot be read as YAML at all."""
    try:
        raw = FilePath(name).read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, (), "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, None, None, (), "is a folder, not a YAML file")]) from None
    except OSError as error:
        raise InputError([Problem(name, None, None, (), f"cannot be read ({error.strerror})")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _line_column(raw, error.start)
        message = (f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X}); "
                   "save it with the UTF-8 encoding")
        raise InputError([Problem(name, line, column, (), message)]) from None
    source = Source(name, None, raw=raw)
    try:
        node, loader = _compose(name, text)
        source.data = {} if node is None else _build(node, (), source, loader, source.problems)
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


def _compose(name: str, text: str) -> tuple[yaml.Node | None, yaml.SafeLoader]:
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
        line, column = mark.line + 1, mark.column + 1
        message = f"YAML syntax error: {failure.problem or failure.context}"
        if failure.context and failure.problem:
            message += f" ({failure.context})"
    raise InputError([Problem(name, line, column, (), message)])


def _build(node: yaml.Node, path: Path, source: Source, loader: yaml.SafeLoader,
           problems: list[Problem]) -> Any:
    """Return the plain value of a node, recording positions and duplicate keys."""
    source.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(source.values) > MAX_VALUES:
        raise InputError([source.problem(path, f"the file holds more than {MAX_VALUES:,} values "
                                               "(are aliases repeating each other?)")])
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append(Problem(source.name, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, path,
                                        "keys must be plain words"))
                continue
            child = path + (key,)
            if key in mapping:
                problems.append(Problem(source.name, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, child,
                                        "this key is written twice in the same place"))
                continue
            source.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            mapping[key] = _build(value_node, child, source, loader, problems)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (index,), source, loader, problems)
                for index, item in enumerate(node.value)]
    try:
        return loader.construct_object(node)
    except yaml.constructor.ConstructorError as error:
        problems.append(source.problem(path, f"cannot read this value: {error.problem}"))
        return None


def _check_strings(data: Any, path: Path, source: Source) -> list[Problem]:
    """Return a problem for every string that holds a character no document can carry."""
    from .fonts import unprintable

    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            problems += _check_strings(key, path + (key,), source)
            problems += _check_strings(value, path + (key,), source)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            problems += _check_strings(value, path + (index,), source)
    elif isinstance(data, str):
        bad = _FORBIDDEN.search(data)
        if bad:
            char = bad.group()
            kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
            problems.append(source.problem(path, f"contains {kind} (U+{ord(char):04X}); remove it"))
        else:
            missing = unprintable(data)
            if missing:
                shown = ", ".join(f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"
                                  for char in missing[:5])
                problems.append(source.problem(
                    path, f"contains characters the document font cannot print: {shown}"))
    return problems
