"""Hostile input and faults, built on the fly: never a traceback, a hang or a stuck archive."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import docx
import pytest
from PIL import Image

from generator import archive, files, templating
from generator.archive import MANIFEST
from generator.cli import main
from generator.files import UnreadableFile, read_regular

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
BASE = MINIMAL.read_text(encoding="utf-8")
"""A final communiqué, version 1.0, in English: a protocol and an agenda."""

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")


def write(tmp_path: Path, text: str | bytes, name: str = "meeting.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def chancery(*arguments: str, timeout: float = 60, env: dict | None = None,
             ) -> subprocess.CompletedProcess:
    """Return the finished `python -m generator` run, killed after timeout seconds (a hang
    fails the test instead of stopping the suite)."""
    return subprocess.run([sys.executable, "-m", "generator", *arguments], cwd=ROOT,
                          capture_output=True, timeout=timeout, env={**os.environ, **(env or {})})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def refused(capsys, code: int, pattern: str, out: Path | None = None) -> str:
    """Assert exit 2, the message and no traceback, and that nothing was written to out."""
    err = capsys.readouterr().err
    assert code == 2, err
    assert re.search(pattern, err, re.MULTILINE), err
    assert "Traceback" not in err
    if out is not None:
        assert not out.exists()
    return err


# --- 1. everything read is bounded and a regular file ----------------------------------------------


@posix_only
@pytest.mark.parametrize("make", ["fifo", "link to fifo", "device", "link to device"])
def test_a_fifo_or_device_as_the_meeting_file_is_refused_at_once(tmp_path, make):
    if make.endswith("fifo"):
        os.mkfifo(tmp_path / "pipe")
    target = tmp_path / "pipe" if make.endswith("fifo") else Path("/dev/zero")
    source = target if not make.startswith("link") else tmp_path / "link.yaml"
    if make.startswith("link"):
        source.symlink_to(target)
    result = chancery("build", str(source), "--out", str(tmp_path / "out"), timeout=20)
    assert result.returncode == 2
    kind = "named pipe (FIFO)" if make.endswith("fifo") else "device"
    assert f"{source}: is a {kind}, not a regular file".encode() in result.stderr
    assert b"Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_meeting_file_too_large_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    source = tmp_path / "meeting.yaml"
    with source.open("wb") as stream:
        stream.truncate(files.MEETING_FILE + 1)  # sparse: nothing to read, only a size
    monkeypatch.setattr(files.os, "fdopen", None)  # reading it would fail the test
    refused(capsys, main(["validate", str(source)]),
            rf"^{re.escape(str(source))}: is 8\.0 MB, more than the 8\.0 MB a meeting file may have")


@pytest.mark.parametrize("make, reason", [
    (lambda path: path.mkdir(), "is a folder, not a file"),
    (lambda path: None, "no such file"),
    (lambda path: path.write_bytes(b"x" * 11), "is 11 bytes, more than the 10 bytes a test file"),
])
def test_read_regular_refuses_before_reading(tmp_path, make, reason):
    path = tmp_path / "file"
    make(path)
    with pytest.raises(UnreadableFile) as caught:
        read_regular(path, limit=10, what="a test file")
    assert caught.value.reason.startswith(reason)
    assert str(caught.value.problems[0]).startswith(f"{path}: {reason}")


def test_read_regular_reads_a_file_at_the_limit_and_refuses_a_nul_in_its_name(tmp_path):
    (tmp_path / "file").write_bytes(b"x" * 10)
    assert read_regular(tmp_path / "file", limit=10, what="a test file") == b"x" * 10
    with pytest.raises(UnreadableFile, match="holds a NUL character"):
        read_regular(str(tmp_path / "fi\0le"), limit=10, what="a test file")


@posix_only
def test_a_fifo_as_an_annex_a_template_or_a_key_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "annex.pdf")
    source = write(tmp_path, BASE + "agenda_pack:\n  annexes:\n    - title: X\n"
                                    "      file: annex.pdf\n")
    result = chancery("validate", str(source), timeout=20)
    assert result.returncode == 2
    assert (b"agenda_pack.annexes[0].file: 'annex.pdf' is a named pipe (FIFO), not a regular "
            b"file") in result.stderr

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "_parts.xml.j2").unlink()
    os.mkfifo(templates / "_parts.xml.j2")
    result = chancery("dump", str(MINIMAL), "--templates", str(templates), timeout=20)
    assert result.returncode == 2
    assert f"{templates / '_parts.xml.j2'}: is a named pipe (FIFO)".encode() in result.stderr

    os.mkfifo(tmp_path / "key.p12")
    result = chancery("seal", str(tmp_path / "x.pdf"), "--pkcs12", str(tmp_path / "key.p12"),
                      timeout=20)
    assert result.returncode == 2
    assert f"{tmp_path / 'key.p12'}: is a named pipe (FIFO)".encode() in result.stderr


# --- 2. layout is bounded ------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, line, field, limit", [
    ("title: Deputy Minister", "title: " + "x" * 10_000, 26,
     r"participants\[1\]\.delegation\[0\]\.title", "1,000"),
    ("city: Valletta", "city: " + "Valletta " * 30, 8, "city", "200"),
    ("text: Agree to meet again in 2025.", "text: " + "word " * 200_000, 45,
     r"outcome\.paragraphs\[0\]\.text", "50,000"),
])
def test_a_text_too_long_for_its_place_is_an_input_problem(tmp_path, capsys, old, new, line,
                                                           field, limit):
    source = write(tmp_path, edited(old, new))
    refused(capsys, main(["build", str(source), "--out", str(tmp_path / "out")]),
            rf"^{re.escape(str(source))}:{line}:\d+: {field}: is [\d,]+ characters long; this "
            rf"field takes at most {limit}", tmp_path / "out")


def test_a_long_word_breaks_inside_its_column(tmp_path):
    """A 1,000-character word (the most a title takes) in a speaker's title and in the table
    of the programme lays out in seconds, broken at the column's edge."""
    from pypdf import PdfReader

    word = "x" * 1000
    source = write(tmp_path, edited("title: Minister of the Interior", f"title: {word}"))
    result = chancery("build", str(source), "--out", str(tmp_path / "out"), "--format", "pdf",
                      timeout=60)
    assert result.returncode == 0, result.stderr
    for name in ("agenda-en-v1.pdf", "protocol-en-v1.0.pdf"):
        reader = PdfReader(tmp_path / "out" / "minimal" / name)
        text = "".join(page.extract_text() for page in reader.pages)
        runs = re.findall("x{2,}", text)
        assert sum(map(len, runs)) >= 1000 and len(runs) > 1, name  # broken, nothing lost


