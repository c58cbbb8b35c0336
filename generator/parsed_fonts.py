"""TrueType fonts parsed for reportlab once per user, their tables kept in the cache folder."""

from __future__ import annotations

import hashlib
import io
import marshal

from .caches import code_key, entry_key, read_entry, write_entry

_UNCACHED = ("_ttf_data", "_pdfScale")
"""What a parsed face holds that is not kept: the font file's bytes (given again) and a
function (made again from the face's units per em)."""


def parsed_font(name: str, data: bytes):
    """Return reportlab's TTFont of the font file's bytes, registered under name by the caller:
    its parsed tables from the user's cache folder when they were kept for these very bytes and
    this reportlab, else parsed from the bytes and kept there."""
    from reportlab.pdfbase.ttfonts import TTFont

    digest = hashlib.sha256(data).hexdigest()
    key = face_key(digest)
    face = _kept_face(read_entry("faces", key), data, digest)
    if face is None:
        font = TTFont(name, io.BytesIO(data))
        write_entry("faces", key, _kept(font.face, digest))
        return font
    return _font(name, face)


def face_key(digest: str) -> str:
    """Return the cache key of the parsed tables of the font file whose SHA-256 is digest, for
    this reportlab and the code that keeps them."""
    import reportlab

    return entry_key("font", reportlab.Version, digest, code_key(_kept, _kept_face))


def _kept(face, digest: str) -> bytes:
    """Return the parsed face's state as kept in the cache (its names as plain bytes), with the
    SHA-256 of the font file it was parsed from."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    state = {key: bytes(value) if isinstance(value, TTFNameBytes) else value
             for key, value in vars(face).items() if key not in _UNCACHED}
    names = [key for key, value in vars(face).items() if isinstance(value, TTFNameBytes)]
    return marshal.dumps((digest, state, names))


def _kept_face(kept: bytes | None, data: bytes, digest: str):
    """Return the TTFontFace of a kept state and the font file's bytes (whose SHA-256 is
    digest), or None if there is no state, it is not one or it is another font's."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

    if kept is None:
        return None
    try:
        of, state, names = marshal.loads(kept)
    except (EOFError, ValueError, TypeError):
        return None
    if (of != digest or not isinstance(state, dict) or not isinstance(state.get("unitsPerEm"), int)
            or not isinstance(names, list) or not all(name in state for name in names)):
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    for name in names:  # TTFNameBytes(utf8) gives back the same bytes and text
        face.__dict__[name] = TTFNameBytes(state[name])
    face._ttf_data = data
    units = face.unitsPerEm  # as TTFontFile.extractInfo makes it
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x: x * (1000 / units))
    return face


def _font(name: str, face):
    """Return a TTFont of the parsed face, as TTFont(name, file) makes one."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob)
    return font
