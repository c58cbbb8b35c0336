"""Rebuild on save: watch a meeting's files and build again whenever one of them changes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .problems import InputError

DEBOUNCE_MS = 150
"""How long a burst of changes (an editor's save writes, renames and deletes) is gathered."""


class RenderMemo:
    """render_formats remembered by document: a rebuild renders again only the documents
    whose model changed (a document's model holds its annexes' checksums, so a changed annex
    changes it too)."""

    def __init__(self, size: int = 64):
        self.size = size
        self.memo: OrderedDict = OrderedDict()

    def __call__(self, document, formats: list[str], pdfa: str, engine: str = "reportlab",
                 pdfua: bool = False) -> dict[str, bytes]:
        from .rendering import render_formats

        key = (document, tuple(formats), pdfa, engine, pdfua)
        if key in self.memo:
            self.memo.move_to_end(key)
            return self.memo[key]
        result = render_formats(document, formats, pdfa, engine, pdfua)
        self.memo[key] = result
        while len(self.memo) > self.size:
            self.memo.popitem(last=False)
        return result


@dataclass
class Round:
    """What one build of a watch did."""

    written: list[Path] = field(default_factory=list)
    """The files written or replaced."""
    problems: list[str] = field(default_factory=list)
    """The problems that stopped the build, as printed."""
    watched: set[Path] = field(default_factory=set)
    """The files whose change calls for a rebuild."""
    outputs: list[Path] = field(default_factory=list)
    """Every file the build made, written or unchanged."""


def watched_files(meeting_file: Path, loaded, templates: Path) -> set[Path]:
    """Return the absolute paths of every file a build of the meeting reads besides chancery's
    own: the meeting file, its registration files, its annexes and the templates."""
    from .annexes import annex_fields
    from .registrations import registration_files

    files = {Path(os.path.abspath(meeting_file))}
    if loaded is not None:
        files |= set(registration_files(loaded.meeting, loaded.source))
        files |= {Path(os.path.abspath(annex.file)) for _, annex in annex_fields(loaded.meeting)}
    for pattern in ("*.j2", "locale/*.po"):
        files |= {Path(os.path.abspath(path)) for path in templates.glob(pattern)}
    return files


def known_files(meeting_file: Path, templates: Path) -> set[Path]:
    """Return what a build would read, from the meeting file as it stands even when it has
    problems (its registrations and annexes as far as they can be told), so that a broken
    save still leaves every file watched."""
    from .source import read_source

    files = watched_files(meeting_file, None, templates)
    try:
        data = read_source(str(meeting_file)).data
    except InputError:
        return files
    folder = Path(os.path.abspath(meeting_file)).parent
    named = [entry.get("file") for entry in data.get("registrations") or []
             if isinstance(entry, dict)]
    for section in ("briefing", "agenda_pack"):
        part = data.get(section)
        if isinstance(part, dict):
            named += [entry.get("file") for entry in part.get("annexes") or []
                      if isinstance(entry, dict)]
    files |= {Path(os.path.abspath(folder / os.path.expanduser(name)))
              for name in named if isinstance(name, str) and name.strip()}
    return files


def open_in_viewer(path: Path) -> None:
    """Open a file in the system's viewer for its kind, without waiting for it."""
    if sys.platform == "win32":
        os.startfile(str(path))  # noqa: the Windows shell's "open"
        return
    command = ["open", str(path)] if sys.platform == "darwin" else ["xdg-open", str(path)]
    subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def watch(meeting_file: Path, build: Callable[[], Round], templates: Path,
          say: Callable[[str], None], stop: threading.Event | None = None,
          chosen: str | None = None, opener: Callable[[Path], None] = open_in_viewer) -> None:
    """Build once, then again whenever a file the build reads changes, until stop is set (or
    Ctrl+C). Print the files written or the problems of each round, never stopping on a
    problem. With chosen (a file name, or its start such as "protocol-en"), open that PDF in
    the system's viewer after the first build that makes it, and again when its name changes
    (a new version)."""
    import watchfiles

    stop = stop or threading.Event()
    opened: Path | None = None
    watched: set[Path] = set()

    def one_round(changed: Iterable[str] = ()) -> None:
        nonlocal opened, watched
        started = time.perf_counter()
        try:
            result = build()
        except Exception as error:  # a watch never ends on a problem
            result = Round(problems=[f"chancery: the build failed: {type(error).__name__}: {error}"])
        took = time.perf_counter() - started
        watched = result.watched or watched | known_files(meeting_file, templates)
        names = ", ".join(sorted({Path(name).name for name in changed}))
        head = f"[{time.strftime('%H:%M:%S')}] " + (f"{names} changed: " if names else "")
        if result.problems:
            for line in result.problems:
                say(line)
            count = len(result.problems)
            say(f"{head}{count} problem{'s' if count != 1 else ''}; nothing was written; "
                "waiting for the next save")
        else:
            for path in result.written:
                say(str(path))
            say(f"{head}built in {took:.2f} s; "
                f"{len(result.written) or 'no'} file{'s' if len(result.written) != 1 else ''} "
                "changed; waiting for changes (Ctrl+C to stop)")
        if chosen and not result.problems:
            target = _choose(result.outputs, chosen)
            if target is None:
                say(f"chancery: no PDF of this build is named {chosen}; choose one of: "
                    + ", ".join(path.name for path in result.outputs if path.suffix == ".pdf"))
            elif target != opened:
                opened = target
                try:
                    opener(target)
                except OSError as error:
                    say(f"chancery: cannot open {target}: {error.strerror or error}")

    one_round()
    while not stop.is_set():
        folders = sorted({path.parent for path in watched if path.parent.is_dir()})
        current = set(watched)
        try:
            for changes in watchfiles.watch(*folders, stop_event=stop, debounce=DEBOUNCE_MS,
                                            step=50, rust_timeout=500, yield_on_timeout=True):
                touched = [name for _, name in changes
                           if Path(os.path.abspath(name)) in current]
                if touched:
                    one_round(touched)
                    if watched != current:
                        break  # other files to watch: start again on their folders
        except KeyboardInterrupt:
            return
        except FileNotFoundError:  # a watched folder went away: wait for it to come back
            if stop.wait(0.5):
                return


def _choose(outputs: list[Path], chosen: str) -> Path | None:
    """Return the PDF among the outputs whose name is or starts with chosen, the newest
    version first."""
    pdfs = [path for path in outputs if path.suffix == ".pdf"]
    exact = [path for path in pdfs if path.name == chosen or str(path) == chosen]
    if exact:
        return exact[0]
    starting = [path for path in pdfs if path.name.startswith(chosen.removesuffix(".pdf") + "-v")]
    return starting[-1] if starting else None
