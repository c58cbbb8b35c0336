"""The PDF writer: a Document as reportlab platypus flowables on pages with running furniture."""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from html import escape

from reportlab.lib.colors import HexColor, black
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfdoc import PDFDictionary
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, HRFlowable, KeepTogether, PageBreak as PageBreakFlowable,
    PageTemplate, Paragraph as PlatypusParagraph, Spacer, Table as TableFlowable,
)
from reportlab.platypus.flowables import PageBreakIfNotEmpty, _listWrapOn

from generator import stylesheet
from generator.annexes import opaque_image, read_annex
from generator.dates import pdf_date
from generator.balance import balance
from generator.document import (
    Annex, Block, Cell, Contents, Document, Heading, HouseStyle, PageBreak, PageSettings, Paragraph,
    Parallel, Part, Run, SignatureBlock, Signatures, Table, holds_signature,
)
from generator.emblem import draw_emblem
from generator.fonts import face_name, house_font, register_pdf_fonts
from generator.furniture import (
    SUPERSCRIPT_SCALE, classification_middle, footer_classification_middle, header_lines,
    header_top, line_width, run_width, watermark_geometry,
)
from generator.hyphenation import hyphenator
from generator.stylesheet import MM
from generator.writers import Visitor, signature_grid

def render_pdf(document: Document, pdfa: str = "2b") -> bytes:
    """Return the document as a complete PDF file: PDF/A-2b, PDF/A-1b with pdfa="1b", or the
    plain PDF reportlab writes with pdfa="none"."""
    return render_pdf_with_pages(document, pdfa)[0]


def render_pdf_with_pages(document: Document, pdfa: str = "2b") -> tuple[bytes, dict[str, int]]:
    """Return the PDF file as render_pdf does, and the page (1 is the first) each heading is on
    by its anchor: the pages its contents print, the same at every PDF/A level."""
    if pdfa != "none":  # pikepdf is imported only for an archival PDF
        from generator.pdfa import check_level

        check_level(pdfa)
    register_pdf_fonts()
    with house_font(document.house.font):
        data, pages = _laid_out_pdf(document)
    if pdfa == "none":
        return data, pages
    from generator.pdfa import archival

    return archival(data, document.metadata, pdfa), pages


def _laid_out_pdf(document: Document) -> tuple[bytes, dict[str, int]]:
    """Return the plain PDF of the document and the page of each heading, in the font of the
    house style being printed in."""
    house = document.house
    width, height = stylesheet.page_size(document.page.size)
    top, right, bottom, left = stylesheet.margins(house)
    settings = Settings(styles=stylesheet.paragraph_styles(house), frame_width=width - left - right,
                        frame_height=height - top - bottom, house=house)
    writer = PdfWriter(settings, document.metadata.language)
    story = writer.flowables(document.blocks) or [Spacer(0, 0)]
    furniture = PageFurniture(document.page, width, height, house)
    buffer = io.BytesIO()
    layout = Layout(buffer, document, furniture)
    pages: dict[str, int] = {}
    canvas_maker = partial(PageCountCanvas, furniture=furniture, created=document.metadata.created,
                           heading_pages=pages)
    layout.build(story, canvasmaker=canvas_maker)
    data = place_annex_pages(buffer.getvalue(), writer.state.annex_pages,
                             (left, bottom, width - right, height - top))
    return data, pages


@dataclass(frozen=True, slots=True)
class Settings:
    """What the writer reads and never changes."""

    styles: dict[str, ParagraphStyle]
    """The stylesheet's paragraph styles by name."""
    frame_width: float
    """Width of the body text, in pt."""
    frame_height: float
    """Height of the body text, in pt."""
    house: HouseStyle = HouseStyle()
    """The house style: table grid colour and sizes."""


@dataclass(slots=True)
class State:
    """What the writer changes while it visits the document."""

    width: float
    """Width of the container being filled (the body or a table cell), in pt."""
    language: str
    """The language of the text being written (the document's, or a parallel column's)."""
    anchors: set[str] = field(default_factory=set)
    """The heading anchors seen so far."""
    styles: dict[tuple[str, int, bool, str, bool], ParagraphStyle] = field(default_factory=dict)
    """Paragraph styles made for (style name, level, numbered, language, ragged), so each is
    made once."""
    annex_pages: list[tuple[int, Annex, int]] = field(default_factory=list)
    """(page number, 1 the first; annex; its page, 0 the first) of each page laid out for a
    page of a PDF annex, as the pages are drawn."""


