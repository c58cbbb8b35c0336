"""The per-user cache folder, and the compiled templates kept in it between runs."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from . import __version__

CACHE_ENV = "CHANCERY_CACHE_DIR"
"""The environment variable naming another cache folder; set to "off" to use no cache."""


def cache_folder() -> Path | None:
    """Return this user's chancery cache folder (such as ~/.cache/chancery on Linux,
    %LOCALAPPDATA%\\chancery\\Cache on Windows), or None when caching is off. The folder may
    not exist yet."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    try:
        import platformdirs
    except ImportError:  # no cache folder known: every run compiles afresh
        return None
    return Path(platformdirs.user_cache_dir("chancery", appauthor=False))


def _folder(kind: str) -> Path | None:
    """Return the cache subfolder for one kind of entry, made if need be (private to the user),
    or None when caching is off, the folder cannot be made, or others than the user may write
    into it or its parent."""
    root = cache_folder()
    if root is None:
        return None
    folder = root / kind
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "getuid"):  # compiled templates are code: only this user may write them
            for made in (root, folder):
                status = made.stat()
                if status.st_uid != os.getuid() or status.st_mode & 0o022:
                    return None
    except OSError:
        return None
    return folder


def read_entry(kind: str, key: str) -> bytes | None:
    """Return the bytes stored under the key, or None if there are none or they are damaged
    (each entry carries the SHA-256 of its bytes)."""
    folder = _folder(kind)
    if folder is None:
        return None
    try:
        stored = (folder / key).read_bytes()
    except OSError:
        return None
    digest, data = stored[:32], stored[32:]
    return data if len(digest) == 32 and hashlib.sha256(data).digest() == digest else None


def write_entry(kind: str, key: str, data: bytes) -> None:
    """Store the bytes under the key, whole or not at all; a cache that cannot be written is
    left alone (it only costs time)."""
    folder = _folder(kind)
    if folder is None:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(hashlib.sha256(data).digest() + data)
        os.replace(temporary, folder / key)
    except OSError:
        try:
            os.remove(temporary)
        except OSError:
            pass


def kept_value(kind: str, parts: tuple, make, valid):
    """Return make()'s value (plain data marshal can keep), from the user's cache folder when it
    was kept there under the parts and make's code and valid(value) holds, else made and kept."""
    import marshal

    key = entry_key(kind, *parts, code_key(make))
    data = read_entry(kind, key)
    if data is not None:
        try:
            value = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            value = None
        if value is not None and valid(value):
            return value
    value = make()
    write_entry(kind, key, marshal.dumps(value))
    return value


def entry_key(*parts: object) -> str:
    """Return a file name for a cache entry made from the parts, with chancery's and Python's
    versions, so that an upgrade never reads an older entry."""
    text = "\0".join(map(str, (__version__, sys.version, *parts)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def code_key(*functions) -> str:
    """Return a digest of the functions' compiled code (their bytecode, constants and names),
    for the key of an entry they make: a change to the code that makes an entry, even without
    a new version of chancery, never reads one made by the code before."""
    import marshal

    digest = hashlib.sha256()
    for function in functions:
        digest.update(marshal.dumps(function.__code__))
    return digest.hexdigest()


def template_cache():
    """Return a Jinja2 bytecode cache in the user's cache folder: each compiled template is
    keyed by the template file, the environment's settings and the versions of chancery,
    Jinja2 and Python, and checked against the template's source, so a changed template or a
    damaged entry is compiled again."""
    import jinja2
    from jinja2.bccache import BytecodeCache

    class TemplateCache(BytecodeCache):
        """Compiled templates in the user's cache folder."""

        def get_bucket(self, environment, name, filename, source):
            autoescape = environment.autoescape
            settings = (type(environment).__qualname__, environment.sandboxed,
                        autoescape(name) if callable(autoescape) else autoescape,
                        environment.is_async, environment.finalize is not None,
                        getattr(environment.finalize, "__qualname__", None),
                        environment.trim_blocks,
                        environment.lstrip_blocks, environment.keep_trailing_newline,
                        environment.newline_sequence, environment.optimized,
                        sorted(environment.extensions), environment.block_start_string,
                        environment.block_end_string, environment.variable_start_string,
                        environment.variable_end_string, environment.comment_start_string,
                        environment.comment_end_string, environment.line_statement_prefix,
                        environment.line_comment_prefix)
            environment_key = entry_key(jinja2.__version__, repr(settings))
            return super().get_bucket(environment, f"{environment_key}|{name}", filename, source)

        def load_bytecode(self, bucket):
            data = read_entry("templates", bucket.key)
            if data is not None:
                try:
                    bucket.bytecode_from_string(data)
                except Exception:  # an entry from elsewhere: compile afresh
                    bucket.reset()

        def dump_bytecode(self, bucket):
            write_entry("templates", bucket.key, bucket.bytecode_to_string())

    return TemplateCache()
