"""A user's reference Word file: read bounded and defused, and its styles, page and artwork taken."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

REFERENCE_PARTS = 2000
"""The most parts (ZIP entries) a reference Word file may have."""
REFERENCE_UNPACKED = 64 * 1024 * 1024
"""The most a reference Word file's parts may take uncompressed, in bytes."""
REFERENCE_RATIO = 200
"""The most a part may be compressed (uncompressed size over compressed size)."""
XML_ENDINGS = (".xml", ".rels")
"""The parts that are XML, checked for DTDs and entities."""


def reference_problem(data: bytes) -> str | None:
    """Return why the bytes are not a Word file chancery can take styles from, or None: not a
    ZIP, too many or too large parts, a ZIP bomb, XML with a DTD or entities, no styles."""
    import defusedxml.ElementTree as SafeTree
    from defusedxml import DefusedXmlException

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "is not a Word file (.docx): it is not a ZIP archive"
    if len(entries) > REFERENCE_PARTS:
        return f"has more than {REFERENCE_PARTS} parts; it cannot be a reference Word file"
    if sum(entry.file_size for entry in entries) > REFERENCE_UNPACKED:
        return "unpacks to more than 64 MB; use a smaller reference Word file"
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names or "word/styles.xml" not in names:
        return "is not a Word file (.docx): it has no document or no styles"
    for entry in entries:
        if entry.file_size > REFERENCE_RATIO * max(entry.compress_size, 1) + 4096:
            return f"has a part ({entry.filename}) compressed suspiciously much (a ZIP bomb?)"
        if not entry.filename.endswith(XML_ENDINGS):
            continue
        try:
            with archive.open(entry) as stream:
                SafeTree.fromstring(stream.read(REFERENCE_UNPACKED + 1), forbid_dtd=True)
        except DefusedXmlException:
            return f"has a part ({entry.filename}) that declares a DTD or entities"
        except (SafeTree.ParseError, zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            return f"has a damaged part ({entry.filename}: {error})"
    return None


def reference_word(path: str, builtin: Path):
    """Return the built-in reference Word document with the styles (paragraph, character and
    the document defaults), the page size and margins of the Word file at path, and its default
    header's and footer's pictures noted for add_artwork."""
    import docx
    from docx.oxml.ns import qn

    from .files import read_regular
    from .housestyle import REFERENCE_FILE

    data = read_regular(path, limit=REFERENCE_FILE, what="a reference Word file")
    problem = reference_problem(data)  # the file may have changed since it was checked
    if problem:
        from .problems import InputError, Problem

        raise InputError([Problem(path, None, None, (), problem)])
    theirs = docx.Document(io.BytesIO(data))
    word = docx.Document(str(builtin))
    ours_styles, their_styles = word.styles.element, theirs.styles.element
    defaults = their_styles.find(qn("w:docDefaults"))
    if defaults is not None:
        old = ours_styles.find(qn("w:docDefaults"))
        if old is not None:
            ours_styles.replace(old, copy.deepcopy(defaults))
    by_id = {style.get(qn("w:styleId")): style for style in ours_styles.findall(qn("w:style"))}
    for style in their_styles.findall(qn("w:style")):
        if style.get(qn("w:type")) not in ("paragraph", "character"):
            continue
        taken = copy.deepcopy(style)
        for numbering in taken.iter(qn("w:numPr")):  # numbering definitions are not carried
            numbering.getparent().remove(numbering)
        old = by_id.get(style.get(qn("w:styleId")))
        if old is not None:
            ours_styles.replace(old, taken)
        else:
            ours_styles.append(taken)
    source, target = theirs.sections[0], word.sections[0]
    for name in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin",
                 "right_margin", "header_distance", "footer_distance", "orientation"):
        value = getattr(source, name)
        if value is not None:
            setattr(target, name, value)
    word._chancery_artwork = (pictures(source.header), pictures(source.footer))
    return word


def pictures(part) -> list[tuple[object, dict[str, bytes]]]:
    """Return each picture (w:drawing) in a header or footer, copied, with the image bytes of
    each relationship it refers to, by relationship id."""
    from docx.oxml.ns import qn

    if part.is_linked_to_previous:
        return []
    found = []
    for drawing in part._element.iter(qn("w:drawing")):
        images = {}
        for blip in drawing.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
            rid = blip.get(qn("r:embed"))
            if rid and rid in part.part.rels and not part.part.rels[rid].is_external:
                images[rid] = part.part.rels[rid].target_part.blob
        found.append((copy.deepcopy(drawing), images))
    return found


def add_artwork(word) -> None:
    """Put the reference file's header and footer pictures back into the written default
    header and footer, in a paragraph of their own: above the header's lines, below the
    footer's."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    artwork = getattr(word, "_chancery_artwork", None)
    if not artwork:
        return
    section = word.sections[0]
    for part, found, first in zip((section.header, section.footer), artwork, (True, False)):
        if not found:
            continue
        if part.is_linked_to_previous:
            part.is_linked_to_previous = False
        paragraph = OxmlElement("w:p")
        for drawing, images in found:
            for blip in drawing.iter(
                    "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
                rid = blip.get(qn("r:embed"))
                if rid in images:
                    new_rid, _ = part.part.get_or_add_image(io.BytesIO(images[rid]))
                    blip.set(qn("r:embed"), new_rid)
            run = OxmlElement("w:r")
            run.append(drawing)
            paragraph.append(run)
        if first:
            part._element.insert(0, paragraph)
        else:
            part._element.append(paragraph)
