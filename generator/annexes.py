"""Annexes: the PDF, PNG and JPEG files a pack attaches, checked before anything is built."""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .archive import sha256
from .files import ANNEX_FILE, UnreadableFile, check_regular, read_regular
from .problems import InputError, Path, Problem

if TYPE_CHECKING:
    import pikepdf
    from PIL import Image

    from .document import Annex as AnnexBlock, Document
    from .inputs import LoadedMeeting
    from .meeting import Annex as AnnexInput, Meeting
    from .source import Source

EXTENSIONS = {".pdf": "pdf", ".png": "image", ".jpg": "image", ".jpeg": "image"}
"""The file name endings an annex may have, and what each promises: a PDF or an image."""

SECTIONS = ("briefing", "agenda_pack")
"""The sections of a meeting file that may list annexes, each under its field "annexes"."""

_SIGNATURES = (
    (b"%PDF-", "a PDF file"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"), (b"PK\x03\x04", "a ZIP archive (such as a .docx or .xlsx file)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"), (b"{\\rtf", "an RTF document"),
)
"""How the first bytes of a file tell what it is, for the messages about a file of the wrong
kind."""


class AnnexProblem(Exception):
    """What makes a file unusable as an annex, in words that follow its name."""


@dataclass(frozen=True)
class AnnexFile:
    """An annex file as inspected: what it is and how it prints."""

    path: FilePath
    """The absolute path."""
    kind: str
    """"pdf", "png" or "jpeg", by the file's content."""
    pages: int
    """The PDF's page count; 1 for an image."""
    sha256: str
    """The SHA-256 of the file's bytes, in hex."""
    size: int
    """The file's size, in bytes."""


@dataclass(frozen=True)
class AnnexLine:
    """An annex as templates print it: numbered, titled and described."""

    number: str
    """The annex's number in Roman numerals: "I", "II"..."""
    title: str
    """The annex's title, in the document's language."""
    name: str
    """The file's name, without its folder."""
    path: str
    """The file's absolute path, for the document XML."""
    kind: str
    """"pdf", "png" or "jpeg"."""
    pages: int
    """The PDF's page count; 1 for an image."""
    sha256: str
    """The SHA-256 of the file's bytes, in hex."""


def roman(number: int) -> str:
    """Return a number from 1 to 3999 in Roman numerals: 4 is "IV", 14 "XIV"."""
    if not 1 <= number <= 3999:
        raise ValueError(f"{number} has no Roman numeral")
    text = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        text += letters * count
    return text


# --- inspecting a file ------------------------------------------------------------------------


def inspect_annex(path: FilePath) -> AnnexFile:
    """Return what the annex file at the absolute path is; raise AnnexProblem saying why it
    cannot be attached: a name that is not .pdf, .png, .jpg or .jpeg, no such file, a file that
    cannot be read, is empty, is not what its name says, is damaged, is encrypted or has no
    pages. A file is read once per process while it keeps its size and modification time."""
    expected = EXTENSIONS.get(path.suffix.lower())
    if expected is None:
        ending = f"a {path.suffix} file" if path.suffix else "a file without an extension"
        raise AnnexProblem(f"is {ending}; an annex must be a PDF file (.pdf) or a PNG or JPEG "
                           "image (.png, .jpg, .jpeg)")
    try:
        check_regular(path, limit=ANNEX_FILE, what="an annex")
        status = path.stat()
    except UnreadableFile as error:
        if error.reason == "no such file":
            raise AnnexProblem(f"does not exist (looked for {path})") from None
        raise AnnexProblem(error.reason) from None
    found = _inspect(str(path), status.st_mtime_ns, status.st_size)
    if isinstance(found, str):
        raise AnnexProblem(found)
    if (found.kind == "pdf") != (expected == "pdf"):
        what = "a PDF file" if found.kind == "pdf" else f"a {found.kind.upper()} image"
        raise AnnexProblem(f"is {what}, not {'a PDF file' if expected == 'pdf' else 'an image'} "
                           f"as its name says; rename it to end in "
                           f"{ {'pdf': '.pdf', 'png': '.png', 'jpeg': '.jpg'}[found.kind]}")
    return found


@lru_cache(maxsize=64)
def _inspect(name: str, _mtime: int, _size: int) -> AnnexFile | str:
    """Return the file inspected, or what is wrong with it (cached while it is unchanged)."""
    path = FilePath(name)
    try:
        data = read_regular(path, limit=ANNEX_FILE, what="an annex")
    except UnreadableFile as error:
        return error.reason
    if not data:
        return "is empty"
    digest = sha256(data)
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            _check_image(data, "PNG")
            return AnnexFile(path, "png", 1, digest, len(data))
        if data.startswith(b"\xff\xd8\xff"):
            _check_image(data, "JPEG")
            return AnnexFile(path, "jpeg", 1, digest, len(data))
        if b"%PDF-" in data[:1024]:
            return AnnexFile(path, "pdf", _pdf_pages(data), digest, len(data))
    except AnnexProblem as problem:
        return str(problem)
    kind = next((what for start, what in _SIGNATURES if data.startswith(start)), None)
    if kind is None and _looks_like_text(data[:512]):
        kind = "a text file"
    return (f"is not a PDF file or a PNG or JPEG image (it is {kind})" if kind else
            "is not a PDF file or a PNG or JPEG image (its content is of no kind chancery knows)")


def _looks_like_text(head: bytes) -> bool:
    """Return whether the bytes read as UTF-8 text without control characters."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head[:-3].decode("utf-8", "replace")  # the cut may split a character
    return all(char.isprintable() or char in "\t\r\n" for char in text)


def _check_image(data: bytes, kind: str) -> None:
    """Raise AnnexProblem unless the PNG or JPEG image decodes whole."""
    from PIL import Image

    size = _image_size(data, kind)
    if size is None:
        raise AnnexProblem(f"is a damaged {kind} image (its header cannot be read)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Image.DecompressionBombError:
        raise AnnexProblem(f"is too large an image to attach ({size[0]} x {size[1]} pixels)"
                           ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise AnnexProblem(f"is a damaged {kind} image ({error})") from None


def _image_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """Return the image's (width, height) in pixels as its PNG or JPEG header gives them, or
    None if the header cannot be read."""
    if kind == "PNG":
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            position += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(data[position + 2:position + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            height = int.from_bytes(data[position + 5:position + 7], "big")
            width = int.from_bytes(data[position + 7:position + 9], "big")
            return (width, height) if width and height else None
        position += 2 + length
    return None


def _pdf_pages(data: bytes) -> int:
    """Return the PDF's page count; raise AnnexProblem if it is damaged beyond reading,
    encrypted or has no pages."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise AnnexProblem("is an encrypted PDF file; attach a copy saved without "
                                   "encryption")
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        raise AnnexProblem("is an encrypted PDF file (it needs a password to open); attach a "
                           "copy saved without encryption") from None
    except pikepdf.PdfError as error:
        raise AnnexProblem(f"is a damaged PDF file ({error})") from None
    if not pages:
        raise AnnexProblem("is a PDF file without pages")
    return pages


# --- the meeting file's annexes -----------------------------------------------------------------


def annex_fields(meeting: Meeting) -> Iterator[tuple[Path, AnnexInput]]:
    """Yield (path of the file field, annex) for every annex the meeting lists."""
    for section in SECTIONS:
        part = getattr(meeting, section, None)
        for index, annex in enumerate(getattr(part, "annexes", None) or ()):
            yield (section, "annexes", index, "file"), annex


def resolve_annexes(meeting: Meeting, source: Source) -> tuple[Meeting, list[Problem]]:
    """Return the meeting with every annex's file an absolute path, found relative to the
    meeting file, and a problem for each annex file that cannot be attached."""
    folder = FilePath(os.path.abspath(source.name)).parent
    problems, changed = [], {}
    for path, annex in annex_fields(meeting):
        if annex.file.endswith(("/", "\\")) or "\0" in annex.file:  # a NUL is reported as a
            if "\0" not in annex.file:                                # control character
                problems.append(source.problem(path, f"'{annex.file}' ends in a folder "
                                                     "separator; name the file itself"))
            changed[path] = annex.file
            continue
        absolute = FilePath(os.path.abspath(folder / os.path.expanduser(annex.file)))
        try:
            inspect_annex(absolute)
        except AnnexProblem as problem:
            problems.append(source.problem(path, f"'{annex.file}' {problem}"))
        changed[path] = str(absolute)
    if not changed:
        return meeting, problems
    updates = {}
    for section in SECTIONS:
        part = getattr(meeting, section, None)
        if part is None or not part.annexes:
            continue
        annexes = [annex.model_copy(update={"file": changed[section, "annexes", index, "file"]})
                   for index, annex in enumerate(part.annexes)]
        updates[section] = part.model_copy(update={"annexes": annexes})
    return meeting.model_copy(update=updates), problems


def annex_lines(annexes: Iterable[AnnexInput]) -> list[AnnexLine]:
    """Return the annexes as printed, numbered I, II, III... in the order given."""
    lines = []
    for number, annex in enumerate(annexes, 1):
        try:
            found = inspect_annex(FilePath(os.path.abspath(annex.file)))
        except AnnexProblem as problem:  # checked when loaded; changed since
            raise InputError([Problem(annex.file, None, None, (), f"{problem}; it changed after "
                                                                  "it was checked, build again")]
                             ) from None
        lines.append(AnnexLine(roman(number), str(annex.title), found.path.name, str(found.path),
                               found.kind, found.pages, found.sha256))
    return lines


def opaque_image(image: Image.Image) -> Image.Image:
    """Return the image in grey or RGB (the output intent is sRGB), painted on white where it
    has transparency (PDF/A-1 has none) and 16-bit grey brought to 8 bits."""
    from PIL import Image

    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        painted = image.convert("RGBA")
        image = Image.new("RGB", painted.size, "white")
        image.paste(painted, mask=painted.getchannel("A"))
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    return image


def read_annex(annex: AnnexBlock) -> bytes:
    """Return the bytes of an annex block's file; raise InputError if it is no longer the file
    the document was made with (changed, removed or replaced after it was checked)."""
    try:
        data = read_regular(annex.path, limit=ANNEX_FILE, what="an annex")
    except UnreadableFile as error:
        data, reason = None, error.reason
    if data is None or sha256(data) != annex.sha256:
        reason = "changed" if data is not None else reason
        raise InputError([Problem(annex.path, None, None, (), (
            f"{reason}; the annex changed while the documents were being made, build again"))])
    return data


# --- PDF/A --------------------------------------------------------------------------------------


def open_annex_pdf(data: bytes) -> pikepdf.Pdf:
    """Return the annex PDF opened, each page's printable annotations (form fields filled in,
    stamps, comments) made part of its content, as the pack prints it."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    try:
        pdf.generate_appearance_streams()
        pdf.flatten_annotations("print")
    except pikepdf.PdfError:
        pass  # annotations qpdf cannot flatten are left out, as every other annotation is
    return pdf


def archival_problems(path: FilePath, level: str) -> list[str]:
    """Return what keeps the pages of the annex PDF from being part of a PDF/A file at the
    level ("1b" or "2b"), one readable problem each; empty if nothing does.

    Only what the pack takes from the annex is checked: each page's content and resources.
    Its scripts, links, attachments and document-level settings are not carried over.
    """
    status = path.stat()
    return list(_archival_problems(str(path), status.st_mtime_ns, status.st_size, level))


@lru_cache(maxsize=64)
def _archival_problems(name: str, _mtime: int, _size: int, level: str) -> tuple[str, ...]:
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    from .pdfa import font_problems, transparency_problems

    problems: list[str] = []
    with open_annex_pdf(read_regular(name, limit=ANNEX_FILE, what="an annex")) as pdf:
        roots: list[Any] = []
        for page in pdf.pages:
            resources = _inherited(page.obj, "/Resources")
            if resources is not None:
                roots.append(resources)
            if "/Group" in page.obj:
                roots.append(Dictionary(Group=page.obj.Group))
        dictionaries, streams = _reachable(roots)
        problems += font_problems(dictionaries)
        if level == "1b":
            problems += transparency_problems(dictionaries)
        for dictionary in dictionaries:
            filters = dictionary.get("/Filter")
            filters = list(filters) if isinstance(filters, Array) else [filters]
            if Name.LZWDecode in filters:
                problems.append("it uses LZW compression, which PDF/A forbids")
            if level == "1b" and Name.JPXDecode in filters:
                problems.append("it has a JPEG 2000 image, which PDF/A-1 forbids")
            if level == "1b" and dictionary.get("/BitsPerComponent") == 16:
                problems.append("it has a 16-bit image, which PDF/A-1 forbids")
            if level == "1b" and ("/OC" in dictionary
                                  or dictionary.get("/Type") in (Name.OCG, Name.OCMD)):
                problems.append("it has optional content (layers), which PDF/A-1 forbids")
            if dictionary.get("/Interpolate") is True:
                problems.append("it has an image to be interpolated, which PDF/A forbids")
            if dictionary.get("/Subtype") == Name.PS:
                problems.append("it has a PostScript XObject, which PDF/A forbids")
            if "/TR" in dictionary:
                problems.append("it has a transfer function (/TR), which PDF/A forbids")
            if any(_cmyk(dictionary.get(key)) for key in ("/ColorSpace", "/CS")) or (
                    isinstance(dictionary.get("/ColorSpace"), Dictionary)
                    and any(map(_cmyk, dictionary.ColorSpace.values()))):
                problems.append(CMYK)
        if level == "1b" and any(_icc_version(stream) > 2 for stream in streams):
            problems.append("it has an ICC colour profile of version 4, which PDF/A-1 forbids")
        contents = [page.obj for page in pdf.pages] + [
            stream for stream in streams if stream.get("/Subtype") == Name.Form]
        for content in contents:
            try:
                if pikepdf.parse_content_stream(content, "k K"):
                    problems.append(CMYK)
                    break
            except pikepdf.PdfError:
                problems.append("a page's content cannot be read")
                break
    return tuple(dict.fromkeys(problems))


CMYK = ("it uses CMYK colour (DeviceCMYK), which PDF/A allows only in a file whose output "
        "intent is CMYK (the pack's is sRGB)")


def _icc_version(stream: Any) -> int:
    """Return the major version of an ICC profile stream, or 0 for any other stream."""
    import pikepdf

    if "/N" not in stream.stream_dict:
        return 0
    try:
        head = stream.read_bytes()[:40]
    except pikepdf.PdfError:  # a stream qpdf cannot decode is no profile it could check
        return 0
    return head[8] if len(head) == 40 and head[36:40] == b"acsp" else 0


def _inherited(page: Any, key: str) -> Any:
    """Return the page's entry, or the nearest ancestor's for an inheritable key."""
    node, depth = page, 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        node, depth = node.get("/Parent"), depth + 1
    return None


def _reachable(roots: list[Any]) -> tuple[list[Any], list[Any]]:
    """Return every dictionary (stream dictionaries too) and every stream reachable from the
    roots, not going up to a parent or over to annotations."""
    from pikepdf import Stream

    from .pdfa import reachable

    items = list(reachable(roots, skip=("/Parent", "/P")))
    return ([item.stream_dict if isinstance(item, Stream) else item for item in items],
            [item for item in items if isinstance(item, Stream)])


def _cmyk(value: Any) -> bool:
    """Return whether a colour space is DeviceCMYK or is based on it."""
    from pikepdf import Array, Name

    if value == Name.DeviceCMYK:
        return True
    return isinstance(value, Array) and any(item == Name.DeviceCMYK for item in value)


def check_archival_annexes(loaded: LoadedMeeting, documents: Iterable[Document],
                           level: str) -> None:
    """Raise InputError naming every annex field whose PDF the documents attach and whose pages
    cannot be part of a PDF/A file at the level; nothing for level "none"."""
    if level == "none":
        return
    used = {block.path for document in documents for block in annex_blocks(document.blocks)
            if block.kind == "pdf"}
    problems = []
    for path, annex in annex_fields(loaded.meeting):
        if annex.file not in used:
            continue
        found = archival_problems(FilePath(annex.file), level)
        if found:
            shown = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3
                                            else "")
            problems.append(loaded.source.problem(path, (
                f"'{_as_written(loaded.source, path, annex.file)}' cannot be part of a "
                f"PDF/A-{level} file: {shown}; build with --pdfa none to attach it to a plain "
                "PDF, or attach a PDF/A copy of it")))
    if problems:
        raise InputError(sorted(problems, key=lambda problem: (problem.line or 0,
                                                               problem.column or 0)))


def annex_blocks(blocks: Iterable[Any]) -> Iterator[Any]:
    """Yield every Annex block among the blocks, in parts and table cells too."""
    from .document import Annex, Parallel, Part, Table

    for block in blocks:
        if isinstance(block, Annex):
            yield block
        elif isinstance(block, Part):
            yield from annex_blocks(block.blocks)
        elif isinstance(block, Parallel):
            for cell in block.cells:
                yield from annex_blocks(cell.blocks)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from annex_blocks(cell.blocks)


def _as_written(source: Source, path: Path, default: str) -> str:
    """Return the value at the path of the source's data as the file gives it, or default."""
    value: Any = source.data
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return default
    return value if isinstance(value, str) else default
