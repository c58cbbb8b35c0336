"""A build's files written side by side: worker processes that render documents as PDF and
DOCX, on a Linux machine with several processors; elsewhere the build's own process does."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
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
        self.executor = None
        if workers:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            modules = [".rendering"] + ([".writers.pdf"] if "pdf" in formats else []) + (
                [".pdfa"] if "pdf" in formats and pdfa != "none" else []) + (
                [".writers.docx"] if "docx" in formats else [])
            self.executor = ProcessPoolExecutor(workers, multiprocessing.get_context("fork"),
                                                initializer=_start_worker, initargs=(modules,))
            self.executor.submit(int)  # forks every worker now, before any thread starts

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes, dropping the files not yet begun."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def render(self, documents: list[Document], formats: list[str], pdfa: str, engine: str,
               pdfua: bool = False) -> Iterator[dict[str, bytes]]:
        """Yield what rendering.render_formats returns for each document, in their order: the same
        bytes, written by the workers side by side. A document that cannot be written raises
        its error when its turn comes; a worker that dies leaves the rest to this process."""
        from .rendering import check_formats, render_docx_file, render_formats, render_pdf
        from .transforms import has_contents

        check_formats(formats)
        if self.executor is None:
            for document in documents:
                yield render_formats(document, formats, pdfa, engine, pdfua)
            return
        from concurrent.futures.process import BrokenProcessPool

        submit = self.executor.submit
        done = 0
        try:
            pdfs, docxs = {}, {}
            waiting = []  # documents with contents: their DOCX waits for their PDF's pages
            for index in sorted(range(len(documents)),
                                key=lambda index: -_weight(documents[index])):
                if "pdf" in formats:  # the longest first, so that no worker is left with it last
                    pdfs[index] = submit(render_pdf, documents[index], pdfa, engine, pdfua)
                if "docx" in formats and "pdf" in formats and has_contents(documents[index]):
                    waiting.append(index)
                elif "docx" in formats:
                    docxs[index] = submit(render_docx_file, documents[index], None, engine)
            for index in waiting:
                if pdfs[index].exception() is None:  # else its error is raised in its turn
                    docxs[index] = submit(render_docx_file, documents[index],
                                          pdfs[index].result()[1], engine)
            for index in range(len(documents)):
                result = {}
                if index in pdfs:
                    result["pdf"] = pdfs[index].result()[0]
                if index in docxs:
                    result["docx"] = docxs[index].result()
                done += 1
                yield result
        except BrokenProcessPool:  # a worker was killed (out of memory, say): go on here
            self.close()
            for document in documents[done:]:
                yield render_formats(document, formats, pdfa, engine, pdfua)


def _weight(document: Document) -> int:
    """Return how long writing the document takes, roughly: its printed paragraphs."""
    from .document import document_lines

    return len(document_lines(document))


def _start_worker(modules: list[str]) -> None:
    """Ready a worker: Ctrl+C is the build's to handle (it stops the workers), and the modules
    (the writers) are imported and the fonts registered while the build makes its documents."""
    import importlib
    import signal

    from .fonts import register_pdf_fonts

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in modules:
        importlib.import_module(module, __package__)
    register_pdf_fonts()
