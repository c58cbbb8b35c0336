"""The house style file: emblem, letterhead, font, sizes, colours, margins and paper, checked."""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Annotated

from pydantic import Field, ValidationError

from .document import Emblem, HouseStyle
from .files import MB, UnreadableFile, read_regular
from .meeting import LanguageCode, Model, Paper, PdfEngine
from .problems import InputError, Path, Problem
from .source import Source, read_source

STYLE_FILE = 1 * MB
"""The largest house style (YAML) file."""
EMBLEM_FILE = 2 * MB
"""The largest emblem file: a real one takes a few KB as SVG, some hundred KB as PNG."""
FONT_FILE = 32 * MB
"""The largest font file."""
REFERENCE_FILE = 16 * MB
"""The largest reference Word file, and the most its parts may take uncompressed."""
SVG_ELEMENTS = 5000
"""The most elements an SVG emblem may have."""

Colour = Annotated[str, Field(pattern=r"^#?[0-9A-Fa-f]{6}$",
                              description="A colour as hex RGB, e.g. '#1F3A5F'.")]
Millimetres = Annotated[float, Field(ge=10, le=60, description="A margin, in mm (10 to 60).")]
Line = Annotated[str, Field(min_length=1, max_length=200)]


class Issuer(Model):
    """The issuing body as its letterhead names it."""

    name: Line | dict[LanguageCode, Line] = Field(description=(
        "The issuing body's name, e.g. 'Secretariat of the Almaty Process', or one per language: "
        "{en: Secretariat of the Solmera Process, fr: Secrétariat du Processus de Solmera}; a "
        "language not given takes the first one."))
    address: list[Line] = Field(default_factory=list, max_length=6, description=(
        "The address lines printed under the name, e.g. ['1 Harbour Row', 'Port-Aurèle']."))


class Fonts(Model):
    """The four faces of the body font, as TrueType or OpenType files."""

    regular: str = Field(description="The regular face's file.")
    bold: str = Field(description="The bold face's file.")
    italic: str = Field(description="The italic face's file.")
    bold_italic: str = Field(description="The bold italic face's file.")


class Colours(Model):
    """The colours of the house style."""

    heading: Colour = Field("#000000", description="Titles and headings.")
    rule: Colour = Field("#000000", description="The letterhead's rule and table grid lines.")


class Margins(Model):
    """The page margins."""

    top: Millimetres = 25.0
    right: Millimetres = 25.0
    bottom: Millimetres = 25.0
    left: Millimetres = 25.0


class StyleFile(Model):
    """A house style file: what every document of a secretariat looks like."""

    emblem: str | None = Field(None, description=(
        "The emblem or logo (PNG, JPEG or SVG) in the style file's folder, printed on covers "
        "and in the letterhead."))
    emblem_width: float = Field(25.0, ge=8, le=80, description="The emblem's printed width, in "
                                                               "mm (8 to 80).")
    issuer: Issuer | None = Field(None, description="The issuing body's name and address, "
                                                    "printed in the letterhead.")
    font: Fonts | None = Field(None, description="The body font's four faces; the bundled Noto "
                                                 "Serif without it.")
    size: float = Field(11.0, ge=8, le=14, description="The body text's size, in pt (8 to 14).")
    colours: Colours = Field(default_factory=lambda: Colours(), description="Colours.")
    margins: Margins = Field(default_factory=lambda: Margins(), description="Page margins, in mm.")
    paper: Paper | None = Field(None, description="A4 or Letter; a meeting file's own paper "
                                                  "and --paper win.")
    reference_docx: str | None = Field(None, description=(
        "A Word file (.docx) whose paragraph and character styles, page size, margins and "
        "header and footer artwork the DOCX files use."))
    pdf_engine: PdfEngine | None = Field(None, description=(
        "What sets the PDFs of every meeting in this style: 'reportlab' or 'typst'; a meeting "
        "file's own pdf_engine and --pdf-engine win."))


@dataclass(frozen=True)
class LoadedStyle:
    """A valid house style and the paper it asks for."""

    house: HouseStyle
    """The style as writers read it."""
    paper: str | None
    """"A4" or "Letter", or None when the file does not say."""
    issuers: dict[str, tuple[str, ...]] | None = None
    """The letterhead's lines by language, when the issuer's name is given per language."""
    pdf_engine: str | None = None
    """The PDF engine the style asks for, or None when the file does not say."""