class PdfWriter(Visitor):
    """Turn the blocks of a document into platypus flowables; every data string is escaped."""

    def __init__(self, settings: Settings, language: str = "en") -> None:
        self.settings = settings
        self.state = State(width=settings.frame_width, language=language)

    def flowables(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Return the flowables that print the blocks, in order."""
        result: list[Flowable] = []
        for block in blocks:
            signed = isinstance(block, SignatureBlock | Signatures)
            if signed and result and result[-1].getKeepWithNext():
                kept = []  # reportlab keeps nothing with a KeepTogether: put the kept ones inside
                while result and result[-1].getKeepWithNext():
                    kept.insert(0, result.pop())
                    kept[0].keepWithNext = 0
                if isinstance(block, SignatureBlock):
                    result.append(KeepTogether(kept + self.signature_parts(block)))
                else:  # the testimonium stays with the first row of the grid
                    rows = self.visit_Signatures(block)
                    result.append(KeepTogether(kept + rows[:1]))
                    result += rows[1:]
            else:
                result += self.visit(block)
        return result

    def visit_Paragraph(self, node: Paragraph) -> list[Flowable]:
        spec = stylesheet.house_specs(self.settings.house).get(node.style)
        if spec is not None:
            node = balance(node, self.state.width, spec.size, spec.bold)
        own = {run.language for run in node.runs if run.text.strip() and not run.superscript}
        outer = self.state.language
        if len(own) == 1 and None not in own:  # text wholly in another language: its hyphenation
            self.state.language = own.pop()
        try:
            style = self.paragraph_style(node.style, node.level, node.number is not None)
        finally:
            self.state.language = outer
        bullet = node.number or (stylesheet.BULLET if node.style == "Bullet" else None)
        spec = stylesheet.SPECS[node.style]
        paragraph = ParagraphFlowable(markup(node.runs, spec.bold, spec.italic), style,
                                      bulletText=bullet)
        if node.keep_with_next:
            paragraph.keepWithNext = 1
        return [paragraph]

    def visit_Heading(self, node: Heading) -> list[Flowable]:
        level = min(max(node.level, 1), 3)
        name = f"Heading {level}"
        anchor = node.anchor or f"chancery-heading-{len(self.state.anchors) + 1}"
        if anchor in self.state.anchors:
            raise ValueError(f"heading anchor {anchor!r} is used by two headings")
        self.state.anchors.add(anchor)
        spec = stylesheet.SPECS[name]
        heading = HeadingParagraph(markup(node.runs, spec.bold, spec.italic),
                                   self.settings.styles[name])
        heading.mark = (anchor, level, "".join(run.text for run in node.runs))
        return [PageBreakIfNotEmpty(), heading] if node.page_break else [heading]

    def visit_Table(self, node: Table) -> list[Flowable]:
        total = sum(node.widths)
        widths = [width / total * self.state.width for width in node.widths]
        columns = len(widths)
        data = []
        for row in node.rows:
            if len(row.cells) > columns:
                raise ValueError(f"a table row has {len(row.cells)} cells for {columns} columns")
            cells = [self.cell(cell, width - 2 * stylesheet.CELL_PADDING[0] * MM)
                     for cell, width in zip(row.cells, widths)]
            data.append(cells + [""] * (columns - len(cells)))
        if not data:
            return []
        repeat = next((n for n, row in enumerate(node.rows) if not row.header), len(node.rows))
        shaded = tuple(n for n, row in enumerate(node.rows) if row.header)
        table = RowTable(data, colWidths=widths, repeatRows=repeat,
                         style=stylesheet.table_style(shaded, self.settings.house),
                         hAlign="LEFT")
        table.frame_height = self.settings.frame_height
        return [table]

    def visit_Parallel(self, node: Parallel) -> list[Flowable]:
        """Return one borderless row of equally wide columns a gutter apart; it splits across
        pages unless it holds a signature block (then only if it is taller than a page)."""
        if not node.cells:
            return []
        gutter = stylesheet.PARALLEL_GUTTER * MM
        width = (self.state.width - (len(node.cells) - 1) * gutter) / len(node.cells)
        columns = [self.cell(cell, width, language) or []
                   for cell, language in zip(node.cells, node.languages)]
        filled = [column for column in columns if column]
        signed = holds_signature(node)
        table = (RowTable if signed else TableFlowable)(
            [columns], colWidths=[width + gutter] * (len(columns) - 1) + [width],
            style=stylesheet.parallel_style(), hAlign="LEFT", splitInRow=int(not signed),
            spaceBefore=max((column[0].getSpaceBefore() for column in filled), default=0),
            spaceAfter=max((column[-1].getSpaceAfter() for column in filled), default=0))
        if signed:
            table.frame_height = self.settings.frame_height
        last = node.cells[0].blocks[-1:]
        if last and isinstance(last[0], Paragraph) and last[0].keep_with_next:
            table.keepWithNext = 1
        return [table]

    def cell(self, cell: Cell, width: float, language: str | None = None) -> list[Flowable] | str:
        """Return the flowables of a cell whose content is width (pt) wide, in the language if
        one is given, or "" for an empty cell; a cell never draws a KeepTogether, so its content
        stands in its place."""
        outer = self.state.width, self.state.language
        self.state.width, self.state.language = width, language or outer[1]
        try:
            flowables = self.flowables(cell.blocks)
        finally:
            self.state.width, self.state.language = outer
        return [part for flowable in flowables for part in (
            flowable._content if isinstance(flowable, KeepTogether) else [flowable])] or ""

    def visit_SignatureBlock(self, node: SignatureBlock) -> list[Flowable]:
        return [KeepTogether(self.signature_parts(node))]

    def visit_Signatures(self, node: Signatures) -> list[Flowable]:
        """Return the grid's rows, each a borderless one-row table of equally wide columns a
        gutter apart that never splits; the last two rows are kept together."""
        width, gutter, grid = signature_grid(self, node, self.signature_parts, "")
        space = self.settings.styles["Signature Party"].spaceBefore
        rows: list[Flowable] = [
            TableFlowable([row], colWidths=[width + gutter] * (len(row) - 1) + [width],
                          style=stylesheet.parallel_style(), hAlign="LEFT", spaceBefore=space)
            for row in grid]
        if len(rows) > 1:
            rows[-2:] = [KeepTogether(rows[-2:])]
        return rows

    def signature_parts(self, node: SignatureBlock) -> list[Flowable]:
        """Return the party line, room to sign, the line to sign on, the name and the title.

        The party line's space after is below the line to sign on. The block's last line keeps
        nothing with what follows.
        """
        party_style = self.settings.styles["Signature Party"]
        party = ParagraphFlowable(markup((Run(node.party),) + (
            (Run(node.mark, superscript=True),) if node.mark else ())), party_style)
        party.spaceAfter = 0
        parts: list[Flowable] = [
            party,
            Spacer(0, stylesheet.SIGNATURE_SPACE),
            HRFlowable(width=min(stylesheet.SIGNATURE_LINE * MM, self.state.width),
                       color="black", lineCap="butt", thickness=stylesheet.SIGNATURE_LINE_WIDTH,
                       hAlign="LEFT", spaceBefore=0, spaceAfter=party_style.spaceAfter),
        ]
        signature = self.settings.styles["Signature"]
        parts += [ParagraphFlowable(markup((Run(text),)), signature)
                  for text in (node.name, node.title) if text]
        parts[-1].keepWithNext = 0
        return parts

    def visit_Part(self, node: Part) -> list[Flowable]:
        """Return the flowables of the part's blocks, hyphenated in the part's language."""
        outer = self.state.language
        self.state.language = node.language
        try:
            return self.flowables(node.blocks)
        finally:
            self.state.language = outer

    def visit_PageBreak(self, node: PageBreak) -> list[Flowable]:
        return [PageBreakFlowable()]

    def visit_Contents(self, node: Contents) -> list[Flowable]:
        body = self.settings.styles["Body"]
        entry_styles = {level: ParagraphStyle(f"Contents {level}", parent=body, spaceAfter=3,
                                              leftIndent=(level - 1) * stylesheet.INDENT_STEP * MM)
                        for level in (1, 2, 3)}
        page_style = ParagraphStyle("Contents Page", parent=body, alignment=TA_RIGHT)
        return [ContentsLine(entry.text, entry_styles[min(max(entry.level, 1), 3)], page_style,
                             entry.anchor) for entry in node.entries]

    def visit_Annex(self, node: Annex) -> list[Flowable]:
        """Return a page for each page of a PDF annex, its body left empty for
        place_annex_pages, or a page with the image scaled to fit the body; each page carries
        the page furniture."""
        if self.state.width != self.settings.frame_width:
            raise ValueError("an annex cannot stand in a table cell or a parallel column")
        if node.kind != "pdf":
            return [PageBreakFlowable(), AnnexImage(node)]
        flowables: list[Flowable] = []
        for index in range(node.pages):
            flowables += [PageBreakFlowable(), AnnexPage(node, index, self.state.annex_pages)]
        return flowables

    def paragraph_style(self, name: str, level: int, numbered: bool) -> ParagraphStyle:
        """Return the named style indented for the level, with room for a hanging number,
        hyphenating words by the rules of the current language."""
        ragged = self.state.width < stylesheet.NARROW_MEASURE * MM
        key = (name, level, numbered, self.state.language, ragged)
        if key not in self.state.styles:
            try:
                base = self.settings.styles[name]
            except KeyError:
                raise ValueError(f"unknown paragraph style {name!r}") from None
            hang = base.leftIndent or (stylesheet.INDENT_STEP * MM if numbered else 0)
            indent = level * stylesheet.INDENT_STEP * MM
            self.state.styles[key] = ParagraphStyle(
                f"{name} {level}", parent=base, leftIndent=indent + hang, bulletIndent=indent,
                hyphenationLang=hyphenator(self.state.language)
                if stylesheet.hyphenation(name, self.state.language) else "",
                embeddedHyphenation=0, hyphenationMinWordLength=1,
                alignment=TA_LEFT if ragged and base.alignment == TA_JUSTIFY else base.alignment)
        return self.state.styles[key]


def markup(runs: tuple[Run, ...], bold: bool = False, italic: bool = False) -> str:
    """Return the runs as reportlab paragraph markup, in a style that is bold or italic."""
    parts = []
    for run in runs:
        text = escape(run.text, quote=False).replace("\n", "<br/>")
        face = face_name(bold or run.bold, italic or run.italic)
        if face != face_name(bold, italic):
            text = f'<font face="{face}">{text}</font>'
        if run.superscript:
            text = f"<super>{text}</super>"
        parts.append(text)
    return "".join(parts) or "&nbsp;"


class ParagraphFlowable(PlatypusParagraph):
    """A platypus paragraph that breaks its lines once per width: keeping blocks together and
    splitting tables wrap the same paragraph several times at the same width."""

    _wrapped: tuple | None = None
    """(width, style, size) of the last wrap whose lines the paragraph still holds."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        wrapped = self._wrapped
        if (wrapped is not None and wrapped[:2] == (available_width, self.style)
                and "blPara" in self.__dict__):
            return wrapped[2]
        size = super().wrap(available_width, available_height)
        size = self.limit_hyphens(available_width, available_height, size)
        self._wrapped = (available_width, self.style, size) if "blPara" in self.__dict__ else None
        return size

    def limit_hyphens(self, available_width: float, available_height: float,
                      size: tuple[float, float]) -> tuple[float, float]:
        """Return the size of the paragraph wrapped again, as often as needed, with the word
        that ends the third of three hyphenated lines in a row kept whole, so that no more than
        stylesheet.CONSECUTIVE_HYPHENS lines in a row end in a hyphen; size if none do."""
        hyphenate = getattr(self.style, "hyphenationLang", "")
        if not callable(hyphenate):
            return size
        kept: set[str] = set()
        for _ in range(MAX_REWRAPS):
            word = overlong_hyphen_run(self.__dict__.get("blPara"))
            measure = available_width - self.style.leftIndent - self.style.rightIndent
            if word is None or word <= kept or max(
                    stringWidth(spelling, self.style.fontName, self.style.fontSize)
                    for spelling in word) > measure:  # a word wider than a line must break
                return size
            kept |= word
            self.style = ParagraphStyle(self.style.name, parent=self.style,
                                        hyphenationLang=KeepWhole(hyphenate, frozenset(kept)))
            size = super().wrap(available_width, available_height)
        return size

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._wrapped = None  # split may drop or replace the lines wrap left
        return super().split(available_width, available_height)


MAX_REWRAPS = 20
"""The most times a paragraph is wrapped again to limit its runs of hyphenated lines."""

WORD_EDGES = re.compile(r"^[^\w]+|[^\w-]+$|-$")
"""Punctuation before or after a word (and a hyphen it ends with), which the hyphenator never
sees."""


def line_text(paragraph_lines, line) -> str:
    """Return the text of one of a wrapped platypus paragraph's lines."""
    if paragraph_lines.kind == 0:
        return " ".join(line[1])
    return "".join(getattr(fragment, "text", "") for fragment in line.words)


def overlong_hyphen_run(paragraph_lines) -> set[str] | None:
    """Return the word (its spellings with and without its hyphen) broken at the end of the
    first line that ends a run of more than stylesheet.CONSECUTIVE_HYPHENS hyphenated lines
    in a wrapped paragraph, or None if there is no such run."""
    if paragraph_lines is None:
        return None
    texts = [line_text(paragraph_lines, line) for line in paragraph_lines.lines]
    run = 0
    for number, text in enumerate(texts[:-1]):
        words = text.split()
        run = run + 1 if words and words[-1].endswith(("-", "\u2010")) else 0
        if run > stylesheet.CONSECUTIVE_HYPHENS:
            head, tail = words[-1], (texts[number + 1].split() or [""])[0]
            return {WORD_EDGES.sub("", head[:-1] + tail), WORD_EDGES.sub("", head + tail)}
    return None


@dataclass(frozen=True, slots=True)
class KeepWhole:
    """A hyphenator that never breaks the kept words and breaks others as the one it wraps."""

    hyphenate: object
    """The hyphenator it wraps: called with a word, it yields (head, tail) pairs."""
    kept: frozenset[str]
    """The words, without their surrounding punctuation, that are never broken."""

    def __call__(self, word: str):
        if WORD_EDGES.sub("", word) in self.kept:
            return iter(())
        return self.hyphenate(word)


class HeadingParagraph(ParagraphFlowable):
    """A heading: where it is drawn becomes a link destination, a bookmark and a contents entry."""

    mark: tuple[str, int, str] | None = None
    """The heading's anchor, level (1-3) and plain text; None on the second part of a split."""

    def draw(self) -> None:
        if self.mark:
            anchor, level, text = self.mark
            self.canv.bookmarkHorizontal(anchor, 0, self.height)
            self._doctemplate.record_heading(anchor, level, text)
        super().draw()

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        if parts:
            parts[0].mark = self.mark
        return parts


class RowTable(TableFlowable):
    """A table that breaks between rows, and inside a row only when the row exceeds a page."""

    frame_height: float = math.inf
    """Height of the body text, in pt."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.splitInRow = 0
        parts = super().split(available_width, available_height)
        heights = self._rowHeights[:self.repeatRows + 1]  # the header rows and the first row
        if parts or len(heights) <= self.repeatRows or None in heights:
            return parts
        if sum(heights) <= self.frame_height:
            return parts  # the row fits on the next page
        self.splitInRow = 1
        try:
            parts = super().split(available_width, available_height)
        finally:
            self.splitInRow = 0
        for part in parts:
            part.splitInRow = 0
            part.frame_height = self.frame_height
        return parts


class KeepWithNext(KeepTogether):
    """Flowables kept on one page with the start of the last one, as Word's "keep with next"."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 0xFFFFFF  # always split: split measures only what it needs

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        *kept, last = self._content
        if kept and isinstance(last, (ParagraphFlowable, TableFlowable)):
            height = _listWrapOn(kept, available_width, self.canv)[1]
            room = available_height - height - kept[-1].getSpaceAfter() - last.getSpaceBefore()
            if room > 0 and last.splitOn(self.canv, available_width, room):
                return self._content[:]  # the start of the last one fits here: no page break
        super().wrap(available_width, available_height)
        return super().split(available_width, available_height)


class ContentsLine(Flowable):
    """One line of a contents list: its text now, its page number once every page is laid out."""

    def __init__(self, text: str, style: ParagraphStyle, page_style: ParagraphStyle,
                 anchor: str) -> None:
        super().__init__()
        self.paragraph = ParagraphFlowable(escape(text, quote=False), style)
        self.page_style = page_style
        self.anchor = anchor
        self.spaceAfter = style.spaceAfter

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        page_column = stylesheet.CONTENTS_PAGE_COLUMN * MM
        self.width = available_width
        self.height = self.paragraph.wrap(available_width - page_column, available_height)[1]
        return self.width, self.height

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)
        left, bottom = self.canv.absolutePosition(0, 0)
        right, top = self.canv.absolutePosition(self.width, self.height)
        box = (left, bottom, right, top)
        self.canv.contents_lines.append((self.canv.getPageNumber(), self, box))

    def text_end(self) -> tuple[float, float]:
        """Return where the entry's last line of text ends, from the line's left, and its
        baseline, from the line's bottom, in pt."""
        paragraph, style = self.paragraph, self.paragraph.style
        lines = paragraph.blPara.lines
        last = lines[-1]
        unused = last.extraSpace if hasattr(last, "extraSpace") else last[0]
        room = paragraph.width - style.leftIndent - style.rightIndent
        return (style.leftIndent + room - unused,
                self.height - style.fontSize - (len(lines) - 1) * style.leading)

    def draw_page_number(self, canvas: Canvas, page: int, box: tuple[float, ...],
                         link: str) -> None:
        """Draw the page number at the right of the line in the box (pt), with a dot leader
        to it from the text; link it to the heading by an annotation with that name."""
        left, bottom, right, top = box
        number = ParagraphFlowable(str(page), self.page_style)
        number.wrapOn(canvas, stylesheet.CONTENTS_PAGE_COLUMN * MM, top - bottom)
        number.drawOn(canvas, right - stylesheet.CONTENTS_PAGE_COLUMN * MM, bottom)
        end, baseline = self.text_end()
        style = self.page_style
        gap = stylesheet.LEADER_SPACING
        first = math.ceil((left + end + gap) / gap) * gap  # dots line up from line to line
        last = right - stringWidth(str(page), style.fontName, style.fontSize) - gap
        radius = stylesheet.LEADER_DOT * style.fontSize / 2
        dots = len(range(round(first * 100), round(last * 100) + 1, round(gap * 100)))
        if dots:  # drawn dots: no text, so the line reads (and copies) as its words
            canvas.saveState()  # each dot the round cap of a dash of no length, gap apart
            canvas.setLineCap(1)
            canvas.setLineWidth(2 * radius)
            canvas.setDash([0, gap])
            y = bottom + baseline + radius
            # half a gap past the last dot, so that rounding never drops it
            canvas.line(first + radius, y, first + radius + (dots - 0.5) * gap, y)
            canvas.restoreState()
        canvas.linkAbsolute("", self.anchor, Rect=box, name=link)


