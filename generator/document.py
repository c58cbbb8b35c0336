"""The document model: the one format-neutral tree between templates and writers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of inline text printed in one face."""

    text: str
    """The characters exactly as they print; "\\n" is a line break."""
    bold: bool = False
    """Printed in the bold face."""
    italic: bool = False
    """Printed in the italic face."""
    superscript: bool = False
    """Raised and smaller, as a footnote number is."""
    language: str | None = None
    """The BCP 47 tag of the run's language when it is not its paragraph's, such as a text
    printed in a fallback language; None for the paragraph's own."""


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote where it is referred to; the notes transform replaces it by its number (a
    superscript Run) and prints its text at the end of the document, so writers never see it."""

    text: str
    """The footnote's text."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    runs: tuple[Run, ...]
    """The paragraph's text, in order."""
    style: str = "Body"
    """A style name both writers know (see STYLES)."""
    number: str | None = None
    """The printed number ("1.", "1.1", "(a)", "(ii)"), set by the numbering transform; None
    prints none."""
    numbering: str = "decimal"
    """How the numbering transform numbers it: "decimal" (1., 1.1), "letter" ((a), (b)) or
    "roman" ((i), (ii)); letters and roman numerals start again under each paragraph."""
    level: int = 0
    """Nesting depth for indentation and numbering: 0 is the outermost."""
    keep_with_next: bool = False
    """Keep this paragraph on the same page as the next block."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading that opens a part of the document and appears in its contents."""

    runs: tuple[Run, ...]
    """The heading's text, in order."""
    level: int = 1
    """1 for a part, 2 for a section inside it, 3 below that."""
    anchor: str = ""
    """A name unique in the document that contents entries and bookmarks point to."""
    page_break: bool = False
    """Start the heading on a new page."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a table."""

    blocks: tuple[Block, ...]
    """The cell's content; an empty tuple is an empty cell."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a table."""

    cells: tuple[Cell, ...]
    """The row's cells, left to right; as many as the table has columns."""
    header: bool = False
    """A header row: printed in the header style and repeated at the top of every page."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose rows may break across pages but are never split themselves."""

    widths: tuple[float, ...]
    """Relative column widths; the writer scales them to the text width."""
    rows: tuple[Row, ...]
    """Header rows first, then body rows."""


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """One signatory's block: the party line, a line to sign on, the name and the title."""

    party: str
    """The printed party line, such as "For the Republic of Azerbaijan"; in an edition of
    several languages one line per language, separated by "\\n"."""
    name: str
    """The signatory's name ("\\n" between its spellings where languages differ); empty when
    not yet known."""
    title: str
    """The signatory's title ("\\n" between its languages); empty when not yet known."""
    note: str = ""
    """A footnote the party's name carries, until the notes transform numbers it; then empty."""
    mark: str = ""
    """The number of the party's footnote, printed raised after the party line; empty for none."""
    key: str = ""
    """What names the party in every language edition, such as its id "AZE": a side-by-side
    edition joins the editions' blocks of one key into one block; never printed."""


@dataclass(frozen=True, slots=True)
class Signatures:
    """The signature blocks of a signing page, set in a grid of equally wide columns across the
    text width, row after row; a row is never split, and the last two rows share a page, so that
    no page holds a single block where the blocks can be balanced."""

    blocks: tuple[SignatureBlock, ...]
    """The blocks in reading order: left to right, then row after row."""
    columns: int = 2
    """The number of blocks side by side in a row."""


@dataclass(frozen=True, slots=True)
class Parallel:
    """The same text in several languages side by side, one column per language.

    The columns start level with each other; a row taller than the rest of the page continues on
    the next one, except a row holding signature blocks, which is never split. A row whose first
    column ends with a keep-with-next paragraph stays on the page of the next block.
    """

    cells: tuple[Cell, ...]
    """One cell per language, left to right, equally wide."""
    languages: tuple[str, ...]
    """The BCP 47 language tag of each cell's text, such as ("en", "ru")."""


