"""Bounded reading of regular files: never a FIFO, a device, a folder or a file too large."""

from __future__ import annotations

import os
import stat

from .problems import InputError, Problem

MB = 1024 * 1024

MEETING_FILE = 8 * MB
"""The largest meeting (YAML) file: one of 1,000 participants takes about 0.3 MB."""
DATA_FILE = 32 * MB
"""The largest registration or style file read beside a meeting file."""
TEMPLATE_FILE = 4 * MB
"""The largest template or wording catalog; the shipped ones take about 30 KB."""
ANNEX_FILE = 256 * MB
"""The largest annex (PDF or image) a pack may attach."""
ARCHIVED_FILE = 1024 * MB
"""The largest file verify or seal reads back from an archive folder."""
MANIFEST_FILE = 16 * MB
"""The largest manifest.json: one of 10,000 files takes about 5 MB."""
KEY_FILE = 1 * MB
"""The largest PKCS#12 key file; a real one takes a few KB."""

_KINDS = ((stat.S_ISDIR, "is a folder, not a file"),
          (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
          (stat.S_ISCHR, "is a device, not a regular file"),
          (stat.S_ISBLK, "is a device, not a regular file"),
          (stat.S_ISSOCK, "is a socket, not a regular file"))


class UnreadableFile(InputError):
    """A file that cannot be read: its name and the reason, in words that follow the name."""

    def __init__(self, name: str, reason: str):
        self.name = name
        """The file as the caller named it."""
        self.reason = reason
        """What is wrong, such as "is a folder, not a file"."""
        super().__init__([Problem(name, None, None, (), reason)])

def size_text(size: int) -> str:
    """Return a size in bytes as people say it: "512 bytes", "3.2 MB"."""
    return f"{size} bytes" if size < 1024 * 1024 else f"{size / MB:.1f} MB"


def _kind_problem(mode: int) -> str | None:
    """Return why a file of this mode cannot be read as a regular file, or None if it can."""
    if stat.S_ISREG(mode):
        return None
    return next((reason for test, reason in _KINDS if test(mode)),
                "is not a regular file")


def _os_problem(error: OSError) -> str:
    """Return an error of the operating system as a reason that follows a file's name."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(error, NotADirectoryError):
        return ("is not a file in a folder (the name ends in '/' or goes through a file as if it "
                "were a folder)")
    return f"cannot be read: {error.strerror or error}"


def check_regular(path: str | os.PathLike, *, limit: int, what: str) -> int:
    """Return the size in bytes of the regular file at path (links followed); raise
    UnreadableFile if it is missing, not a regular file or larger than limit bytes. what names
    the file in the size message, such as "a meeting file"."""
    name = os.fsdecode(path) if not isinstance(path, str) else path
    try:
        status = os.stat(path)
    except ValueError:  # a NUL in the name
        raise UnreadableFile(name, "is not a possible file name (it holds a NUL character)"
                             ) from None
    except OSError as error:
        raise UnreadableFile(name, _os_problem(error)) from None
    return _checked(name, status, limit, what)


def _checked(name: str, status: os.stat_result, limit: int, what: str) -> int:
    """Return the size of a regular file within the limit; raise UnreadableFile otherwise."""
    problem = _kind_problem(status.st_mode)
    if problem:
        raise UnreadableFile(name, f"{problem}; chancery reads only regular files")
    if status.st_size > limit:
        raise UnreadableFile(name, f"is {size_text(status.st_size)}, more than the "
                                   f"{size_text(limit)} {what} may have")
    return status.st_size


def read_regular(path: str | os.PathLike, *, limit: int, what: str) -> bytes:
    """Return the bytes of the regular file at path (links followed), at most limit bytes; raise
    UnreadableFile, before reading anything, for a missing file, a folder, a FIFO, a device, a
    socket or a file larger than limit, and for a file that grows past limit while read.

    what names the file in the size message, such as "a meeting file"; UnreadableFile.reason
    is the message without the file's name, UnreadableFile.problems the same as a Problem.
    """
    name = os.fsdecode(path) if not isinstance(path, str) else path
    check_regular(path, limit=limit, what=what)  # before opening: opening a FIFO would block
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        raise UnreadableFile(name, _os_problem(error)) from None
    try:
        _checked(name, os.fstat(handle), limit, what)  # the file opened is the file checked
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise UnreadableFile(name, _os_problem(error)) from None
    finally:
        os.close(handle)
    if len(data) > limit:
        raise UnreadableFile(name, f"grew past the {size_text(limit)} {what} may have while "
                                   "it was read")
    return data