def test_a_page_that_cannot_be_laid_out_is_a_message(tmp_path, capsys, monkeypatch):
    from reportlab.platypus.doctemplate import LayoutError

    def fail(*args, **kwargs):
        raise LayoutError("Flowable <Table> too large on page 1")

    monkeypatch.setattr("generator.writers.pdf.render_pdf_with_pages", fail)
    out = tmp_path / "out"
    refused(capsys, main(["build", str(MINIMAL), "--out", str(out)]),
            r"cannot be laid out: something is too large for a page", out)


# --- 3. every input problem is an input problem ---------------------------------------------------


YAML_CASES = [
    ("merge key with a scalar", ("city: Valletta", "<<: 5\ncity: Valletta"), 8,
     r"a merge key \(<<\) must be followed by fields"),
    ("merge key with a list", ("city: Valletta", "<<: [1, 2]\ncity: Valletta"), 8,
     r"a merge key \(<<\) must be followed by fields"),
    ("5,000-digit integer", ("originals: 2", "originals: " + "9" * 5000), 47,
     r"outcome\.done_at\.originals: cannot read this value: a number of 5,000 digits"),
    ("true for a number", ("originals: 2", "originals: true"), 47,
     r"outcome\.done_at\.originals: should be a valid integer"),
    ("a word for a yes", ("head: true", "head: yes"), 19,
     r"participants\[0\]\.delegation\[0\]\.head: should be a valid boolean"),
    ("U+2028", ("city: Valletta", "city: Val\u2028letta"), 8,
     r"contains a line separator \(U\+2028\)"),
    ("NUL in a path", ("city: Valletta", 'city: Valletta\nagenda_pack:\n  annexes:\n'
                                         '    - {title: X, file: "a\\0b.pdf"}'), 11,
     r"agenda_pack\.annexes\[0\]\.file: contains a control character \(U\+0000\)"),
    ("trailing slash", ("city: Valletta", "city: Valletta\nagenda_pack:\n  annexes:\n"
                                          "    - {title: X, file: annex.pdf/}"), 11,
     r"agenda_pack\.annexes\[0\]\.file: 'annex\.pdf/' ends in a folder separator"),
]