class BodyPage(Flowable):
    """A flowable that takes the whole body of a page, and is never split."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, available_height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []


class AnnexPage(BodyPage):
    """The body of a page kept for a page of a PDF annex: it notes where it is drawn."""

    def __init__(self, annex: Annex, index: int, placements: list[tuple[int, Annex, int]]):
        super().__init__()
        self.annex, self.index, self.placements = annex, index, placements

    def draw(self) -> None:
        self.placements.append((self.canv.getPageNumber(), self.annex, self.index))


class AnnexImage(BodyPage):
    """An image annex, scaled to fit the body of its page and centred in it."""

    def __init__(self, annex: Annex):
        super().__init__()
        self.annex = annex

    def draw(self) -> None:
        image, (pixels_wide, pixels_high) = annex_image(self.annex)
        scale = min(self.width / pixels_wide, self.height / pixels_high)
        width, height = pixels_wide * scale, pixels_high * scale
        self.canv.drawImage(image, (self.width - width) / 2, (self.height - height) / 2,
                            width, height)


def annex_image(annex: Annex):
    """Return the image annex as reportlab draws it, and its size in pixels: a JPEG in grey or
    RGB as it is, any other image decoded, made opaque on white (PDF/A-1 has no transparency)
    and in grey or RGB (the output intent is sRGB)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    data = read_annex(annex)
    image = Image.open(io.BytesIO(data))
    if image.format == "JPEG" and image.mode in ("L", "RGB"):
        return ImageReader(io.BytesIO(data)), image.size
    image = opaque_image(image)
    return ImageReader(image), image.size


