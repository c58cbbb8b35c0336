"""A build's files written by worker processes: the same bytes as one process writes, in the same
order, errors said as one process says them, a killed worker costing only time, and no worker
where forking is unsafe or pointless."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator import workers

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "almaty-process-8th-som.yaml"

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="worker processes are forked on Linux only")

_COMPARE = """
import multiprocessing, os, signal, sys
from generator.build import make_documents, requested_editions
from generator.inputs import load_meeting
from generator.rendering import render_formats
from generator.templating import default_templates
from generator.workers import Writers

loaded = load_meeting(sys.argv[1])
documents, _ = make_documents(loaded, requested_editions(loaded, None, None), default_templates())
documents = [document for _, document in documents]
kill = sys.argv[2] == "kill"
with Writers(2) as writers:
    started = len(multiprocessing.active_children())
    if kill:  # the out-of-memory killer, say, takes a worker
        os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
    taken, files = writers.render(iter(documents), ["pdf", "docx"], "2b", "reportlab")
    assert taken == documents
    parallel = list(files)
one_process = [render_formats(document, ["pdf", "docx"], "2b", "reportlab")
               for document in documents]
print(started, len(documents), parallel == one_process,
      sum(len(files["pdf"]) + len(files["docx"]) for files in parallel))
"""


def python(*arguments: str, jobs: str | None = None, timeout: float = 300
           ) -> subprocess.CompletedProcess:
    """Return the finished run of a fresh Python with the arguments, from the project's root,
    CHANCERY_JOBS set to jobs unless None."""
    env = {**os.environ, **({} if jobs is None else {workers.JOBS_ENV: jobs})}
    return subprocess.run([sys.executable, *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env)


def printed(script: str, *arguments: str, timeout: float = 300) -> str:
    """Return what a script run with the arguments prints, once it has ended well."""
    result = python("-c", script, *arguments, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


def compared(mode: str) -> list[str]:
    """Return what _COMPARE prints for the example: workers started, documents, whether the
    workers' files equal one process's, and their total size."""
    return printed(_COMPARE, str(EXAMPLE), mode).split()


@linux_only
def test_workers_write_the_same_bytes_as_one_process_in_document_order():
    started, documents, same, size = compared("keep")
    assert started == "2" and int(documents) >= 6  # every edition of the example
    assert same == "True" and int(size) > 100_000


@linux_only
def test_a_killed_worker_leaves_its_documents_to_the_build():
    started, _, same, _ = compared("kill")
    assert started == "2" and same == "True"


def run_build(tmp_path: Path, name: str, jobs: str, *arguments: str) -> subprocess.CompletedProcess:
    """Return the finished CLI build of the example into tmp_path/name with CHANCERY_JOBS."""
    return python("-m", "generator", "build", str(EXAMPLE), "--out", str(tmp_path / name),
                  *arguments, jobs=jobs)


@linux_only
def test_a_build_lists_and_archives_the_same_files_with_and_without_workers(tmp_path):
    together, alone = run_build(tmp_path, "a", ""), run_build(tmp_path, "b", "1")
    assert together.returncode == alone.returncode == 0, together.stderr + alone.stderr
    assert together.stdout.replace(str(tmp_path / "a"), "") == \
        alone.stdout.replace(str(tmp_path / "b"), "")
    files = sorted(path.relative_to(tmp_path / "a")
                   for path in (tmp_path / "a").rglob("*") if path.is_file())
    assert len(files) > 10
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes(), path


_FAILING = """
import sys
from reportlab.platypus.doctemplate import LayoutError
import generator.writers.pdf

def fail(*arguments, **options):
    raise LayoutError("Flowable <Table> too large on page 1")

generator.writers.pdf.render_pdf_with_pages = fail  # the workers are forked with it
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