@pytest.mark.parametrize("name, edit, line, pattern", YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_late_yaml_refusals_are_input_problems(tmp_path, capsys, name, edit, line, pattern):
    (tmp_path / "annex.pdf").write_bytes(b"%PDF-1.4\n")  # the trailing slash names a file
    source = write(tmp_path, edited(*edit))
    refused(capsys, main(["build", str(source), "--out", str(tmp_path / "out")]),
            rf"^{re.escape(str(source))}:{line}:\d+: .*{pattern}", tmp_path / "out")


def test_line_numbers_count_only_new_lines(tmp_path, capsys):
    """YAML breaks lines at U+0085 too; a problem after one is still on the line an editor shows."""
    source = write(tmp_path, edited("title: Opening", 'title: "Op\\x85ening"').replace(
        "chair: ALP", "chair: ALX"))
    refused(capsys, main(["validate", str(source)]), rf"^{re.escape(str(source))}:10:8: chair:")


def test_a_cmyk_jpeg_annex_is_converted_for_word(tmp_path):
    Image.new("CMYK", (40, 30), (0, 255, 255, 0)).save(tmp_path / "photo.jpg")  # red, Adobe APP14
    source = write(tmp_path, BASE + "agenda_pack:\n  annexes:\n    - title: Photo\n"
                                    "      file: photo.jpg\n")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--only", "agenda-pack",
                 "--format", "docx"]) == 0
    word = docx.Document(out / "minimal" / "agenda-pack-en-v1.docx")
    images = [part for part in word.part.package.iter_parts()
              if part.content_type.startswith("image/")]
    assert len(images) == 1
    with Image.open(io.BytesIO(images[0].blob)) as image:
        assert image.mode == "RGB"
        red, green, blue = image.getpixel((20, 15))
        assert red > 200 and green < 60 and blue < 60


def test_an_annex_changed_between_check_and_build_is_refused(tmp_path, capsys, monkeypatch):
    Image.new("RGB", (40, 30), "blue").save(tmp_path / "photo.png")
    source = write(tmp_path, BASE + "agenda_pack:\n  annexes:\n    - title: Photo\n"
                                    "      file: photo.png\n")
    from generator import build

    made = build.make_document

    def make_then_change(*args, **kwargs):  # after the check, before the annex is read
        result = made(*args, **kwargs)
        Image.new("RGB", (40, 30), "green").save(tmp_path / "photo.png")
        return result

    monkeypatch.setattr(build, "make_document", make_then_change)
    out = tmp_path / "out"
    refused(capsys, main(["build", str(source), "--out", str(out), "--only", "agenda-pack"]),
            rf"^{re.escape(str(tmp_path / 'photo.png'))}: changed; the annex changed while", out)


# --- 4. the archive cannot be wedged ---------------------------------------------------------------


@pytest.fixture
def built(tmp_path) -> Path:
    """Return the minimal meeting's archive folder, built."""
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context():
        assert main(["build", str(MINIMAL), "--out", str(out)]) == 0
    return out / "minimal"


@pytest.mark.parametrize("kind", ["folder", "link", "fifo"])
def test_something_else_where_a_file_goes_is_refused(tmp_path, capsys, kind):
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("FIFOs are POSIX")
    folder = tmp_path / "out" / "minimal"
    folder.mkdir(parents=True)
    target = folder / "agenda-en-v1.pdf"
    {"folder": target.mkdir, "link": lambda: target.symlink_to(MINIMAL),
     "fifo": lambda: os.mkfifo(target)}[kind]()
    what = {"folder": "a folder", "link": "a link", "fifo": r"a named pipe \(FIFO\)"}[kind]
    refused(capsys, main(["build", str(MINIMAL), "--out", str(tmp_path / "out")]),
            rf"^{re.escape(str(target))} is {what}, not a file chancery wrote")
    assert [path.name for path in folder.iterdir()] == ["agenda-en-v1.pdf"]


def damage(name: str, manifest: dict) -> bytes | None:
    entry = next(iter(manifest["files"].values()))
    first = next(iter(manifest["files"]))
    changed = {
        "not JSON": None, "nested": "[" * 100_000 + "]" * 100_000,
        "NUL in a name": {**manifest, "files": {"a\0b.pdf": entry}},
        "parent folder": {**manifest, "files": {"../escape.pdf": entry}},
        "lone surrogate": {**manifest, "files": {"a\udc80.pdf": entry}},
        "negative size": {**manifest, "files": {first: {**entry, "size": -5}}},
        "absurd size": {**manifest, "files": {first: {**entry, "size": 10 ** 40}}},
        "not a hash": {**manifest, "files": {first: {**entry, "sha256": "zz"}}},
        "unknown status": {**manifest, "files": {first: {**entry, "status": "cancelled"}}},
    }[name]
    if changed is None:
        return b"{\"format\": "
    text = changed if isinstance(changed, str) else json.dumps(changed)
    return text.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("name", ["not JSON", "nested", "NUL in a name", "parent folder",
                                  "lone surrogate", "negative size", "absurd size", "not a hash",
                                  "unknown status"])