def place_annex_pages(data: bytes, placements: list[tuple[int, Annex, int]],
                      box: tuple[float, float, float, float]) -> bytes:
    """Return the PDF with each PDF annex page set on the page laid out for it: a form XObject
    scaled to fit the box (left, bottom, right, top, in pt) and centred in it, drawn over the
    page's furniture and watermark; the PDF unchanged when there are none.

    An annex page brings its content and resources, with its printable annotations made part
    of its content; its text stays text. Its links, scripts and form fields are not carried.
    """
    if not placements:
        return data
    import pikepdf
    from pikepdf import Name, Rectangle

    from generator.annexes import open_annex_pdf

    sources: dict[str, pikepdf.Pdf] = {}
    buffer = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(data)) as pack:
            for number, annex, index in placements:
                if annex.path not in sources:
                    sources[annex.path] = open_annex_pdf(read_annex(annex))
                form = pack.copy_foreign(sources[annex.path].pages[index].as_form_xobject())
                page = pack.pages[number - 1]
                name = page.add_resource(form, Name.XObject, Name("/ChanceryAnnex"))
                placement = page.calc_form_xobject_placement(
                    form, name, Rectangle(*box), allow_shrink=True, allow_expand=True)
                page.contents_add(b"q\n", prepend=True)  # the layout's state ends before it
                page.contents_add(b"Q\nq\n" + placement + b"\nQ\n")
            pack.save(buffer, deterministic_id=True)  # stream data is read from the sources now
    finally:
        for source in sources.values():
            source.close()
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class PageFurniture:
    """What is drawn around the body of every page: watermark, running header and footer."""

    page: PageSettings
    width: float
    """Page width, in pt."""
    height: float
    """Page height, in pt."""
    house: HouseStyle = HouseStyle()
    """The house style: margins and the letterhead of the first page."""

    def draw(self, canvas: Canvas, _layout: BaseDocTemplate) -> None:
        """Draw the watermark, header, marking and classification, and the letterhead on the
        first page; on a cover only the watermark, classification and letterhead. The page
        label comes later."""
        canvas.saveState()
        if self.page.watermark:
            self.draw_watermark(canvas, self.page.watermark)
        first = canvas.getPageNumber() == 1
        if first and stylesheet.letterhead_height(self.house):
            self.draw_letterhead(canvas)
        if not (first and self.page.cover):
            self.draw_header(canvas)
        if self.page.classification:  # every page, the cover too (which prints it once more)
            self.draw_classification(canvas, self.page.classification)
        canvas.restoreState()

    def draw_header(self, canvas: Canvas) -> None:
        """Draw the running header's lines, the left text flush left and the right text flush
        right on shared baselines, and a hairline in the rule colour under the last line."""
        size = stylesheet.FURNITURE_SIZE
        left, right = self.left(), self.width - self.right()
        lines = header_lines(self.page, right - left)
        top = self.height - self.header_top(len(lines)) - getAscentDescent(face_name(), size)[0]
        for number, (start, end) in enumerate(lines):
            baseline = top - number * size * stylesheet.LEADING
            self.draw_runs(canvas, start, left, baseline)
            self.draw_runs(canvas, end, right - line_width(end), baseline)
        if lines:
            descent = getAscentDescent(face_name(), size)[1]
            y = top - (len(lines) - 1) * size * stylesheet.LEADING + descent
            y -= stylesheet.HEADER_RULE_SPACE
            canvas.setStrokeColor(HexColor(f"#{self.house.rule_colour}"))
            canvas.setLineWidth(stylesheet.HAIRLINE)
            canvas.line(left, y, right, y)

    @staticmethod
    def draw_runs(canvas: Canvas, runs: tuple[Run, ...], x: float, baseline: float) -> None:
        """Draw a line of furniture runs from x (pt), a raised run smaller and above the
        baseline."""
        size = stylesheet.FURNITURE_SIZE
        for run in runs:
            scale = SUPERSCRIPT_SCALE if run.superscript else 1.0
            canvas.setFont(face_name(bold=run.bold, italic=run.italic), size * scale)
            canvas.drawString(x, baseline + (size / 3 if run.superscript else 0), run.text)
            x += run_width(run)

    def header_top(self, lines: int) -> float:
        """Return the distance from the page's top edge to the top of the running header of
        that many lines, in pt (furniture.header_top in this page's margins)."""
        top, _, _, _ = stylesheet.margins(self.house)
        return header_top(lines, top, self.house.size if self.page.classification else 0.0)

    def draw_classification(self, canvas: Canvas, text: str) -> None:
        """Draw the classification (in capitals, as the template gives it) centred in bold at
        the body's size, apart from the running header and footer: between the header and the
        text at the top, between the text and the footer at the bottom."""
        size = self.house.size  # the body's
        font = face_name(bold=True)
        ascent, descent = getAscentDescent(font, size)
        top, _, bottom, _ = stylesheet.margins(self.house)
        canvas.setFont(font, size)
        canvas.drawCentredString(self.width / 2, self.height - classification_middle(top)
                                 - (ascent + descent) / 2, text)
        canvas.drawCentredString(self.width / 2, footer_classification_middle(bottom)
                                 - (ascent + descent) / 2, text)

    def draw_letterhead(self, canvas: Canvas) -> None:
        """Draw the emblem, the issuing body's name and address, centred, and a rule under
        them across the text width, at the top of the body."""
        house = self.house
        top, right, _, left = stylesheet.margins(house)
        gap = stylesheet.LETTERHEAD_GAP * MM
        y = self.height - top
        if house.emblem is not None:
            emblem_width = house.emblem.width * MM
            y -= stylesheet.emblem_height(house)
            draw_emblem(canvas, house.emblem, (self.width - emblem_width) / 2, y, emblem_width)
            y -= gap
        colour = HexColor(f"#{house.heading_colour}")
        for number, line in enumerate(house.issuer):
            size = stylesheet.LETTERHEAD_NAME_SIZE if number == 0 else stylesheet.LETTERHEAD_LINE_SIZE
            font = face_name(bold=number == 0)
            y -= size * stylesheet.LEADING
            canvas.setFont(font, size)
            canvas.setFillColor(colour if number == 0 else black)
            canvas.drawCentredString(self.width / 2, y + (size * stylesheet.LEADING - size) / 2
                                     - getAscentDescent(font, size)[1] / 2, line)
        canvas.setFillColor(black)
        y -= gap
        canvas.setStrokeColor(HexColor(f"#{house.rule_colour}"))
        canvas.setLineWidth(stylesheet.LETTERHEAD_RULE)
        canvas.line(left, y, self.width - right, y)
        canvas.setStrokeColor(black)

    def draw_page_label(self, canvas: Canvas, page: int, pages: int) -> None:
        """Draw the page label, such as "Page 3 of 12", at the bottom right; none on a cover."""
        if page == 1 and self.page.cover:
            return
        label = self.page.page_label.replace("{pages}", str(pages)).replace("{page}", str(page))
        canvas.saveState()
        canvas.setFont(face_name(), stylesheet.FURNITURE_SIZE)
        canvas.drawRightString(self.width - self.right(), self.bottom_line(), label)
        canvas.restoreState()

    def draw_watermark(self, canvas: Canvas, text: str) -> None:
        """Draw the text large, light and opaque along the page's diagonal."""
        font = face_name(bold=True)
        size, angle, _, drop = watermark_geometry(text, self.width, self.height)
        canvas.saveState()
        canvas.setFillColorRGB(*(stylesheet.WATERMARK_GREY,) * 3)  # opaque: PDF/A-1 has no alpha
        canvas.translate(self.width / 2, self.height / 2)
        canvas.rotate(angle)
        canvas.setFont(font, size)
        canvas.drawCentredString(0, -drop, text)
        canvas.restoreState()

    def left(self) -> float:
        """Return the left end of the header and footer lines, in pt from the page's left edge."""
        return stylesheet.margins(self.house)[3]

    def right(self) -> float:
        """Return the right end of the header and footer lines, in pt from the page's right
        edge."""
        return stylesheet.margins(self.house)[1]

    def bottom_line(self) -> float:
        """Return the baseline of the footer, in pt from the page's bottom edge."""
        descent = getAscentDescent(face_name(), stylesheet.FURNITURE_SIZE)[1]
        return stylesheet.FURNITURE_DISTANCE * MM - descent


