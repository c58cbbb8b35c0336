"""Hyphenation patterns for PDF text: pyphen's dictionaries, parsed once per user and cached."""

from __future__ import annotations

import hashlib
import marshal
from functools import cache

from .caches import entry_key, read_entry, write_entry


@cache
def load_patterns(name: str) -> None:
    """Put the parsed patterns of one of pyphen's dictionaries (pyphen's name, such as "en_US")
    into pyphen's own cache, taken from the user's cache folder when it holds the patterns of
    this very file; parse the file and store them there otherwise."""
    import pyphen

    path = pyphen.LANGUAGES[name]
    if path in pyphen.hdcache:
        return
    key = entry_key("hyphenation", pyphen.__version__, hashlib.sha256(path.read_bytes()).hexdigest())
    data = read_entry("hyphenation", key)
    if data is not None:
        try:
            patterns, maxlen = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            patterns = None
        if isinstance(patterns, dict) and isinstance(maxlen, int):
            parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
            parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
            pyphen.hdcache[path] = parsed
            return
    parsed = pyphen.HyphDict(path)
    pyphen.hdcache[path] = parsed
    try:
        write_entry("hyphenation", key, marshal.dumps((parsed.patterns, parsed.maxlen)))
    except ValueError:  # patterns with alternative spellings, which marshal cannot hold
        pass
