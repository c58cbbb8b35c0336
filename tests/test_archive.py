"""The archive: versioned names, the manifest, the rules for replacing files, atomic writes
(killed builds included), reproducible bytes, verify and seal."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

import generator
from generator import archive
from generator.archive import MANIFEST, commit, next_version, read_manifest, verify
from generator.cli import main
from tests import tools

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "almaty-process-8th-som.yaml"
MINIMAL = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
"""A final communiqué, version 1.0, in English: a protocol and an agenda."""
MULTIDAY = ROOT / "tests" / "cases" / "multiday" / "input.yaml"
"""A draft joint statement, version 0.2, in English, with an agenda and a briefing pack."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edited(tmp_path: Path, source: Path, changes: dict, name: str = "meeting.yaml") -> Path:
    """Return a copy of the input with the changes: {"outcome.version": "0.3", ...}."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        target = data
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file in the folder by name, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def manifest_files(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_bytes())["files"]


# Names and the manifest

@pytest.fixture(scope="module")
def example(tmp_path_factory) -> tuple[Path, str]:
    """Build the example into a new outputs/ folder; return the folder and what was printed."""
    out = tmp_path_factory.mktemp("example") / "outputs"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["build", str(EXAMPLE), "--out", str(out)]) == 0
    return out / "almaty-process-8th-som", printed.getvalue().replace(f"{out.parent}/", "")


def test_readme_shows_what_a_build_prints(example):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("The first command prints each file it wrote")[1].split("```\n")[1]
    assert example[1] == shown


def test_manifest_records_every_file(example):
    folder = example[0]
    raw = (folder / MANIFEST).read_bytes()
    data = json.loads(raw)
    assert raw == (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    assert data["format"] == "chancery-manifest-1" and data["meeting"] == "almaty-process-8th-som"
    files = data["files"]
    assert sorted(files) == sorted(path.name for path in folder.iterdir() if path.name != MANIFEST)
    assert len(files) == 12
    for name, entry in files.items():
        content = (folder / name).read_bytes()
        assert entry["sha256"] == sha256(content) and entry["size"] == len(content)
        assert entry["input_file"] == EXAMPLE.name
        assert entry["input_sha256"] == sha256(EXAMPLE.read_bytes())
        assert entry["chancery"] == generator.__version__
        assert entry["built_at"] == "2023-10-12T00:00:00Z"
        assert entry["status"] == "draft"
        assert ("pdfa" in entry) == name.endswith(".pdf")
    assert files["protocol-en+ru-v0.1.pdf"] | {"sha256": "", "size": 0} == {
        "built_at": "2023-10-12T00:00:00Z", "chancery": generator.__version__,
        "document": "protocol", "input_file": EXAMPLE.name,
        "input_sha256": sha256(EXAMPLE.read_bytes()), "languages": ["en", "ru"], "pdfa": "2b",
        "sha256": "", "size": 0, "status": "draft", "version": "0.1"}
    assert files["agenda-ru-v1.docx"]["version"] == "1"
    assert files["briefing-en-v0.1.pdf"]["languages"] == ["en"]


@pytest.mark.parametrize("level", ["1b", "none"])
def test_pdfa_level_reaches_the_pdf_and_the_manifest(tmp_path, level):
    from pypdf import PdfReader

    assert main(["build", str(MINIMAL), "--out", str(tmp_path), "--format", "pdf",
                 "--pdfa", level]) == 0
    folder = tmp_path / "minimal"
    for name, entry in manifest_files(folder).items():
        assert entry["pdfa"] == level
        root = PdfReader(io.BytesIO((folder / name).read_bytes())).trailer["/Root"]
        assert ("/OutputIntents" in root) == (level != "none"), name


def test_unknown_pdfa_level_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["build", str(MINIMAL), "--out", str(tmp_path), "--pdfa", "3u"])
    assert stop.value.code == 2
    assert "invalid choice: '3u'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("field", ["outcome.version", "agenda_version", "briefing.version"])
@pytest.mark.parametrize("version", ["0 1", "../1", "1/2", ".1", "1.", "", "v" * 33])
def test_a_version_must_be_safe_in_a_file_name(tmp_path, capsys, field, version):
    source = edited(tmp_path, MULTIDAY, {field: version})
    assert main(["build", str(source), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f": {field}: " in err
    assert "letters, digits" in err or "must not be empty" in err
    assert not (tmp_path / "out").exists()


def test_next_version_counts_the_last_number_up():
    assert next_version("0.1", set()) == "0.2"
    assert next_version("0.9", {"0.9"}) == "0.10"
    assert next_version("1.0-rc9", set()) == "1.0-rc10"
    assert next_version("01", set()) == "02"
    assert next_version("draft", set()) == "draft-2"
    assert next_version("0.1", {"0.1", "0.2", "0.3"}) == "0.4"


# The rules

def test_a_new_version_adds_files_beside_the_old_ones(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(MULTIDAY), "--out", str(out)]) == 0
    folder = out / "multiday"
    before = snapshot(folder)
    source = edited(tmp_path, MULTIDAY, {"outcome.version": "0.3", "agenda_version": "2",
                                         "briefing.version": "2", "title": "2nd Meeting, revised"})
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    after = snapshot(folder)
    assert {name: data for name, data in after.items() if name in before and name != MANIFEST} \
        == {name: data for name, data in before.items() if name != MANIFEST}
    assert {"protocol-en-v0.3.pdf", "protocol-en-v0.2.pdf", "agenda-en-v2.docx",
            "agenda-en-v1.docx"} <= set(after)
    assert f"{folder / 'protocol-en-v0.3.pdf'}" in printed
    assert printed[-1] == str(folder / MANIFEST)
    assert set(manifest_files(folder)) == set(after) - {MANIFEST}


def test_the_same_build_again_is_unchanged_and_writes_nothing(tmp_path, capsys):
    assert main(["build", str(MULTIDAY), "--out", str(tmp_path)]) == 0
    folder = tmp_path / "multiday"
    times = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    capsys.readouterr()
    assert main(["build", str(MULTIDAY), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed and all(line.endswith(": unchanged") for line in printed)
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == times


def test_a_different_draft_of_the_same_version_is_refused_everywhere_at_once(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(MULTIDAY), "--out", str(out), "--only", "protocol,briefing"]) == 0
    folder = out / "multiday"
    before = snapshot(folder)
    source = edited(tmp_path, MULTIDAY, {"title": "2nd Meeting, revised"})
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        *(f"{folder / name} already holds a different draft of version {version}; give {field} "
          f"a new version, e.g. {bumped}, or build with --replace-draft"
          for name, version, field, bumped in [
              ("protocol-en-v0.2.docx", "0.2", "outcome.version", "0.3"),
              ("protocol-en-v0.2.pdf", "0.2", "outcome.version", "0.3"),
              ("briefing-en-v1.docx", "1", "briefing.version", "2"),
              ("briefing-en-v1.pdf", "1", "briefing.version", "2")]),
        "chancery: 4 files refused; nothing was written"]
    assert snapshot(folder) == before  # the new agenda was not written either


def test_replace_draft_replaces_a_draft(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(MULTIDAY), "--out", str(out), "--only", "protocol"]) == 0
    folder = out / "multiday"
    old = (folder / "protocol-en-v0.2.pdf").read_bytes()
    source = edited(tmp_path, MULTIDAY, {"title": "2nd Meeting, revised"})
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out), "--only", "protocol",
                 "--replace-draft"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{folder / 'protocol-en-v0.2.docx'}: replaced",
        f"{folder / 'protocol-en-v0.2.pdf'}: replaced", str(folder / MANIFEST)]
    new = (folder / "protocol-en-v0.2.pdf").read_bytes()
    assert new != old
    entry = manifest_files(folder)["protocol-en-v0.2.pdf"]
    assert entry["sha256"] == sha256(new) and entry["input_sha256"] == sha256(source.read_bytes())


def test_a_draft_made_final_under_the_same_version_needs_a_new_version(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(MULTIDAY), "--out", str(out), "--only", "agenda"]) == 0
    source = edited(tmp_path, MULTIDAY, {"agenda_status": "final"})
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out), "--only", "agenda"]) == 2
    # the status is among the files' keywords, so the final files differ from the draft's
    assert ("agenda-en-v1.pdf already holds a different draft of version 1; give "
            "agenda_version a new version, e.g. 2, or build with --replace-draft"
            in capsys.readouterr().err)


@pytest.mark.parametrize("flags", [[], ["--replace-draft"]])
def test_a_final_version_is_never_replaced(tmp_path, capsys, flags):
    out = tmp_path / "out"
    assert main(["build", str(MINIMAL), "--out", str(out), "--only", "protocol"]) == 0
    folder = out / "minimal"
    before = snapshot(folder)
    source = edited(tmp_path, MINIMAL, {"title": "1st Conference, revised"})
    capsys.readouterr()
    assert main(["build", str(source), "--out", str(out), "--only", "protocol", *flags]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{folder / name} holds the final version 1.0, which is never replaced; give "
        "outcome.version a new version, e.g. 1.1" for name in ("protocol-en-v1.0.docx",
                                                                "protocol-en-v1.0.pdf")
    ] + ["chancery: 2 files refused; nothing was written"]
    assert snapshot(folder) == before


def test_a_missing_listed_file_is_restored(tmp_path, capsys):
    assert main(["build", str(MINIMAL), "--out", str(tmp_path)]) == 0
    folder = tmp_path / "minimal"
    before = snapshot(folder)
    (folder / "protocol-en-v1.0.pdf").unlink()
    capsys.readouterr()
    assert main(["build", str(MINIMAL), "--out", str(tmp_path)]) == 0
    assert f"{folder / 'protocol-en-v1.0.pdf'}: restored" in capsys.readouterr().out
    assert snapshot(folder) == before


def test_a_file_the_manifest_does_not_list_is_not_overwritten(tmp_path, capsys):
    folder = tmp_path / "minimal"
    folder.mkdir()
    (folder / "agenda-en-v1.pdf").write_bytes(b"someone else's file")
    assert main(["build", str(MINIMAL), "--out", str(tmp_path)]) == 2
    assert (f"{folder / 'agenda-en-v1.pdf'} exists but manifest.json does not list it"
            in capsys.readouterr().err)
    assert snapshot(folder) == {"agenda-en-v1.pdf": b"someone else's file"}


def test_two_meetings_with_one_id_are_refused(tmp_path, capsys):
    other = edited(tmp_path, MINIMAL, {"title": "Another meeting"})
    assert main(["build", str(MINIMAL), str(other), str(MINIMAL), "--out", str(tmp_path / "out"),
                 "--only", "agenda", "--format", "pdf"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'out' / 'minimal' / 'agenda-en-v1.pdf'} is built from both input.yaml and "
        "meeting.yaml; give the meetings different ids",
        "chancery: 1 file refused; nothing was written"]
    assert not (tmp_path / "out").exists()


def test_a_damaged_manifest_stops_the_build(tmp_path, capsys):
    assert main(["build", str(MINIMAL), "--out", str(tmp_path), "--only", "agenda"]) == 0
    folder = tmp_path / "minimal"
    (folder / MANIFEST).write_bytes(b"{ not json")
    before = snapshot(folder)
    assert main(["build", str(MINIMAL), "--out", str(tmp_path)]) == 2
    assert f"{folder / MANIFEST}: damaged, not JSON" in capsys.readouterr().err
    assert snapshot(folder) == before


def test_an_output_folder_that_is_a_file_is_a_clean_error(tmp_path, capsys):
    (tmp_path / "out").write_text("a file")
    assert main(["build", str(MINIMAL), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chancery: ") and "Traceback" not in err


# Verify

def test_verify_an_intact_archive(tmp_path, capsys):
    assert main(["build", str(MINIMAL), "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    folder = tmp_path / "minimal"
    assert main(["verify", str(folder)]) == 0
    assert capsys.readouterr().out == f"{folder}: all 4 files listed in manifest.json are intact\n"


def test_verify_reports_changed_missing_and_unlisted_files(tmp_path, capsys):
    assert main(["build", str(MINIMAL), "--out", str(tmp_path)]) == 0
    folder = tmp_path / "minimal"
    flipped = bytearray((folder / "protocol-en-v1.0.pdf").read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    (folder / "protocol-en-v1.0.pdf").write_bytes(bytes(flipped))
    (folder / "agenda-en-v1.docx").unlink()
    (folder / "notes.txt").write_text("extra")
    capsys.readouterr()
    assert main(["verify", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{folder / 'agenda-en-v1.docx'}: missing"
    assert lines[1].startswith(f"{folder / 'protocol-en-v1.0.pdf'}: changed (its SHA-256 is "
                               f"{sha256(bytes(flipped))}, the manifest records ")
    assert lines[2] == f"{folder / 'notes.txt'}: not listed in manifest.json"
    assert lines[3] == f"{folder}: 3 problems among 4 listed files"
    assert len(lines) == 4


def test_verify_refuses_a_folder_that_is_no_archive(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"{tmp_path}: not a chancery archive (no manifest.json)\n"
    assert main(["verify", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err
    (tmp_path / MANIFEST).write_text('{"name": "a web app"}')
    assert main(["verify", str(tmp_path)]) == 2
    assert "not a chancery manifest" in capsys.readouterr().err


def test_verify_reports_a_damaged_manifest(tmp_path, capsys):
    assert main(["build", str(MINIMAL), "--out", str(tmp_path), "--only", "agenda"]) == 0
    folder = tmp_path / "minimal"
    (folder / MANIFEST).write_text('{"format": "chancery-manifest-1", "meeting": "minimal", '
                                   '"files": {"x.pdf": {"sha256": 1}}}')
    capsys.readouterr()
    assert main(["verify", str(folder)]) == 1
    assert "damaged" in capsys.readouterr().err


# Atomic writes and recovery

def test_a_commit_interrupted_after_its_journal_is_finished(tmp_path, monkeypatch, capsys):
    assert main(["build", str(MULTIDAY), "--out", str(tmp_path), "--only", "agenda"]) == 0
    folder = tmp_path / "multiday"
    manifest = read_manifest(folder)
    entry = manifest.files["agenda-en-v1.pdf"]
    new_manifest = replace(manifest, files={**manifest.files, "agenda-en-v1.pdf": replace(
        entry, sha256=sha256(b"new bytes"), size=9)})

    def killed(*_):
        raise KeyboardInterrupt  # stands for a kill right after the commit point

    monkeypatch.setattr(archive, "_roll_forward", killed)
    with pytest.raises(KeyboardInterrupt):
        commit(folder, {"agenda-en-v1.pdf": b"new bytes"}, new_manifest)
    monkeypatch.undo()
    assert (folder / ".chancery-journal").exists()
    capsys.readouterr()
    assert main(["verify", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{folder}: finished a write that an interrupted chancery had committed"
    assert (folder / "agenda-en-v1.pdf").read_bytes() == b"new bytes"
    assert sorted(snapshot(folder)) == ["agenda-en-v1.docx", "agenda-en-v1.pdf", MANIFEST]


def test_temporary_files_of_an_uncommitted_write_are_removed(tmp_path, capsys):
    assert main(["build", str(MULTIDAY), "--out", str(tmp_path), "--only", "agenda"]) == 0
    folder = tmp_path / "multiday"
    before = snapshot(folder)
    (folder / ".chancery-tmp.0123.agenda-en-v1.pdf").write_bytes(b"half a PD")
    capsys.readouterr()
    assert main(["build", str(MULTIDAY), "--out", str(tmp_path), "--only", "agenda"]) == 0
    assert capsys.readouterr().err == (f"{folder}: removed the temporary files of a write an "
                                       "interrupted chancery had not committed\n")
    assert snapshot(folder) == before


def _build_process(source: Path, out: Path, *flags: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", str(source), "--out",
                             str(out), *flags], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _kill_while_writing(process: subprocess.Popen, folder: Path, rng: random.Random,
                        mark: str) -> None:
    """Kill the build as soon as a file whose name starts with the mark appears in the folder,
    or a random moment up to 4 ms later (or when the build ends)."""
    delay = 0 if mark == ".chancery-journal" else rng.uniform(0, 0.004)
    while process.poll() is None:
        if folder.is_dir() and any(name.startswith(mark) for name in os.listdir(folder)):
            time.sleep(delay)
            break
        time.sleep(0.0002)
    process.send_signal(signal.SIGKILL)


def _left(folder: Path) -> str | None:
    """Return what an interrupted write left in the folder before recovery, or None."""
    names = os.listdir(folder) if folder.is_dir() else []
    if ".chancery-journal" in names:
        return "after the commit point, during the renames"
    if any(name.startswith(".chancery-tmp.") for name in names):
        return "while writing temporary files"
    return None


def _round_input(tmp_path: Path, number: int, version: str) -> Path:
    """Return the input of a kill-test round: every document at the version, every text new."""
    return edited(tmp_path, MULTIDAY, {"title": f"2nd Meeting, round {number}",
                                       "agenda_version": version, "outcome.version": version,
                                       "briefing.version": version}, f"round-{number}.yaml")


def test_a_build_killed_at_any_moment_leaves_the_archive_whole(tmp_path):
    """A build is killed (SIGKILL) at a random moment, twenty times or more: after recovery every
    listed file is whole and as recorded, nothing is left over, and each version's files are
    all from one build: the old one or the new one."""
    out, rng, moments = tmp_path / "out", random.Random(20240305), Counter()
    folder = out / "multiday"
    start = time.perf_counter()
    assert _build_process(_round_input(tmp_path, 0, "1.0"), out).wait() == 0
    duration = time.perf_counter() - start
    previous = _round_input(tmp_path, 0, "1.0")
    for number in range(1, 61):  # twenty rounds, more if too few of them hit a write
        mid_write = moments["while writing temporary files"] + moments[
            "after the commit point, during the renames"]
        if number > 20 and mid_write >= 3:
            break
        replacing = number % 3 == 0  # every third round overwrites the last version's drafts
        version = f"1.{number - 1}" if replacing else f"1.{number}"
        if replacing and f"protocol-en-v{version}.pdf" not in read_manifest(folder).files:
            assert _build_process(previous, out).wait() == 0
        source = _round_input(tmp_path, number, version)
        before = read_manifest(folder)
        process = _build_process(source, out, *(["--replace-draft"] if replacing else []))
        if number % 2:  # while it writes: its temporary files, or its journal (the commit)
            _kill_while_writing(process, folder, rng, ".chancery-tmp." if number % 4 == 1
                                else ".chancery-journal")
        else:
            time.sleep(rng.uniform(0, duration * 1.1))
            process.send_signal(signal.SIGKILL)
        process.wait()
        left = _left(folder)
        found = verify(folder)  # recovers, then checks every file against the manifest
        assert found.problems == (), (number, found.problems)
        assert not [name for name in os.listdir(folder) if name.startswith(".chancery")]
        after = read_manifest(folder)
        mine = {name: entry for name, entry in after.files.items() if entry.version == version}
        inputs = {entry.input_sha256 for entry in mine.values()}
        if after == before:
            assert process.returncode != 0
        else:  # the new build's six files, all of them
            assert inputs == {sha256(source.read_bytes())} and len(mine) == 6, number
        moments[left or ("before writing" if after == before else "after writing")] += 1
        old = {name: entry for name, entry in after.files.items() if name not in mine}
        assert old == {name: entry for name, entry in before.files.items() if name not in mine}
        previous = source
    print(dict(moments))
    assert moments["while writing temporary files"] + moments[
        "after the commit point, during the renames"] >= 3, moments


# Reproducible bytes

@pytest.mark.parametrize("epoch", [None, "1700000000"])
def test_two_builds_a_second_apart_are_byte_identical(tmp_path, epoch):
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    sources = [str(path) for path in tools.reportlab_examples(ROOT)]
    checksums = []
    for run in ("first", "second"):
        subprocess.run([sys.executable, "-m", "generator", "build", *sources, "--out",
                        str(tmp_path / run)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        checksums.append({str(path.relative_to(tmp_path / run)): sha256(path.read_bytes())
                          for path in sorted((tmp_path / run).rglob("*")) if path.is_file()})
        time.sleep(1)
    assert checksums[0] == checksums[1]
    assert {Path(name).suffix for name in checksums[0]} == {".pdf", ".docx", ".json"}
    built_at = json.loads((tmp_path / "first" / "almaty-process-8th-som" / MANIFEST).read_bytes())[
        "files"]["protocol-en-v0.1.pdf"]["built_at"]
    assert built_at == ("2023-11-14T22:13:20Z" if epoch else "2023-10-12T00:00:00Z")


# Seal (the sealing itself is generator.seal's; here a stand-in that appends a checksum)

FAKE_KEY = b"PKCS#12 stand-in"
_MARK = b"\n%stand-in seal "


@pytest.fixture
def sealing(monkeypatch):
    """Replace generator.seal's functions by a stand-in; return the passphrases it was given."""
    from generator import seal

    passphrases = []

    def seal_pdf(data, pkcs12, passphrase=None, reason=None):
        if pkcs12 != FAKE_KEY:
            raise seal.SealError("the file is not a PKCS#12 key and certificate")
        passphrases.append(passphrase)
        return data + _MARK + sha256(data).encode() + b"\n"

    def check_seal(data):
        head, mark, tail = data.rpartition(_MARK)
        if not mark:
            return seal.SealReport(False, False, "", "", ())
        intact = sha256(head).encode() == tail.strip()
        return seal.SealReport(True, intact, "Test Secretariat", "2024-03-05T10:00:00+00:00",
                               () if intact else ("the signed bytes changed",))

    monkeypatch.setattr(seal, "seal_pdf", seal_pdf)
    monkeypatch.setattr(seal, "check_seal", check_seal)
    return passphrases


