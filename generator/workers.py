"""A build's files written side by side: worker processes that render documents as PDF and
DOCX, on a Linux machine with several processors; elsewhere the build's own process does."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Document

JOBS_ENV = "CHANCERY_JOBS"
"""The environment variable giving the most processes that write a build's files at once;
1 writes them in the build's own process."""


def worker_count(jobs: int) -> int:
    """Return how many worker processes should write jobs files, or 0 for none (the build's own
    process writes them): 0 for fewer than two jobs or processors, off Linux (Windows cannot
    fork a process and macOS's system libraries are not safe to fork) and in a process already
    running other threads (a fork copies their locks but not them); at most CHANCERY_JOBS."""
    if jobs < 2 or not sys.platform.startswith("linux"):
        return 0
    count = min(jobs, len(os.sched_getaffinity(0)), _jobs_allowed())
    return count if count >= 2 and _threads() == 1 else 0


def _jobs_allowed() -> int:
    """Return the most processes CHANCERY_JOBS allows (no limit when it is unset or not a
    whole number above 0)."""
    try:
        allowed = int(os.environ.get(JOBS_ENV, ""))
    except ValueError:
        return sys.maxsize
    return allowed if allowed > 0 else sys.maxsize


def _threads() -> int:
    """Return how many threads this process runs (2 when that cannot be read)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 2


class Writers:
    """The processes that write a build's documents, started at once (before the build starts
    any thread), or none: then render writes each document in this process."""

    def __init__(self, workers: int = 0, formats: tuple[str, ...] = ("docx", "pdf"),
                 pdfa: str = "2b"):
        """Start that many workers (0: none), each importing the writers of the formats (and
        of PDF/A unless pdfa is "none") while the build makes its documents."""
        self.executor = self.go = None
        self.held = 0
        if workers:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            modules = [".rendering"] + ([".writers.pdf"] if "pdf" in formats else []) + (
                [".pdfa"] if "pdf" in formats and pdfa != "none" else []) + (
                [".writers.docx"] if "docx" in formats else [])
            context = multiprocessing.get_context("fork")
            self.go = context.Semaphore(0)  # released once per worker: a dead one holds nothing
            self.held = workers
            at_once = max(len(os.sched_getaffinity(0)) - 1, 1)  # the build has a processor
            before = set(multiprocessing.active_children())
            try:
                self.executor = ProcessPoolExecutor(
                    workers, context, initializer=_start_worker,
                    initargs=(modules, context.Value("i", 0), at_once, self.go, os.getpid()))
                self.executor.submit(int)  # forks every worker now, before any thread starts
            except OSError:  # no process can be started (a limit, a sandbox): none, then
                for started in set(multiprocessing.active_children()) - before:
                    started.terminate()
                    started.join()
                self.executor = self.go = None
                self.held = 0

    def ready(self) -> None:
        """Say that the build has loaded what it needs: the workers that waited so as not to
        slow that down load the writers now."""
        if self.go is not None:
            for _ in range(self.held):
                self.go.release()
            self.held = 0

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes, dropping the files not yet begun."""
        self.ready()  # a worker still waiting to load the writers cannot stop
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def render(self, documents: Iterable[Document], formats: list[str], pdfa: str,
               engine: str, pdfua: bool = False
               ) -> tuple[list[Document], Iterator[dict[str, bytes]]]:
        """Return the documents, taken from the iterable (what it raises is raised), and what
        rendering.render_formats returns for each, in their order: the same bytes. With
        workers, each document is handed to them as the iterable gives it, so that they write
        the first while the build makes the next; a document that cannot be written raises its
        error when its turn comes, and a worker that dies leaves the rest to this process."""
        from .rendering import check_formats, render_docx_file, render_pdf
        from .transforms import has_contents

        check_formats(formats)
        self.ready()
        taken: list[Document] = []
        if self.executor is None:
            taken = list(documents)
            return taken, self._here(taken, 0, formats, pdfa, engine, pdfua)
        from concurrent.futures.process import BrokenProcessPool

        pdfs, docxs, waiting = {}, {}, []  # waiting: a DOCX that needs its PDF's page numbers
        submit = self.executor.submit
        for document in documents:
            taken.append(document)
            index = len(taken) - 1
            try:
                if "pdf" in formats:
                    pdfs[index] = submit(render_pdf, document, pdfa, engine, pdfua)
                if "docx" in formats and "pdf" in formats and has_contents(document):
                    waiting.append(index)
                elif "docx" in formats:
                    docxs[index] = submit(render_docx_file, document, None, engine)
            except BrokenProcessPool:  # a worker was killed: the rest are written here
                self.close()
                submit = _broken
        return taken, self._collected(taken, pdfs, docxs, waiting, formats, pdfa, engine, pdfua)

    def _collected(self, documents: list[Document], pdfs: dict, docxs: dict, waiting: list[int],
                   formats: list[str], pdfa: str, engine: str, pdfua: bool
                   ) -> Iterator[dict[str, bytes]]:
        """Yield each document's files from the workers' jobs (pdfs and docxs: futures by
        document; waiting: the documents whose DOCX is handed over once their PDF is written),
        and from this process once the workers are gone."""
        from concurrent.futures.process import BrokenProcessPool

        from .rendering import render_docx_file

        if self.executor is None:  # gone while the documents were handed over
            yield from self._here(documents, 0, formats, pdfa, engine, pdfua)
            return
        done = 0
        try:
            for index in waiting:
                if pdfs[index].exception() is None:  # else its error is raised in its turn
                    docxs[index] = self.executor.submit(
                        render_docx_file, documents[index], pdfs[index].result()[1], engine)
            for index in range(len(documents)):
                result = {}
                if "pdf" in formats:
                    result["pdf"] = pdfs[index].result()[0]
                if "docx" in formats:
                    result["docx"] = docxs[index].result()
                done += 1
                yield result
        except BrokenProcessPool:  # a worker was killed (out of memory, say): go on here
            self.close()
            yield from self._here(documents, done, formats, pdfa, engine, pdfua)

    @staticmethod
    def _here(documents: list[Document], start: int, formats: list[str], pdfa: str,
              engine: str, pdfua: bool) -> Iterator[dict[str, bytes]]:
        """Yield the files of the documents from the start-th on, written in this process."""
        from .rendering import render_formats

        for document in documents[start:]:
            yield render_formats(document, formats, pdfa, engine, pdfua)


