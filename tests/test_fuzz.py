"""Fuzzing the YAML loader and the manifest reader: exit 0 or 2 (1 for verify's findings), never
a traceback, nothing written on failure."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.archive import MANIFEST
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
BASE = MINIMAL.read_text(encoding="utf-8")

SETTINGS = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

YAML_PIECES = st.sampled_from([
    ":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "<<: *a", "!!str ", "!!binary ",
    "!!python/object:os.system ", "? ", "|", ">", "'", '"', "\\x00", "\\ud800", "\n", "\n  ",
    "\t", "#", "---\n", "...\n", "%YAML 1.1\n", "true", "null", "~", "0x1F", "1e400",
    "9" * 5000, ".inf", "2024-02-30", "\u2028", "\u0085", "\ufeff", "\x07", "é", "中",
    "originals: ", "version: ", "file: ", "participants:", "date: ", "status: final",
])
"""Pieces of YAML that loaders treat specially."""


HOSTILE_VALUES = st.sampled_from([
    "5", "[1, 2]", "9" * 5000, "-" + "9" * 400, "true", "yes", "null", "~", "1e400", ".nan",
    '"a\\0b"', '"\\ud800"', '"\\x85"', "!!binary AAAA", "!!float 1e400", "!!int 0x1F",
    "!!timestamp 2024-02-30", "*undefined", "&a [*a]", "{<<: 5}", "{<<: [1, 2]}", "[*a]",
    "'x\u2028y'", "a.pdf/", "/dev/zero", "..", '"' + "x" * 60_000 + '"', "{a: {b: {c: 1}}}",
    "[" * 200 + "]" * 200, "2024-02-30", "25:30", "!!python/object:os.system ls",
]) | st.text(max_size=12).map(json.dumps)
"""Values that YAML loaders or validation treat specially, written as YAML."""


@st.composite
def yaml_texts(draw) -> str:
    """Return the minimal meeting with a few lines' values replaced by hostile values, merge
    keys inserted, or pieces spliced in anywhere; or pieces alone."""
    if draw(st.integers(0, 4)) == 0:
        return "".join(draw(st.lists(YAML_PIECES | st.text(max_size=8), max_size=30)))
    lines = BASE.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        indent = line[:len(line) - len(line.lstrip(" -"))]
        how = draw(st.integers(0, 2))
        if how == 0 and ":" in line:
            lines[index] = line[:line.index(":") + 1] + " " + draw(HOSTILE_VALUES)
        elif how == 1:
            lines.insert(index, " " * len(indent) + "<<: " + draw(HOSTILE_VALUES))
        else:
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(YAML_PIECES) + line[at:]
    return "\n".join(lines) + "\n"


def run(*arguments: str) -> tuple[int, str]:
    """Return the exit code and everything printed by the command; an exception escaping main
    fails the test with its traceback."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = main(list(arguments))
    return code, printed.getvalue()


@settings(SETTINGS, max_examples=150)
@given(text=yaml_texts())
def test_validate_exits_0_or_2_whatever_the_yaml(text):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "meeting.yaml"
        source.write_bytes(text.encode("utf-8", "surrogatepass"))
        code, printed = run("validate", str(source))
        assert code in (0, 2), printed
        assert "Traceback" not in printed
        if code == 2:
            assert printed.rstrip().endswith("nothing was written"), printed


@settings(SETTINGS, max_examples=20)
@given(text=yaml_texts())
def test_build_writes_nothing_when_it_refuses(text):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "meeting.yaml"
        source.write_bytes(text.encode("utf-8", "surrogatepass"))
        out = Path(folder) / "out"
        code, printed = run("build", str(source), "--out", str(out), "--format", "docx")
        assert code in (0, 2), printed
        if code == 2:
            assert not out.exists(), printed


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)


NAMES = st.sampled_from(["a\0b.pdf", "../up.pdf", "sub/x.pdf", "a\\b.pdf", "a\udc80.pdf", "",
                         ".", "..", MANIFEST, ".chancery-journal", ".chancery-tmp.x.pdf",
                         "x" * 300, "con.pdf", "a\nb.pdf"]) | st.text(max_size=20)
"""File names a manifest may list: folders, NUL, chancery's own names, any text."""


@pytest.fixture(scope="module")
def archive_folder(tmp_path_factory) -> Path:
    """Return an archive folder of the minimal meeting, built once."""
    out = tmp_path_factory.mktemp("fuzz") / "out"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", str(MINIMAL), "--out", str(out)]) == 0
    return out / "minimal"


@st.composite
def manifests(draw, real: dict) -> bytes:
    """Return manifest bytes: the real manifest with values replaced or keys added, any JSON,
    or any bytes."""
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return draw(st.binary(max_size=200))
    if choice == 4:
        depth = draw(st.integers(1, 100_000))
        return (draw(st.sampled_from(["[", '{"a":'])) * depth).encode()
    if choice == 1:
        return json.dumps(draw(JSON)).encode()
    data = json.loads(json.dumps(real))
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(data["files"])))
        target = draw(st.sampled_from(["top", "entry", "name"]))
        if target == "top":
            data[draw(st.sampled_from(["format", "meeting", "files", "extra"]))] = draw(JSON)
            break  # the files may be gone
        elif target == "entry":
            data["files"][name][draw(st.sampled_from(
                sorted(data["files"][name]) + ["seal", "other"]))] = draw(JSON)
        else:
            data["files"][draw(NAMES)] = data["files"].pop(name)
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_verify_and_build_survive_any_manifest(archive_folder):
    real = json.loads((archive_folder / MANIFEST).read_bytes())

    @settings(SETTINGS, max_examples=60)
    @given(data=manifests(real))
    def check(data):
        with tempfile.TemporaryDirectory() as parent:
            folder = Path(parent) / "minimal"
            shutil.copytree(archive_folder, folder)
            (folder / MANIFEST).write_bytes(data)
            code, printed = run("verify", str(folder))
            assert code in (0, 1, 2), printed
            assert "Traceback" not in printed
            before = snapshot(folder)
            code, printed = run("build", str(MINIMAL), "--out", parent, "--format", "pdf")
            assert code in (0, 2), printed
            if code == 2:
                assert snapshot(folder) == before, printed

    check()