@dataclass(frozen=True, slots=True)
class Part:
    """A stretch of a document in one language, such as one edition of a document that gives
    its languages one after the other: its text is hyphenated and proofed in that language."""

    blocks: tuple[Block, ...]
    """The part's blocks, in reading order."""
    language: str
    """The BCP 47 language tag of the part's text, such as "ru"."""


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start the next block on a new page."""


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """One line of a contents list."""

    text: str
    """The heading's text."""
    level: int
    """The heading's level."""
    anchor: str
    """The anchor of the heading it points to."""
    page: int | None = None
    """The page the heading is on (1 is the first), set from the laid-out PDF by
    transforms.fill_pages for the DOCX writer; None until then (the PDF writer finds its own)."""


@dataclass(frozen=True, slots=True)
class Contents:
    """A contents list, filled by the contents transform from the headings after it."""

    entries: tuple[ContentsEntry, ...] = ()
    """The entries in document order; empty until the transform runs."""


@dataclass(frozen=True, slots=True)
class Annex:
    """A file attached to the document, set after its cover sheet: each page of a PDF, or an
    image, on a page of its own that carries the page furniture; the file's own text is not
    part of the model."""

    path: str
    """The file's absolute path."""
    kind: str
    """"pdf", "png" or "jpeg"."""
    pages: int
    """The pages it takes: the PDF's page count, 1 for an image."""
    sha256: str
    """The SHA-256 of the file's bytes, in hex: a writer refuses a file that no longer has it."""


Block = (Paragraph | Heading | Table | Parallel | Part | SignatureBlock | Signatures | PageBreak
         | Contents | Annex)

STYLES = (
    "Body", "Title", "Subtitle", "Status", "Centered", "Preamble", "Operative", "Bullet",
    "Small", "Cover Title", "Cover Line", "Table Text", "Table Header", "Note",
    "Signature Party", "Signature", "Footnote", "Testimonium", "Document Title",
)
"""Paragraph style names; both writers define each one (headings use "Heading 1".."Heading 3")."""


@dataclass(frozen=True, slots=True)
class PageSettings:
    """What is printed around the body of every page."""

    size: str = "A4"
    """"A4" or "Letter"."""
    header: str = ""
    """The running header, usually the title or the document symbol."""
    marking: str | None = None
    """A status line such as "DRAFT · Version 0.3 · 12 October 2023" on every page; None for none."""
    watermark: str | None = None
    """A large light word across every page, such as "DRAFT"; None for none."""
    classification: str | None = None
    """A classification such as "RESTRICTED", printed in the header and footer; None for none."""
    page_label: str = "Page {page} of {pages}"
    """The page number pattern, with {page} and {pages}."""
    header_runs: tuple[Run, ...] = ()
    """The running header as printed, its French ordinal endings raised; empty: header as it is."""
    marking_runs: tuple[Run, ...] = ()
    """The marking as printed, its French ordinal endings raised; empty: marking as it is."""
    cover: bool = False
    """The first page is a cover: no running header, marking or page label on it, and the
    classification, when there is one, printed there once by the body, not by the furniture."""


@dataclass(frozen=True, slots=True)
class Emblem:
    """The issuing body's emblem or logo, drawn on a cover and in the letterhead."""

    path: str
    """The absolute path of the image file."""
    kind: str
    """"png", "jpeg" or "svg"."""
    sha256: str
    """The SHA-256 of the file's bytes, in hex: a writer refuses a file that no longer has it."""
    width: float
    """The emblem's width as printed, in mm; its height follows from its proportions."""