def _broken(*_, **__):
    """Stand in for submit once the workers are gone: hand nothing over."""
    from concurrent.futures.process import BrokenProcessPool

    raise BrokenProcessPool("the workers are gone")


PR_SET_PDEATHSIG = 1
"""Linux's prctl option: the signal a process gets when the process that forked it ends."""


def _end_with(build: int) -> None:
    """Have the system stop this worker when the build's process ends, however it ends (killed,
    say): else the worker would wait for work forever, the pipes it reads staying open in the
    workers themselves."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux's C library: the build stops its workers
        return
    if os.getppid() != build:  # it ended before the worker asked
        os._exit(1)


WAIT_FOR_BUILD = 5.0
"""The most seconds a waiting worker waits for the build to say it is ready before it loads
the writers anyway."""


def _start_worker(modules: list[str], started, at_once: int, go, build: int) -> None:
    """Ready a worker: Ctrl+C is the build's to handle (it stops the workers), and the modules
    (the writers) are imported and the fonts registered while the build makes its documents.
    The first at_once workers (started counts them) do so at once, one processor left to the
    build; the others wait for go, released once the build has loaded its own modules: on two
    processors, two workers loading beside the build would make it wait a third longer.
    build is the build's process id: the worker ends with it."""
    import importlib
    import signal

    from .fonts import register_pdf_fonts

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(build)
    with started.get_lock():
        rank, started.value = started.value, started.value + 1
    if rank >= at_once:
        go.acquire(timeout=WAIT_FOR_BUILD)
    for module in modules:
        importlib.import_module(module, __package__)
    register_pdf_fonts()