def test_a_damaged_manifest_is_a_verify_finding_and_blocks_a_build(built, capsys, name):
    manifest = built / MANIFEST
    manifest.write_bytes(damage(name, json.loads(manifest.read_bytes())))
    before = snapshot(built)
    capsys.readouterr()
    assert main(["verify", str(built)]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"^{re.escape(str(manifest))}: damaged", err, re.M), err
    assert main(["build", str(MINIMAL), "--out", str(built.parent)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert snapshot(built) == before


def test_a_size_that_lies_is_a_finding(built, capsys):
    manifest = built / MANIFEST
    data = json.loads(manifest.read_bytes())
    data["files"]["agenda-en-v1.pdf"]["size"] += 1
    manifest.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["verify", str(built)]) == 1
    assert f"{built / 'agenda-en-v1.pdf'}: the manifest records a size of" in capsys.readouterr().out


def test_a_hand_edited_manifest_cannot_make_a_final_version_a_draft(built, capsys):
    manifest = built / MANIFEST
    data = json.loads(manifest.read_bytes())
    for entry in data["files"].values():
        if entry["document"] == "protocol":
            entry["status"] = "draft"
    manifest.write_text(json.dumps(data))
    before = snapshot(built)
    capsys.readouterr()
    assert main(["verify", str(built)]) == 1
    out = capsys.readouterr().out
    assert (f"{built / 'protocol-en-v1.0.pdf'}: the file itself says it is final, manifest.json "
            "says draft") in out
    assert f"{built / 'protocol-en-v1.0.docx'}: the file itself says it is final" in out
    draft = write(built.parent.parent, edited("status: final", "status: draft"), "draft.yaml")
    refused(capsys, main(["build", str(draft), "--out", str(built.parent), "--replace-draft"]),
            rf"protocol-en-v1\.0\.pdf holds a final version, as the file itself says")
    assert snapshot(built) == before


@pytest.mark.parametrize("failing_write", [1, 3, 5])
def test_a_full_disk_leaves_no_folder_and_no_temporary_file(tmp_path, capsys, monkeypatch,
                                                           failing_write):
    written = archive._write_synced
    count = 0

    def write_until_full(path, data):
        nonlocal count
        count += 1
        if count == failing_write:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written(path, data)

    monkeypatch.setattr(archive, "_write_synced", write_until_full)
    out = tmp_path / "out"
    refused(capsys, main(["build", str(MINIMAL), "--out", str(out)]),
            r"No space left on device", out)


def test_a_full_disk_leaves_an_archive_as_it_was(built, capsys, monkeypatch):
    before = snapshot(built)
    monkeypatch.setattr(archive, "_write_synced", lambda path, data: (_ for _ in ()).throw(
        OSError(errno.ENOSPC, "No space left on device", str(path))))
    newer = write(built.parent.parent, edited('version: "1.0"', 'version: "1.1"'), "newer.yaml")
    refused(capsys, main(["build", str(newer), "--out", str(built.parent)]), r"No space left")
    assert snapshot(built) == before
    monkeypatch.undo()
    assert main(["verify", str(built)]) == 0


@pytest.mark.parametrize("strays", [False, True])
def test_a_damaged_journal_is_finished_or_reported(built, capsys, strays):
    (built / ".chancery-journal").write_text("{garbage")
    if strays:
        (built / ".chancery-tmp.abc.agenda-en-v1.pdf").write_bytes(b"half")
    code = main(["verify", str(built)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if strays:
        assert code == 2
        assert "an interrupted write's journal cannot be read" in captured.err
    else:
        assert code == 0
        assert "finished a write that an interrupted chancery had committed" in captured.out
        assert not (built / ".chancery-journal").exists()


def test_windows_locks_a_lock_file(tmp_path, monkeypatch):
    """Without fcntl (Windows), the folder is locked through msvcrt on .chancery-lock, which
    verify does not count as an unlisted file."""
    calls = []
    fake = types.SimpleNamespace(LK_NBLCK=2, LK_UNLCK=0,
                                 locking=lambda handle, mode, size: calls.append((mode, size)))
    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    out = tmp_path / "out"
    assert main(["build", str(MINIMAL), "--out", str(out)]) == 0
    assert calls[:2] == [(2, 1), (0, 1)]
    assert (out / "minimal" / ".chancery-lock").exists()
    assert main(["verify", str(out / "minimal")]) == 0


def test_a_folder_the_file_system_cannot_sync_is_skipped(tmp_path, monkeypatch):
    """Some file systems (network, FUSE) refuse to sync a folder: the write goes on."""
    import stat

    real = os.fsync

    def fsync(handle):
        if stat.S_ISDIR(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real(handle)

    monkeypatch.setattr(archive.os, "fsync", fsync)
    assert main(["build", str(MINIMAL), "--out", str(tmp_path / "out")]) == 0
    assert main(["verify", str(tmp_path / "out" / "minimal")]) == 0


# --- 5. user templates run sandboxed --------------------------------------------------------------


@pytest.fixture
def user_templates(tmp_path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    return folder


def test_the_shipped_templates_run_in_the_sandbox(user_templates, capsys):
    assert main(["dump", str(MINIMAL)]) == 0
    shipped = capsys.readouterr().out
    assert main(["dump", str(MINIMAL), "--templates", str(user_templates)]) == 0
    assert capsys.readouterr().out == shipped
    assert isinstance(templating.environment(user_templates), templating._sandbox())


SANDBOX_CASES = [
    ("class", "{{ meeting.__class__ }}", r"access to attribute '__class__' of 'Meeting' object is unsafe"),
    ("globals", "{{ self._TemplateReference__context }}", r"is unsafe"),
    ("os", "{{ cycler.__init__.__globals__.os }}", r"is unsafe"),
    ("loop", "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
     r"the template ran longer than 1 seconds"),
    ("recursion", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
     r"the template calls itself without end"),
    ("division by zero", "{{ 1 / 0 }}", r"ZeroDivisionError: division by zero"),
    ("huge text", "{{ 'x' * 1000000000 }}", r"repeating a text or list 1000000000 times"),
    ("huge number", "{% set n = 100000000 %}{{ 2 ** n }}", r"2 \*\* 100000000 is too large"),
    ("huge width", "{{ 'x' | center(1000000000) }}", r"a filter argument larger than"),
    ("huge format", "{{ '%1000000000s' % 'x' }}", r"a format that wide"),
    ("lipsum", "{{ lipsum(1000000) }}", r"'lipsum' is undefined"),
]


@pytest.mark.parametrize("name, text, pattern", SANDBOX_CASES, ids=[c[0] for c in SANDBOX_CASES])
def test_a_hostile_template_gets_the_template_message(user_templates, tmp_path, capsys,
                                                     monkeypatch, name, text, pattern):
    monkeypatch.setattr(templating, "RENDER_SECONDS", 1)
    agenda = user_templates / "agenda.xml.j2"
    lines = agenda.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, text + "\n")
    agenda.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    err = refused(capsys, main(["build", str(MINIMAL), "--out", str(out), "--templates",
                                str(user_templates), "--only", "agenda"]),
                  rf"^{re.escape(str(agenda))}:4: .*{pattern}", out)
    assert "the templates have a problem; nothing was written" in err


def test_a_template_that_writes_too_much_is_stopped(user_templates, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(templating, "OUTPUT_CHARACTERS", 1_000_000)
    agenda = user_templates / "agenda.xml.j2"
    text = agenda.read_text(encoding="utf-8")
    agenda.write_text(text.replace("\n", "\n{% for a in range(100000) %}xxxxxxxxxxxxxxxxxxxx"
                                         "{% endfor %}\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    refused(capsys, main(["build", str(MINIMAL), "--out", str(out), "--templates",
                          str(user_templates), "--only", "agenda"]),
            rf"^{re.escape(str(agenda))}: the template wrote more than 1,000,000 characters", out)


# --- 6. output encodings ------------------------------------------------------------------------


def test_a_non_ascii_path_prints_under_an_ascii_encoding(tmp_path):
    folder = tmp_path / "réunion"
    folder.mkdir()
    shutil.copy(MINIMAL, folder / "séance.yaml")
    result = chancery("build", str(folder / "séance.yaml"), "--out", str(folder / "out"),
                      "--format", "pdf", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert b"r\\xe9union" in result.stdout
    result = chancery("validate", str(folder / "absente.yaml"), env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2
    assert b"r\\xe9union/absente.yaml: no such file" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names there are always Unicode")
def test_a_file_name_that_is_not_utf8_gives_messages(tmp_path):
    name = os.fsencode(tmp_path) + b"/r\xe9union.yaml"
    shutil.copy(MINIMAL, name)
    out = tmp_path / "out"
    result = chancery("build", os.fsdecode(name), "--out", str(out), "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "minimal" / MANIFEST).read_bytes())["files"][
        "agenda-en-v1.pdf"]["input_file"] == "r\\xe9union.yaml"
    result = chancery("validate", os.fsdecode(name + b".missing"))
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert b"union.yaml.missing: no such file" in result.stderr