@dataclass(frozen=True, slots=True)
class HouseStyle:
    """The look of every document of a secretariat: letterhead, font, sizes, colours, margins."""

    emblem: Emblem | None = None
    """The emblem printed on covers and in the letterhead; None for none."""
    issuer: tuple[str, ...] = ()
    """The letterhead's lines: the issuing body's name, then its address; empty for none."""
    font: tuple[str, str, str, str] | None = None
    """Absolute paths of the body font's regular, bold, italic and bold italic faces
    (TrueType outlines); None for the bundled Noto Serif."""
    size: float = 11.0
    """The body text's size, in pt; every other size is scaled from it as 11 pt is."""
    heading_colour: str = "000000"
    """The colour of titles and headings, as hex RGB."""
    rule_colour: str = "000000"
    """The colour of the letterhead's rule and of table grid lines, as hex RGB."""
    margins: tuple[float, float, float, float] = (25.0, 25.0, 25.0, 25.0)
    """Top, right, bottom and left page margins, in mm."""
    reference_docx: str | None = None
    """The absolute path of a Word file whose styles, page and header/footer artwork the DOCX
    uses; None for the house style's own."""


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the file says about itself (document information, core properties)."""

    title: str
    """The document's title."""
    subject: str
    """The meeting the document belongs to."""
    author: str
    """Who issues the document: the chair or the secretariat."""
    keywords: tuple[str, ...]
    """Search words: process, meeting, document type, symbol, version, status."""
    language: str
    """A BCP 47 language tag such as "en"."""
    created: datetime
    """The build time that both writers record, so that builds are reproducible."""


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: metadata, page furniture and the body."""

    name: str
    """The file stem the document is written under, such as "protocol"."""
    metadata: Metadata
    """What the file says about itself."""
    page: PageSettings
    """What is printed around the body of every page."""
    blocks: tuple[Block, ...]
    """The body, in reading order."""
    house: HouseStyle = HouseStyle()
    """The house style the document is printed in."""


def block_lines(block: Block) -> list[str]:
    """Return the text a block prints, one string per printed paragraph, in reading order."""
    match block:
        case Paragraph():
            text = "".join(run.text for run in block.runs)
            return [f"{block.number} {text}" if block.number else text]
        case Heading():
            return ["".join(run.text for run in block.runs)]
        case Table():
            return [line for row in block.rows for cell in row.cells
                    for inner in cell.blocks for line in block_lines(inner)]
        case Parallel():
            return [line for cell in block.cells for inner in cell.blocks
                    for line in block_lines(inner)]
        case Part():
            return [line for inner in block.blocks for line in block_lines(inner)]
        case SignatureBlock():
            return [line for line in (block.party + block.mark, block.name, block.title) if line]
        case Signatures():
            return [line for inner in block.blocks for line in block_lines(inner)]
        case Contents():  # a page number, once known, follows the text after a tab
            return [entry.text if entry.page is None else f"{entry.text}\t{entry.page}"
                    for entry in block.entries]
        case PageBreak() | Annex():
            return []
    raise TypeError(f"not a block: {block!r}")


def holds_signature(block: Block) -> bool:
    """Return whether the block is a signature block, a grid of them or a Parallel with one
    in a cell."""
    return isinstance(block, SignatureBlock | Signatures) or isinstance(block, Parallel) and any(
        isinstance(inner, SignatureBlock | Signatures) for cell in block.cells
        for inner in cell.blocks)


def document_lines(document: Document) -> list[str]:
    """Return the text of the document's body, one string per printed paragraph, in order."""
    return [line for block in document.blocks for line in block_lines(block)]


def signature_blocks(blocks: tuple[Block, ...]) -> list[SignatureBlock]:
    """Return every signature block in the blocks, those in grids, parts and parallel cells
    included, in reading order."""
    found: list[SignatureBlock] = []
    for block in blocks:
        match block:
            case SignatureBlock():
                found.append(block)
            case Signatures() | Part():
                found += signature_blocks(block.blocks)
            case Parallel():
                found += [inner for cell in block.cells for inner in signature_blocks(cell.blocks)]
    return found