@linux_only
def test_an_error_in_a_worker_is_said_as_the_build_says_it(tmp_path):
    results = [python("-c", _FAILING, "build", str(EXAMPLE), "--lang", "en", "--out",
                      str(tmp_path / "out"), jobs=jobs) for jobs in ("", "1")]
    assert [result.returncode for result in results] == [2, 2]
    assert results[0].stderr == results[1].stderr
    assert "cannot be laid out: something is too large for a page" in results[0].stderr
    assert "Traceback" not in results[0].stderr
    assert not (tmp_path / "out").exists()  # nothing written


def test_no_workers_for_one_file_one_processor_other_systems_or_threads(monkeypatch):
    monkeypatch.setattr(workers.sys, "platform", "linux")
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(workers, "_threads", lambda: 1)
    monkeypatch.delenv(workers.JOBS_ENV, raising=False)
    assert workers.worker_count(6) == 4 and workers.worker_count(3) == 3
    assert workers.worker_count(1) == 0  # one file: nothing to share
    monkeypatch.setenv(workers.JOBS_ENV, "2")
    assert workers.worker_count(6) == 2
    for value in ("1", "0"):
        monkeypatch.setenv(workers.JOBS_ENV, value)
        assert workers.worker_count(6) == (0 if value == "1" else 4)
    monkeypatch.setenv(workers.JOBS_ENV, "many")  # not a number: no limit
    assert workers.worker_count(6) == 4
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert workers.worker_count(6) == 0  # one processor
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(workers, "_threads", lambda: 3)
    assert workers.worker_count(6) == 0  # a fork would copy other threads' locks
    monkeypatch.setattr(workers, "_threads", lambda: 1)
    for system in ("win32", "darwin"):
        monkeypatch.setattr(workers.sys, "platform", system)
        assert workers.worker_count(6) == 0


@linux_only
def test_threads_are_counted_from_the_system():
    before = workers._threads()
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert workers._threads() == before + 1
    finally:
        release.set()
        thread.join()


def test_without_workers_render_is_render_formats(tmp_path):
    from generator.build import Edition, make_document
    from generator.inputs import load_meeting
    from generator.rendering import render_formats
    from generator.templating import default_templates

    loaded = load_meeting(str(EXAMPLE))
    document, _ = make_document(loaded, Edition("protocol", ("en",)), default_templates())
    with workers.Writers(0) as writers:
        assert writers.executor is None
        taken, rendered = writers.render(iter([document]), ["docx", "pdf"], "none", "reportlab")
        (files,) = rendered
        assert taken == [document]
    assert files == render_formats(document, ["docx", "pdf"], "none", "reportlab")
    with pytest.raises(ValueError, match="unknown format 'odt'"):
        workers.Writers(0).render([document], ["odt"], "none", "reportlab")


def test_the_errors_a_writer_raises_reach_the_build_whole():
    import pickle

    from generator.annexes import AnnexProblem
    from generator.files import UnreadableFile
    from generator.problems import InputError, Problem
    from generator.rendering import LayoutProblem

    for error in (UnreadableFile("annex.pdf", "is a folder, not a file"),
                  InputError([Problem("emblem.png", None, None, (), "changed after the check")]),
                  AnnexProblem("is a damaged PDF file"), LayoutProblem("chancery: too large")):
        again = pickle.loads(pickle.dumps(error))  # as a worker sends it
        assert type(again) is type(error) and str(again) == str(error)
        assert getattr(again, "problems", None) == getattr(error, "problems", None)


_HANDED = """
import sys
from generator.build import Edition, make_document
from generator.inputs import load_meeting
from generator.templating import default_templates
from generator.workers import Writers

loaded = load_meeting(sys.argv[1])
document, _ = make_document(loaded, Edition("protocol", ("en",)), default_templates())
submitted, handed = [], []

def made():
    yield document
    handed.append(len(submitted))  # what the workers had while the next was being made
    raise ValueError("a text is missing")  # as make_each raises MissingTexts at the end

for count in (2, 0):
    submitted.clear(), handed.clear()
    with Writers(count) as writers:
        if writers.executor is not None:
            submit = writers.executor.submit
            writers.executor.submit = lambda *job: submitted.append(job) or submit(*job)
        try:
            writers.render(made(), ["docx", "pdf"], "none", "reportlab")
        except ValueError as error:
            print(count, handed[0], error)
"""