def load_house_style(name: str) -> LoadedStyle:
    """Return the house style in the file; raise InputError listing every problem found."""
    source = read_source(name, limit=STYLE_FILE, what="a house style file")
    problems = list(source.problems)
    try:
        style = StyleFile.model_validate(source.data)
    except ValidationError as error:
        from .inputs import _type_problems

        raise InputError(problems + list(_type_problems(error, source))) from None
    folder = FilePath(os.path.abspath(name)).parent
    emblem = font = reference = None
    if style.emblem is not None:
        emblem = _emblem(source, folder, style.emblem, style.emblem_width, problems)
    if style.font is not None:
        font = _fonts(source, folder, style.font, problems)
    if style.reference_docx is not None:
        reference = _reference(source, folder, style.reference_docx, problems)
    if problems:
        raise InputError(problems)
    issuers = None
    if style.issuer and isinstance(style.issuer.name, dict):
        issuers = {language: (name, *style.issuer.address)
                   for language, name in style.issuer.name.items()}
        issuer = next(iter(issuers.values()))
    else:
        issuer = (style.issuer.name, *style.issuer.address) if style.issuer else ()
    house = HouseStyle(
        emblem=emblem, issuer=issuer, font=font, size=style.size,
        heading_colour=style.colours.heading.lstrip("#").upper(),
        rule_colour=style.colours.rule.lstrip("#").upper(),
        margins=(style.margins.top, style.margins.right, style.margins.bottom, style.margins.left),
        reference_docx=reference)
    return LoadedStyle(house, style.paper.value if style.paper else None, issuers,
                       style.pdf_engine.value if style.pdf_engine else None)


def _file(source: Source, folder: FilePath, written: str, path: Path, limit: int, what: str,
          problems: list[Problem], inside: bool = False) -> tuple[str, bytes] | None:
    """Return the absolute path and bytes of a file named in the style file, relative to its
    folder; None, with a problem, if it cannot be read (or lies outside the folder, if inside)."""
    absolute = os.path.abspath(folder / os.path.expanduser(written))
    if inside and not os.path.realpath(absolute).startswith(os.path.realpath(folder) + os.sep):
        problems.append(source.problem(path, f"'{written}' is outside the style file's folder; "
                                             "put the emblem beside the style file"))
        return None
    try:
        return absolute, read_regular(absolute, limit=limit, what=what)
    except UnreadableFile as error:
        problems.append(source.problem(path, f"'{written}' {error.reason}"))
        return None


def _emblem(source: Source, folder: FilePath, written: str, width: float,
            problems: list[Problem]) -> Emblem | None:
    """Return the emblem, checked; None, with a problem, if it cannot be printed."""
    ending = FilePath(written).suffix.lower()
    kind = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}.get(ending)
    if kind is None:
        problems.append(source.problem(("emblem",), f"'{written}' is not a PNG, JPEG or SVG "
                                                    "file (.png, .jpg, .svg)"))
        return None
    found = _file(source, folder, written, ("emblem",), EMBLEM_FILE, "an emblem", problems,
                  inside=True)
    if found is None:
        return None
    absolute, data = found
    try:
        if kind == "svg":
            svg_drawing(data)
        else:
            from .annexes import AnnexProblem, _check_image

            try:
                _check_image(data, kind.upper())
            except AnnexProblem as error:
                raise ValueError(str(error)) from None
    except ValueError as error:
        problems.append(source.problem(("emblem",), f"'{written}' {error}"))
        return None
    return Emblem(absolute, kind, hashlib.sha256(data).hexdigest(), width)


def svg_drawing(data: bytes):
    """Return the SVG as a reportlab Drawing; raise ValueError if it declares a DTD or
    entities, refers to any other file or address, has too many elements or cannot be drawn."""
    import defusedxml.ElementTree as SafeTree
    from defusedxml import DefusedXmlException

    try:
        root = SafeTree.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                   forbid_external=True)
    except DefusedXmlException:
        raise ValueError("declares a DTD or entities, which an emblem may not") from None
    except SafeTree.ParseError as error:
        raise ValueError(f"is not a well-formed SVG file ({error})") from None
    if not root.tag.endswith("svg"):
        raise ValueError("is not an SVG file (its root element is not <svg>)")
    elements = list(root.iter())
    if len(elements) > SVG_ELEMENTS:
        raise ValueError(f"has more than {SVG_ELEMENTS} elements; simplify the emblem")
    for element in elements:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("image", "use", "script", "foreignObject", "feImage") and any(
                key.endswith("href") and not value.startswith("#")
                for key, value in element.attrib.items()) or tag in ("script", "foreignObject"):
            raise ValueError(f"has a <{tag}> that refers to another file or address; an emblem "
                             "must be drawn wholly in its own file")
        texts = [*element.attrib.values(), element.text or ""] if tag == "style" else [
            value for key, value in element.attrib.items() if key == "style" or "url(" in value]
        if any("@import" in text or _outside_url(text) for text in texts):
            raise ValueError(f"has a <{tag}> whose style refers to another file or address; an "
                             "emblem must be drawn wholly in its own file")
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(io.BytesIO(data))
    except Exception as error:  # svglib raises what its parser and converters raise
        raise ValueError(f"cannot be drawn ({type(error).__name__})") from None
    if drawing is None or not drawing.width or not drawing.height:
        raise ValueError("cannot be drawn (it has no width and height)")
    return drawing