@pytest.fixture
def sealed(tmp_path, sealing, capsys, monkeypatch):
    """Build the minimal meeting (final) and seal its protocol PDF; return the PDF's path."""
    assert main(["build", str(MINIMAL), "--out", str(tmp_path / "out")]) == 0
    key = tmp_path / "key.p12"
    key.write_bytes(FAKE_KEY)
    monkeypatch.setenv("CHANCERY_PKCS12_PASSPHRASE", "secret")
    pdf = tmp_path / "out" / "minimal" / "protocol-en-v1.0.pdf"
    capsys.readouterr()
    assert main(["seal", str(pdf), "--pkcs12", str(key), "--reason", "Archived copy"]) == 0
    assert capsys.readouterr().out == (f"{pdf}: sealed by Test Secretariat at "
                                       "2024-03-05T10:00:00+00:00\n")
    assert sealing == [b"secret"]
    return pdf


def test_seal_records_the_seal_and_both_checksums(sealed):
    entry = manifest_files(sealed.parent)[sealed.name]
    data = sealed.read_bytes()
    assert entry["sha256"] == sha256(data) and entry["size"] == len(data)
    built = data.rpartition(_MARK)[0]
    assert entry["seal"] == {"signer": "Test Secretariat", "signed_at": "2024-03-05T10:00:00+00:00",
                             "reason": "Archived copy", "unsealed_sha256": sha256(built)}