class PageCountCanvas(Canvas):
    """A canvas that holds its pages until saved, then adds what only the whole document tells:
    each page's label with the page count, and the page numbers of contents lists."""

    def __init__(self, *args, furniture: PageFurniture, created: datetime,
                 heading_pages: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.furniture = furniture
        self.held_pages: list[dict] = []
        self.heading_pages: dict[str, int] = {} if heading_pages is None else heading_pages
        """The page of each heading anchor drawn so far (the caller's dict, if given)."""
        self.contents_lines: list[tuple[int, ContentsLine, tuple[float, ...]]] = []
        """The page, line and box (pt) of each contents line drawn so far."""
        self.setDateFormatter(lambda *_: pdf_date(created))

    def showPage(self) -> None:
        self.held_pages.append(dict(self.__dict__))
        self._doc.pageCounter += 1  # destinations made before save must name the right page
        self._startPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        pages = len(self.held_pages)
        self._doc.pageCounter = 1
        for number, state in enumerate(self.held_pages, 1):
            self.__dict__.update(state)  # the page's own state; the recorded lists are shared
            self.furniture.draw_page_label(self, number, pages)
            for index, (page, line, box) in enumerate(self.contents_lines):
                if page == number and line.anchor in self.heading_pages:
                    line.draw_page_number(self, self.heading_pages[line.anchor], box,
                                          f"contents-{index}")
            super().showPage()
        super().save()


class Layout(BaseDocTemplate):
    """The page layout: one frame inside the margins, furniture under it, headings recorded."""

    def __init__(self, buffer: io.BytesIO, document: Document, furniture: PageFurniture) -> None:
        top, right, bottom, left = stylesheet.margins(document.house)
        width, height = furniture.width - left - right, furniture.height - top - bottom
        frame = Frame(left, bottom, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="body")
        templates = [PageTemplate("page", [frame], onPage=furniture.draw)]
        letterhead = stylesheet.letterhead_height(document.house)
        if letterhead:  # the first page's body starts under the letterhead
            first = Frame(left, bottom, width, height - letterhead, leftPadding=0,
                          rightPadding=0, topPadding=0, bottomPadding=0, id="first")
            templates.insert(0, PageTemplate("first", [first], onPage=furniture.draw,
                                             autoNextPageTemplate="page"))
        meta = document.metadata
        super().__init__(
            buffer, pagesize=(furniture.width, furniture.height),
            pageTemplates=templates,
            title=meta.title, author=meta.author, subject=meta.subject,
            keywords=list(meta.keywords), creator="chancery", lang=meta.language or None,
            invariant=1, initialFontName=face_name(), keepTogetherClass=KeepWithNext,
        )
        self.outline_level = -1
        """The outline level of the last heading recorded; -1 before the first."""

    def record_heading(self, anchor: str, level: int, text: str) -> None:
        """Add the heading (level 1-3) to the outline and note its page for contents lists."""
        self.outline_level = min(level - 1, self.outline_level + 1)  # outlines may not skip levels
        self.canv.showOutline()
        catalog = self.canv._doc.Catalog  # reportlab writes destinations inline: name them too
        if getattr(catalog, "Dests", None) is None:
            catalog.Dests = PDFDictionary({})
        catalog.Dests.dict[anchor] = self.canv._bookmarkReference(anchor)
        self.canv.addOutlineEntry(text, anchor, self.outline_level)
        self.canv.heading_pages.setdefault(anchor, self.canv.getPageNumber())