@linux_only
def test_documents_are_handed_over_as_they_are_made_and_a_late_error_is_raised():
    # with workers, its PDF and DOCX were handed over before the next document was made
    assert printed(_HANDED, str(EXAMPLE)).splitlines() == [
        "2 2 a text is missing", "0 0 a text is missing"]


@linux_only
def test_a_missing_text_is_said_alike_with_and_without_workers(tmp_path):
    from tests.test_languages import MEETING

    source = tmp_path / "meeting.yaml"
    source.write_text(MEETING, encoding="utf-8")
    results = [python("-m", "generator", "build", str(source), "--out", str(tmp_path / "out"),
                      jobs=jobs) for jobs in ("", "1")]
    assert [result.returncode for result in results] == [2, 2]
    assert results[0].stderr == results[1].stderr
    assert "no Russian (ru) text" in results[0].stderr
    assert not (tmp_path / "out").exists()


def test_workers_beyond_a_processor_each_wait_for_the_build_before_loading(monkeypatch):
    import contextlib
    import signal

    ignored, waits, ends = [], [], []
    monkeypatch.setattr(signal, "signal", lambda number, action: ignored.append(number))
    monkeypatch.setattr(workers, "_end_with", ends.append)

    class Started:  # multiprocessing.Value's interface
        value = 0

        def get_lock(self):
            return contextlib.nullcontext()

    class Go:  # multiprocessing.Semaphore's
        def acquire(self, timeout=None):
            waits.append(timeout)
            return True

    started, go = Started(), Go()
    for _ in range(3):  # three workers on three processors: two load at once
        workers._start_worker([".rendering"], started, 2, go, 4242)
    assert started.value == 3 and waits == [workers.WAIT_FOR_BUILD]
    assert ignored == [signal.SIGINT] * 3 and ends == [4242] * 3


@linux_only
def test_ready_lets_every_waiting_worker_go_once():
    import multiprocessing

    writers = workers.Writers.__new__(workers.Writers)
    writers.executor, writers.go, writers.held = None, multiprocessing.Semaphore(0), 3
    writers.ready()
    writers.ready()  # said twice, released once per worker
    assert [writers.go.acquire(timeout=0) for _ in range(4)] == [True, True, True, False]


_NO_FORK = """
import errno, os, sys
from generator.build import Edition, make_document
from generator.inputs import load_meeting
from generator.rendering import render_formats
from generator.templating import default_templates
from generator.workers import Writers

loaded = load_meeting(sys.argv[1])
document, _ = make_document(loaded, Edition("protocol", ("en",)), default_templates())
fork, forks = os.fork, []

def limited():  # the first worker starts, the second meets the system's limit on processes
    if forks:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
    forks.append(1)
    return fork()

os.fork = limited
with Writers(2) as writers:
    _, files = writers.render([document, document], ["pdf"], "none", "reportlab")
    files = list(files)
print(writers.executor, len(forks), files == [render_formats(document, ["pdf"], "none")] * 2)
"""


@linux_only
def test_a_build_that_cannot_start_its_workers_writes_the_files_itself():
    assert printed(_NO_FORK, str(EXAMPLE), timeout=120).split() == ["None", "1", "True"]


_KILLED = """
import multiprocessing, os, signal, sys, time
from generator.workers import Writers

writers = Writers(2)
time.sleep(0.5)  # the workers have started
print(*(child.pid for child in multiprocessing.active_children()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # the build killed (by a user, or out of memory)
"""


@linux_only
def test_workers_end_when_the_build_is_killed():
    import time

    pids = [int(pid) for pid in python("-c", _KILLED, timeout=60).stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    assert not any(alive(pid) for pid in pids)  # none left waiting for work forever


def alive(pid: int) -> bool:
    """Return whether the process runs (not a zombie waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