def test_a_sealed_file_verifies_and_a_tampered_one_does_not(sealed, capsys):
    assert main(["verify", str(sealed.parent)]) == 0
    capsys.readouterr()
    data = bytearray(sealed.read_bytes())
    data[100] ^= 0x01
    sealed.write_bytes(bytes(data))
    assert main(["verify", str(sealed.parent)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{sealed}: changed")
    assert lines[1] == f"{sealed}: the seal does not hold: the signed bytes changed"


def test_rebuilding_a_sealed_final_version_is_unchanged(sealed, capsys):
    before = snapshot(sealed.parent)
    assert main(["build", str(MINIMAL), "--out", str(sealed.parent.parent)]) == 0
    assert f"{sealed}: unchanged" in capsys.readouterr().out
    assert snapshot(sealed.parent) == before


def test_a_sealed_file_is_never_replaced(sealed, tmp_path, capsys):
    source = edited(tmp_path, MINIMAL, {"title": "Revised"})
    assert main(["build", str(source), "--out", str(sealed.parent.parent), "--replace-draft",
                 "--only", "protocol", "--format", "pdf"]) == 2
    assert (f"{sealed} holds the final sealed version 1.0, which is never replaced; give "
            "outcome.version a new version, e.g. 1.1" in capsys.readouterr().err)


def test_sealing_twice_is_refused(sealed, tmp_path, capsys):
    assert main(["seal", str(sealed), "--pkcs12", str(tmp_path / "key.p12")]) == 2
    assert capsys.readouterr().err == (f"{sealed}: already sealed (by Test Secretariat, "
                                       "2024-03-05T10:00:00+00:00); a file is sealed once\n")


def test_seal_refuses_drafts_unlisted_files_and_bad_keys(tmp_path, sealing, capsys, monkeypatch):
    monkeypatch.delenv("CHANCERY_PKCS12_PASSPHRASE", raising=False)
    out = tmp_path / "out"
    assert main(["build", str(MULTIDAY), "--out", str(out), "--only", "protocol"]) == 0
    assert main(["build", str(MINIMAL), "--out", str(out), "--only", "protocol"]) == 0
    key = tmp_path / "key.p12"
    key.write_bytes(FAKE_KEY)
    capsys.readouterr()
    draft = out / "multiday" / "protocol-en-v0.2.pdf"
    before = snapshot(draft.parent)
    assert main(["seal", str(draft), "--pkcs12", str(key)]) == 2
    assert capsys.readouterr().err.startswith(f"{draft}: a draft cannot be sealed")
    docx = out / "minimal" / "protocol-en-v1.0.docx"
    assert main(["seal", str(docx), "--pkcs12", str(key)]) == 2
    assert capsys.readouterr().err == f"{docx}: only PDF files can be sealed\n"
    stranger = out / "minimal" / "other.pdf"
    assert main(["seal", str(stranger), "--pkcs12", str(key)]) == 2
    assert "not listed in" in capsys.readouterr().err
    final = out / "minimal" / "protocol-en-v1.0.pdf"
    bad_key = tmp_path / "bad.p12"
    bad_key.write_bytes(b"garbage")
    assert main(["seal", str(final), "--pkcs12", str(bad_key)]) == 2
    assert capsys.readouterr().err == (f"{final}: cannot be sealed: the file is not a PKCS#12 "
                                       "key and certificate\n")
    assert main(["seal", str(final), "--pkcs12", str(tmp_path / "nokey.p12")]) == 2
    assert "nokey.p12: no such file" in capsys.readouterr().err
    assert main(["seal", str(tmp_path / "x.pdf"), "--pkcs12", str(key)]) == 2
    assert "not a chancery archive" in capsys.readouterr().err
    assert sealing == []
    assert snapshot(draft.parent) == before
    monkeypatch.setenv("MY_PASSPHRASE", "pässword")
    assert main(["seal", str(final), "--pkcs12", str(key),
                 "--passphrase-env", "MY_PASSPHRASE"]) == 0
    assert sealing == ["pässword".encode()]


def test_seal_and_verify_with_a_real_seal(tmp_path, capsys, monkeypatch):
    """The same path with generator.seal itself and a throwaway self-signed certificate."""
    from tests.test_seal import PASSPHRASE, make_pkcs12

    assert main(["build", str(MINIMAL), "--out", str(tmp_path), "--only", "protocol",
                 "--format", "pdf"]) == 0
    pdf = tmp_path / "minimal" / "protocol-en-v1.0.pdf"
    built = pdf.read_bytes()
    key = tmp_path / "key.p12"
    key.write_bytes(make_pkcs12(common_name="Archive Seal"))
    monkeypatch.setenv("CHANCERY_PKCS12_PASSPHRASE", PASSPHRASE.decode())
    assert main(["seal", str(pdf), "--pkcs12", str(key)]) == 0
    entry = manifest_files(pdf.parent)[pdf.name]
    assert entry["seal"]["signer"] == "Archive Seal"
    assert entry["seal"]["unsealed_sha256"] == sha256(built) != entry["sha256"]
    capsys.readouterr()
    assert main(["verify", str(pdf.parent)]) == 0
    assert main(["build", str(MINIMAL), "--out", str(tmp_path), "--only", "protocol",
                 "--format", "pdf"]) == 0
    assert f"{pdf}: unchanged" in capsys.readouterr().out
    data = pdf.read_bytes()
    pdf.write_bytes(data[:1000] + bytes([data[1000] ^ 0x01]) + data[1001:])
    assert main(["verify", str(pdf.parent)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{pdf}: changed")
    assert lines[1].startswith(f"{pdf}: the seal does not hold: ")