def _outside_url(text: str) -> bool:
    """Return whether a style text has a url(...) that is not a reference inside the file."""
    import re

    return any(not target.strip("'\" ").startswith("#")
               for target in re.findall(r"url\(([^)]*)\)", text))


def _fonts(source: Source, folder: FilePath, fonts: Fonts,
           problems: list[Problem]) -> tuple[str, str, str, str] | None:
    """Return the absolute paths of the four faces, checked; None, with problems, if any face
    cannot be embedded."""
    paths = []
    for role in ("regular", "bold", "italic", "bold_italic"):
        written = getattr(fonts, role)
        path = ("font", role)
        found = _file(source, folder, written, path, FONT_FILE, "a font file", problems)
        if found is None:
            continue
        absolute, data = found
        problem = font_problem(data)
        if problem:
            problems.append(source.problem(path, f"'{written}' {problem}"))
            continue
        paths.append(absolute)
    return tuple(paths) if len(paths) == 4 else None


def font_problem(data: bytes) -> str | None:
    """Return why the font file cannot be embedded in a PDF, or None if it can."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(data), lazy=True, fontNumber=0)
        tables = set(font.keys())
    except (TTLibError, OSError, ValueError, AssertionError, KeyError, IndexError, EOFError):
        return "is not a TrueType or OpenType font file"
    if "glyf" not in tables:
        if "CFF " in tables or "CFF2" in tables:
            return ("has PostScript (CFF) outlines, which PDF files made by chancery cannot "
                    "embed; use the TrueType (.ttf) version of the font")
        return "has no glyph outlines"
    os2 = font["OS/2"] if "OS/2" in tables else None
    if os2 is not None and os2.fsType & 0x000F == 0x0002:
        return "forbids embedding (its licence is 'restricted'); choose another font"
    from reportlab.pdfbase.ttfonts import TTFont as PdfFont, TTFError

    try:
        PdfFont("chancery-check", io.BytesIO(data))
    except (TTFError, ValueError, KeyError, IndexError, AssertionError) as error:
        return f"cannot be embedded ({error})"
    return None


def _reference(source: Source, folder: FilePath, written: str,
               problems: list[Problem]) -> str | None:
    """Return the absolute path of the reference Word file, checked; None, with a problem, if
    it is not one chancery can read."""
    path = ("reference_docx",)
    found = _file(source, folder, written, path, REFERENCE_FILE, "a reference Word file",
                  problems)
    if found is None:
        return None
    absolute, data = found
    from .reference import reference_problem

    problem = reference_problem(data)
    if problem:
        problems.append(source.problem(path, f"'{written}' {problem}"))
        return None
    return absolute


def house_of(meeting_file: str, written: str | None, given: str | None) -> LoadedStyle | None:
    """Return the house style given on the command line, else the one the meeting file names
    (relative to it), else None; raise InputError for either file's problems."""
    if given:
        return load_house_style(given)
    if written:
        return load_house_style(os.path.join(os.path.dirname(os.path.abspath(meeting_file)),
                                             os.path.expanduser(written)))
    return None


def reference_of(name: str) -> str:
    """Return the absolute path of a reference Word file named on the command line; raise
    InputError if chancery cannot use it."""
    try:
        data = read_regular(name, limit=REFERENCE_FILE, what="a reference Word file")
    except UnreadableFile as error:
        raise InputError(error.problems) from None
    from .reference import reference_problem

    problem = reference_problem(data)
    if problem:
        raise InputError([Problem(name, None, None, (), problem)])
    return os.path.abspath(name)


def font_cannot_print(paths: tuple[str, ...], text: str) -> list[str]:
    """Return the distinct characters of text that one of the house font's faces lacks, in
    order of appearance (white space and line ends are layout)."""
    printable = _printable(paths)
    return [char for char in dict.fromkeys(text)
            if ord(char) not in printable and not char.isspace()]


@lru_cache(maxsize=4)
def _printable(paths: tuple[str, ...]) -> frozenset[int]:
    """Return the code points every face of the house font maps to a glyph."""
    from fontTools.ttLib import TTFont

    from .fonts import _file_bytes

    common: set[int] | None = None
    for path in paths:
        cmap = set(TTFont(io.BytesIO(_file_bytes(path)), lazy=True).getBestCmap() or {})
        common = cmap if common is None else common & cmap
    return frozenset(common or ())
