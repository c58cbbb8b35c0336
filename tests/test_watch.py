"""chancery new, watch and build progress."""

from __future__ import annotations

import io
import queue
import threading
import time
from pathlib import Path

import pypdf
import pytest

from generator import cli
from generator.cli import main, parser
from generator.inputs import load_meeting
from generator.templating import default_templates
from generator.watcher import RenderMemo, watch

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "inputs" / "almaty-process-8th-som.yaml"
MINIMAL = ROOT / "tests" / "cases" / "minimal" / "input.yaml"


def test_new_then_build(tmp_path, capsys):
    target = tmp_path / "Baku 9th SOM.yaml"
    assert main(["new", str(target), "--date", "2027-03-04", "--city", "Baku",
                 "--languages", "en,ru", "--title", "9th Meeting"]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    for section in ("registrations:", "side_events:", "agenda_pack:", "outcome:", "briefing:"):
        assert f"# {section}" in text
    meeting = load_meeting(str(target)).meeting
    assert (meeting.id, meeting.city, meeting.title, meeting.languages) == (
        "baku-9th-som", "Baku", "9th Meeting", ["en", "ru"])
    assert meeting.country == "[country]" and meeting.ordinal == "[ordinal, e.g. 9th]"
    out = tmp_path / "out"
    assert main(["build", str(target), "--out", str(out), "--format", "pdf", "--pdfa", "none"]) == 0
    assert sorted(p.name for p in (out / "baku-9th-som").glob("*.pdf")) == [
        "agenda-en-v1.pdf", "agenda-ru-v1.pdf"]
    before = target.read_bytes()
    capsys.readouterr()
    assert main(["new", str(target), "--date", "2027-03-04"]) == 2
    assert "never overwrites" in capsys.readouterr().err and target.read_bytes() == before


def test_new_from_an_earlier_meeting(tmp_path):
    target = tmp_path / "next.yaml"
    assert main(["new", str(target), "--from", str(ALMATY), "--date", "2024-10-01"]) == 0
    new = load_meeting(str(target)).meeting
    old = load_meeting(str(ALMATY)).meeting
    assert new.participants == old.participants
    assert (new.process, new.chair, new.secretariat, new.languages) == (
        old.process, old.chair, old.secretariat, old.languages)
    assert new.outcome is None and new.briefing is None and not new.side_events
    assert str(new.date) == "2024-10-01" and new.end_date is None
    assert new.city == "[city]" and new.agenda_version == "1"
    assert [item.title for item in new.agenda[0].items] == ["[Opening of the meeting]"]
    text = target.read_text(encoding="utf-8")
    assert "# outcome:\n#   type: {en: Outcome Protocol, ru: Итоговый протокол}" in text


def test_new_from_with_a_language_the_earlier_meeting_lacks(tmp_path, capsys):
    target = tmp_path / "next.yaml"
    assert main(["new", str(target), "--from", str(ALMATY), "--date", "2024-10-01",
                 "--languages", "en,fr"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(target) and target.exists()
    lines = err.splitlines()
    assert lines[0].startswith(f"{target}:") and "no French (fr) text" in lines[0]
    assert lines[-1].startswith(f"chancery: {target} was written, but its documents cannot be "
                                "built until the")


def test_new_needs_a_date_and_refuses_a_bad_one(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["new", str(tmp_path / "x.yaml"), "--date", "2027-02-30"])
    assert exited.value.code == 2 and "is not a date" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_only():
    from generator.build import Edition

    terminal, pipe = Terminal(), io.StringIO()
    editions = [Edition("agenda", (language,)) for language in ("en", "ru", "fr", "de")]
    for stream in (terminal, pipe):
        with cli._progress(len(editions), stream) as advance:
            for edition in editions:
                advance(edition)
    assert "4/4" in terminal.getvalue() and pipe.getvalue() == ""


def test_render_memo_renders_a_document_once(monkeypatch):
    from generator import rendering

    calls = []
    monkeypatch.setattr(rendering, "render_formats",
                        lambda document, formats, pdfa, engine, pdfua:
                        calls.append(document) or {"pdf": b"x"})
    memo = RenderMemo()
    memo("doc-a", ["pdf"], "none")
    memo("doc-a", ["pdf"], "none")
    memo("doc-b", ["pdf"], "none")
    assert calls == ["doc-a", "doc-b"]


def wait_for(lines: queue.Queue, pattern: str, timeout: float = 30) -> list[str]:
    """Return the lines said until one holds the pattern; fail after timeout seconds."""
    seen, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if pattern in line:
            return seen
    raise AssertionError(f"no line with {pattern!r} in {timeout} s; said: {seen}")


def test_watch_rebuilds_after_a_change_and_survives_a_broken_save(tmp_path):
    meeting = tmp_path / "meeting.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace("status: final", "status: draft")
    meeting.write_text(text, encoding="utf-8")
    (tmp_path / "delegates.csv").write_text("Country,Name\r\nBeta,Bo Extra\r\n", encoding="utf-8")
    meeting.write_text(text.replace("agenda:", "registrations:\n  - file: delegates.csv\nagenda:"),
                       encoding="utf-8")
    out = tmp_path / "out"
    arguments = parser().parse_args(["watch", str(meeting), "--out", str(out), "--format", "pdf",
                                     "--pdfa", "none", "--only", "participants", "--open",
                                     "participants-en"])
    arguments.files, arguments.replace_draft = [arguments.file], True
    lines: queue.Queue = queue.Queue()
    opened: list[Path] = []
    stop = threading.Event()
    memo = RenderMemo()
    thread = threading.Thread(target=watch, args=(
        meeting, lambda: cli._watch_round(arguments, default_templates(), memo),
        default_templates(), lines.put, stop, arguments.open_pdf, opened.append), daemon=True)
    thread.start()
    try:
        pdf = out / "minimal" / "participants-en-v1.pdf"
        wait_for(lines, "waiting for changes")
        assert opened == [pdf]
        first = pdf.read_bytes()
        time.sleep(0.3)
        meeting.write_text(meeting.read_text(encoding="utf-8").replace("Ben Sample", "Ben Changed"),
                           encoding="utf-8")
        said = wait_for(lines, "waiting for changes")
        assert str(pdf) in said and "meeting.yaml changed" in said[-1]
        assert pdf.read_bytes() != first
        meeting.write_text("id: minimal\ncity: [Valletta\n", encoding="utf-8")  # a broken save
        said = wait_for(lines, "waiting for the next save")
        assert any("meeting.yaml:3:1:" in line and "YAML syntax error" in line for line in said), said
        assert thread.is_alive()
        (tmp_path / "delegates.csv").write_text("Country,Name\r\nBeta,Bo Extra\r\n",
                                                encoding="utf-8")
        meeting.write_text(text.replace("agenda:", "registrations:\n  - file: delegates.csv\n"
                                        "agenda:"), encoding="utf-8")
        wait_for(lines, "waiting for changes")
        (tmp_path / "delegates.csv").write_text("Country,Name\r\nBeta,Bo Again\r\n",
                                                encoding="utf-8")
        said = wait_for(lines, "waiting for changes")
        assert "delegates.csv changed" in said[-1] and str(pdf) in said
        assert opened == [pdf]
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_watch_rebuilds_when_a_template_changes(tmp_path):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    meeting = tmp_path / "meeting.yaml"
    meeting.write_text(MINIMAL.read_text(encoding="utf-8").replace("status: final", "status: draft"),
                       encoding="utf-8")
    arguments = parser().parse_args(["watch", str(meeting), "--out", str(tmp_path / "out"),
                                     "--format", "pdf", "--pdfa", "none", "--only", "agenda",
                                     "--templates", str(templates)])
    arguments.files, arguments.replace_draft = [arguments.file], True
    lines: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(
        meeting, lambda: cli._watch_round(arguments, templates, RenderMemo()), templates,
        lines.put, stop), daemon=True)
    thread.start()
    try:
        wait_for(lines, "waiting for changes")
        time.sleep(0.3)
        agenda = templates / "agenda.xml.j2"
        agenda.write_text(agenda.read_text(encoding="utf-8").replace(
            '{{ pack.programme_name() }}</p>', '{{ pack.programme_name() }} (edited)</p>'),
            encoding="utf-8")
        said = wait_for(lines, "waiting for changes")
        assert "agenda.xml.j2 changed" in said[-1]
        pdf = tmp_path / "out" / "minimal" / "agenda-en-v1.pdf"
        assert str(pdf) in said and "programme (edited)" in pypdf.PdfReader(pdf).pages[0].extract_text()
    finally:
        stop.set()
        thread.join(10)


def test_a_new_file_is_written_without_hard_links_too(tmp_path, monkeypatch):
    import os

    def refuse(*_):
        raise OSError(1, "Incorrect function")  # as on a FAT-formatted USB stick

    monkeypatch.setattr(os, "link", refuse)
    target = tmp_path / "list.csv"
    assert main(["participants", str(MINIMAL), "--format", "csv", "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfDelegation,Id,Honorific,Name,Function")
    assert [path.name for path in tmp_path.iterdir()] == ["list.csv"]
