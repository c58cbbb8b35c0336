"""Font subsets for DOCX embedding: the characters a package shows, and each face cut to them."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree

ALWAYS = frozenset(chr(code) for code in range(0x20, 0x7F))
"""Printable ASCII, which every subset keeps: it holds what a client prints without its being
in the text (the digits of page fields, the hyphen of automatic hyphenation, tab leaders)."""

REPERTOIRE = frozenset(chr(code) for start, end in (
    (0x00A0, 0x017F),  # Latin-1 and Latin Extended-A: the Western and Central European languages
    (0x018F, 0x018F), (0x0259, 0x0259),  # Azerbaijani schwa, capital and small
    (0x0218, 0x021B),  # Romanian S and T with comma below
    (0x0400, 0x045F),  # Cyrillic: Russian and its neighbours
    (0x2010, 0x2026),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x203A),  # per mille, primes, single guillemets
    (0x20AC, 0x20AC),  # euro sign
    (0x2116, 0x2116),  # numero sign
    (0x2122, 0x2122),  # trade mark sign
) for code in range(start, end + 1))
"""Characters every subset keeps, whatever the text: the alphabets of the languages the family
serves. fontconfig (which LibreOffice asks on Linux) takes another font for a run whose
language the face does not wholly cover, and LibreOffice keeps the first embedded face of a
family it meets in a session for every document it opens after it: a subset must serve the
next document's text as well as its own."""

OPTIONS = {
    "name_IDs": ["*"],  # the family name LibreOffice and Word match the face by
    "name_languages": ["*"],
    "notdef_outline": True,
    "glyph_names": False,
    "hinting": True,
    "recalc_timestamp": False,  # head.modified stays the shipped file's: builds repeat
    # the OS/2 script and code page bits stay the whole face's: LibreOffice prints a script
    # whose bits a subset clears in another font
    "prune_unicode_ranges": False,
    "prune_codepage_ranges": False,
}
"""fontTools subsetting options, fixed: the same face and characters give the same bytes."""

NUMBERING = "numbering.xml"
"""The part whose w:lvlText values a client prints."""


def shown_characters(parts: Iterable[tuple[str, etree._Element]]) -> frozenset[str]:
    """Return every character the package's XML parts, given as (part name, root element), may
    show: all their element text (runs, field codes and results), the watermark's text path,
    the numbering's level texts, ALWAYS and REPERTOIRE."""
    characters = set(ALWAYS | REPERTOIRE)
    for name, root in parts:
        # the elements' text and tails, read by libxml2 (itertext would ask python-docx's
        # paragraph classes for their text property, which walks their runs again)
        characters.update(etree.tostring(root, method="text", encoding="unicode"))
        characters.update("".join(root.xpath("//@string")))
        if name.endswith(NUMBERING):
            characters.update("".join(root.xpath(
                "//*[local-name()='lvlText']/@*[local-name()='val']")))
    return frozenset(character for character in characters if character not in "\r\n\t")


def subset(data: bytes, characters: Iterable[str]) -> bytes:
    """Return the TrueType font file cut to the glyphs of the characters (and those its layout
    features reach from them), hinting and names kept: the same bytes for the same input,
    from the user's cache when it holds them."""
    return _subset(data, "".join(sorted(set(characters))))


@lru_cache(maxsize=16)
def _subset(data: bytes, text: str) -> bytes:
    """Return subset's result for the characters of text, sorted and distinct."""
    import fontTools

    from generator.caches import entry_key, read_entry, write_entry

    key = entry_key("subset", fontTools.version, sorted(OPTIONS.items()),
                    hashlib.sha256(data).hexdigest(),
                    hashlib.sha256(text.encode()).hexdigest())
    cached = read_entry("fonts", key)
    if cached is not None:  # the subsetter is imported only to cut a face afresh
        return cached
    from fontTools import subset as fonttools_subset
    from fontTools.ttLib import TTFont

    options = fonttools_subset.Options()
    for name, value in OPTIONS.items():
        setattr(options, name, value)
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    subsetter = fonttools_subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    result = out.getvalue()
    write_entry("fonts", key, result)
    return result
