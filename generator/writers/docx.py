"""The DOCX writer: a Document to .docx bytes, styled by a reference .docx."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

import docx
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.section import Section
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from generator import stylesheet
from generator.annexes import read_annex
from generator.balance import balance
from generator.document import (
    STYLES, Annex, Block, Contents, Document, Heading, HouseStyle, Metadata, PageBreak,
    PageSettings, Paragraph, Parallel, Part, Run, SignatureBlock, Signatures, Table,
    holds_signature,
)
from generator.fonts import house_font
from generator.furniture import header_lines, header_top, text_width
from generator.subsets import shown_characters
from generator.writers import Visitor
from generator.writers import docx_xml
from generator.writers import docx_scripts

REFERENCE = Path(__file__).resolve().parent.parent / "resources" / "reference.docx"
"""The house style: python-docx's default template with every style the writer uses."""

WORD_STYLES = STYLES + ("Heading 1", "Heading 2", "Heading 3", "Header", "Footer",
                        "Signature Line", "toc 1", "toc 2", "toc 3")
"""Every paragraph style the writer looks up by name in the reference file."""

LEVEL_INDENT = Mm(stylesheet.INDENT_STEP)
"""Extra left indent per nesting level."""
SIGNATURE_LINE = Mm(stylesheet.SIGNATURE_LINE)
"""Length of the line to sign on, which the "Signature Party" style draws under its text."""
"""Room kept free at the right of a contents entry's text for its page number, as in the PDF."""

ANNEX_SLACK = Mm(5)
"""Height kept free under an image annex, so that its line stays on its page."""

PROPERTY_LENGTH = 255
"""The longest core property python-docx writes (it raises beyond)."""
CONTENT_TYPES = "[Content_Types].xml"
TOC_FIELD = 'TOC \\o "1-2" \\h \\z \\u'
"""The contents' field: headings of levels 1-2 (and paragraphs of those outline levels) as
links, without page numbers in Web view; Word's "Update field" rebuilds the list from it."""
FONT_COMPRESSION = 9
"""zlib level of the embedded fonts: subsets are small enough to compress fully (a few ms each)."""


@dataclass(frozen=True)
class Layout:
    """What the writer reads from the reference file and the page settings, and never changes."""

    styles: Mapping[str, ParagraphStyle]
    """The reference file's paragraph styles by name."""
    text_width: Length
    """The width between the page margins."""


@dataclass
class State:
    """What changes as the writer goes."""

    container: BlockItemContainer
    """Where the next block goes: the body, a table cell, a header or a footer."""
    width: Length
    """The width available in the container."""
    bookmarks: int = 0
    """How many bookmarks have been written (each needs a unique number)."""
    page_break: bool = False
    """The next paragraph starts a new page."""
    language: str | None = None
    """The language (a BCP 47 tag) every run is marked with; None leaves the document's."""
    contents_scope: str | None = None
    """The bookmark around the part being written, to which a contents field in it is limited;
    None outside parts (the field then covers the document)."""


class DocxWriter(Visitor):
    """Write a Document's blocks and page furniture into a python-docx document."""

    def __init__(self, word: WordDocument):
        self.word = word
        section = word.sections[0]
        self.layout = Layout(
            styles=find_styles(word),
            text_width=Length(section.page_width - section.left_margin - section.right_margin))
        self.state = State(BlockItemContainer(word.element.body, word), self.layout.text_width)

    specs = stylesheet.SPECS
    """The house style's paragraph styles, whose sizes balance titles as the PDF does."""
    house = HouseStyle()
    """The house style the document is printed in (its rule colour, letterhead)."""

    def write(self, document: Document) -> None:
        """Write the page furniture, then the body."""
        self.specs = stylesheet.house_specs(document.house)
        self.house = document.house
        self.write_furniture(document.page)
        if document.page.cover or document.house.emblem or document.house.issuer:
            self.write_first_page(document.page, document.house)
        self.write_blocks(self.state.container, document.blocks, self.layout.text_width)
        if self.state.page_break:
            self.add_paragraph("Body")

    def write_blocks(self, container: BlockItemContainer, blocks: Sequence[Block],
                     width: Length) -> None:
        """Write blocks at the end of any container; width is the container's, in EMU."""
        outer = self.state.container, self.state.width
        self.state.container, self.state.width = container, width
        for block in blocks:
            self.visit(block)
        self.state.container, self.state.width = outer

    def style(self, name: str) -> ParagraphStyle:
        """Return the reference file's paragraph style of that name."""
        try:
            return self.layout.styles[name]
        except KeyError:
            raise ValueError(f"no paragraph style {name!r} in the DOCX writer") from None

    def add_paragraph(self, style: str, *, level: int = 0, keep_with_next: bool | None = None,
                      page_break: bool = False, right_indent: Length | None = None,
                      tabs: Sequence[tuple[str, int] | tuple[str, int, str]] = ()) -> WordParagraph:
        """Return a new empty paragraph at the end of the container, starting a page if due.

        It is indented LEVEL_INDENT per level beyond its style's own indent; keep_with_next
        None and right_indent None leave the style's; tabs are as docx_xml.add_paragraph's.
        """
        word_style = self.style(style)
        left = None
        if level:
            left = Length((word_style.paragraph_format.left_indent or 0) + level * LEVEL_INDENT)
        paragraph = docx_xml.add_paragraph(
            self.state.container, word_style, keep_with_next=keep_with_next,
            page_break_before=page_break or self.state.page_break, tabs=tabs,
            left_indent=None if left is None else left.twips,
            right_indent=None if right_indent is None else right_indent.twips)
        self.state.page_break = False
        return paragraph

    def add_runs(self, paragraph: WordParagraph, runs: Sequence[Run]) -> None:
        """Append the runs; "\\n" becomes a line break."""
        for run in runs:
            docx_xml.add_run(paragraph, run.text, run.bold, run.italic,
                             run.language or self.state.language, run.superscript)

    def visit_Paragraph(self, node: Paragraph) -> None:
        spec = self.specs.get(node.style)
        if spec is not None:  # the lines the PDF balances, broken where it breaks them
            node = balance(node, self.state.width.pt, spec.size, spec.bold)
        paragraph = self.add_paragraph(node.style, level=node.level,
                                       keep_with_next=node.keep_with_next or None)
        if (self.state.width < Mm(stylesheet.NARROW_MEASURE)
                and stylesheet.SPECS[node.style].align == "justify"):  # ragged right, as the PDF
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if node.number:
            docx_xml.add_run(paragraph, f"{node.number}\t",  # it hangs in the style's indent
                             language=self.state.language)
        self.add_runs(paragraph, node.runs)

    def visit_Heading(self, node: Heading) -> None:
        paragraph = self.add_paragraph(f"Heading {node.level}", page_break=node.page_break)
        self.add_runs(paragraph, node.runs)
        if node.anchor:
            self.state.bookmarks += 1
            docx_xml.add_bookmark(paragraph, docx_xml.bookmark_name(node.anchor),
                                  self.state.bookmarks)

    def add_table(self, widths: Sequence[int], grid: bool = True) -> WordTable:
        """Return a new empty table at the end of the container, as docx_xml.add_table's.

        A page break due before it right after another table goes on an empty paragraph
        between the two: Word and LibreOffice join adjacent tables and ignore a break inside.
        """
        if self.state.page_break and docx_xml.ends_with_table(self.state.container):
            self.add_paragraph("Body")
        return docx_xml.add_table(self.state.container, widths, grid)

    def visit_Table(self, node: Table) -> None:
        widths = scale(node.widths, self.state.width.twips)
        table = self.add_table(widths)
        for row in node.rows:
            cells = docx_xml.add_row(table, widths, row.header)
            for cell, model_cell, width in zip(cells, row.cells, widths):
                self.write_cell(cell, model_cell.blocks, Twips(width - docx_xml.CELL_PADDING))

    def visit_Parallel(self, node: Parallel) -> None:
        """Write a one-row table without borders, its equally wide columns a gutter apart.

        The row breaks across pages unless it holds a signature block; it keeps with the next
        block if the first cell ends with a paragraph that does, else a signature row does not.
        """
        if not node.cells:
            return
        gutter = Mm(stylesheet.PARALLEL_GUTTER).twips
        count = len(node.cells)
        width = (self.state.width.twips - (count - 1) * gutter) // count
        widths = [width + gutter] * (count - 1) + [width]
        table = self.add_table(widths, grid=False)
        signed = holds_signature(node)
        cells = docx_xml.add_row(table, widths, split=not signed, gutter=gutter)
        for cell, model_cell, language in zip(cells, node.cells, node.languages, strict=True):
            self.write_cell(cell, model_cell.blocks, Twips(width), language)
        last = node.cells[0].blocks[-1:]
        keep = bool(last) and isinstance(last[0], Paragraph) and last[0].keep_with_next
        if keep or signed:  # Word keeps a row with the next if a paragraph in it keeps
            for cell in cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = keep

    def write_cell(self, cell: _Cell, blocks: Sequence[Block], width: Length,
                   language: str | None = None) -> None:
        """Write blocks into a table cell whose text is width (EMU) wide, marked with language
        (None: the surrounding text's)."""
        outer = self.state.language
        self.state.language = language or outer
        self.write_blocks(cell, blocks, width)
        self.state.language = outer
        if not docx_xml.ends_with_paragraph(cell):
            cell.add_paragraph()  # Word requires a paragraph last in every cell

    def visit_SignatureBlock(self, node: SignatureBlock) -> None:
        """Write the party line, an empty paragraph whose style draws the line to sign on, then
        the name and title.

        Every style keeps with the next paragraph; the block's last line turns that off.
        """
        lines = [("Signature Party", node.party), ("Signature Line", "")]
        lines += [("Signature", line) for line in (node.name, node.title) if line]
        line_end = Length(max(self.state.width - SIGNATURE_LINE, 0))
        for number, (style, line) in enumerate(lines, 1):
            paragraph = self.add_paragraph(
                style, keep_with_next=False if number == len(lines) else None,
                right_indent=line_end if style == "Signature Line" else None)
            if line:
                docx_xml.add_run(paragraph, line, language=self.state.language)
            if style == "Signature Party":  # its space after is below the line, as in the PDF
                docx_xml.set_spacing(paragraph, after=0)
            if number == 1 and node.mark:
                docx_xml.add_run(paragraph, node.mark, language=self.state.language,
                                 superscript=True)

    def visit_Signatures(self, node: Signatures) -> None:
        """Write a borderless table of equally wide columns a gutter apart, one signature block
        in each cell; no row breaks across pages, and the last two rows keep together."""
        columns = max(node.columns, 1)
        gutter = Mm(stylesheet.PARALLEL_GUTTER).twips
        width = (self.state.width.twips - (columns - 1) * gutter) // columns
        widths = [width + gutter] * (columns - 1) + [width]
        overlap = self.space_after_last()
        line_style = self.style("Signature Line").style_id
        table = self.add_table(widths, grid=False)
        starts = range(0, len(node.blocks), columns)
        for start in starts:
            cells = docx_xml.add_row(table, widths, split=False, gutter=gutter)
            for number, cell in enumerate(cells):
                self.write_cell(cell, node.blocks[start + number:start + number + 1], Twips(width))
                keep = start == starts[-1] - columns  # a row keeps with the next if all keep
                for paragraph in cell.paragraphs:  # (LibreOffice keeps the table whole if any)
                    docx_xml.set_keep_with_next(paragraph, keep)
                # as in the PDF, no space after a cell's last line; the 1 pt paragraph that draws
                # the line to sign on is 0.7 pt taller than the PDF's 0.5 pt line
                docx_xml.set_spacing(cell.paragraphs[-1], after=0)
                if start == 0 and overlap:  # the PDF sets the larger of two spaces, not both
                    docx_xml.set_spacing(cell.paragraphs[0],
                                         before=max(stylesheet.SIGNATURE_SPACE_BEFORE - overlap, 0))
                for paragraph in cell.paragraphs:  # by style id: a style's name scans them all
                    if paragraph._p.style == line_style:
                        docx_xml.set_spacing(paragraph, before=stylesheet.SIGNATURE_SPACE - 0.7)

    def space_after_last(self) -> float:
        """Return the space after the container's last block if it is a paragraph, in pt."""
        last = None
        for last in self.state.container.iter_inner_content():
            pass
        if not isinstance(last, WordParagraph):
            return 0.0
        space = last.paragraph_format.space_after
        style = last.style
        while space is None and style is not None:
            space, style = style.paragraph_format.space_after, style.base_style
        return space.pt if space is not None else 0.0

    def visit_Part(self, node: Part) -> None:
        """Write the part's blocks, every run marked with the part's language; a part with a
        contents list is bookmarked, so that its contents field lists only the part's headings."""
        outer = self.state.language, self.state.contents_scope
        self.state.language = node.language
        scoped = any(isinstance(block, Contents) and block.entries for block in node.blocks)
        if scoped:
            self.state.bookmarks += 1
            number = self.state.bookmarks
            self.state.contents_scope = f"_ChanceryPart{number}"  # "_": hidden in Word's list
            docx_xml.add_range_start(self.state.container, self.state.contents_scope, number)
        self.write_blocks(self.state.container, node.blocks, self.state.width)
        if scoped:
            docx_xml.add_range_end(self.state.container, number)
        self.state.language, self.state.contents_scope = outer

    def visit_PageBreak(self, node: PageBreak) -> None:
        self.state.page_break = True

    def visit_Annex(self, node: Annex) -> None:
        """Embed an image annex on a page of its own, scaled to fit the text width and height;
        a PDF annex has only its cover sheet, whose text names the file."""
        if node.kind == "pdf":
            return
        from docx.image.image import Image as WordImage

        data = word_image(read_annex(node))
        image = WordImage.from_blob(data)
        section = self.word.sections[0]
        room = section.page_height - section.top_margin - section.bottom_margin - ANNEX_SLACK
        scale = min(self.state.width / image.px_width, room / image.px_height)
        paragraph = self.add_paragraph("Centered", page_break=True)
        spacing = paragraph.paragraph_format
        spacing.line_spacing = 1.0  # the style's exact line height would crop the picture
        spacing.space_before = spacing.space_after = 0
        paragraph.add_run().add_picture(io.BytesIO(data), width=Length(int(image.px_width * scale)),
                                        height=Length(int(image.px_height * scale)))

    def visit_Contents(self, node: Contents) -> None:
        """Write the entries as the result of a TOC field, so that they show before Word
        updates the field: each a link to its heading's bookmark, with a dot leader to its page
        number where the entry has one, a PAGEREF field whose result is the PDF's page."""
        for number, entry in enumerate(node.entries):
            paragraph = self.add_paragraph(  # the style's tab is A4's: set it for this page
                f"toc {min(max(entry.level, 1), 3)}", tabs=(("right", self.state.width.twips, "dot"),))
            if number == 0:
                scope = self.state.contents_scope
                docx_xml.begin_field(paragraph, TOC_FIELD if scope is None
                                     else f"{TOC_FIELD} \\b {scope}")
            docx_xml.add_internal_link(paragraph, docx_xml.bookmark_name(entry.anchor),
                                       entry.text, self.state.language, entry.page)
            if number == len(node.entries) - 1:
                docx_xml.end_field(paragraph)

    def write_furniture(self, page: PageSettings) -> None:
        """Write the header, watermark and footer of every page, laid out as the PDF's.

        The header has the running header at the left and the status at the right, on shared
        lines, over a hairline; the footer line has the page label at the right; the
        classification stands on a line of its own under the header and over the footer. A None
        or empty field prints nothing.
        """
        section = self.word.sections[0]
        section.different_first_page_header_footer = False
        self.word.settings.odd_and_even_pages_header_footer = False
        self.write_header(section, page)
        self.write_footer(section, Run(""), page.page_label)
        if page.classification:
            self.write_classification(section.header, section.footer, page.classification)

    def write_classification(self, header, footer, text: str) -> None:
        """Write the classification centred in bold at the body's size on a line of its own,
        at the end of the header (under its running lines) and at the start of the footer
        (above its page label line)."""
        for container, top in ((header, True), (footer, False)):
            if container.is_linked_to_previous:  # no running header: the line stands alone
                container.is_linked_to_previous = False
                docx_xml.clear(container)
            paragraph = docx_xml.add_paragraph(container, self.style("Header" if top else "Footer"))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = Pt(0)
            paragraph.paragraph_format.space_after = Pt(0 if top else 3)
            paragraph.paragraph_format.line_spacing = Pt(self.specs["Body"].size
                                                         * stylesheet.LEADING)
            run = paragraph.add_run(text)
            run.bold = True
            run.font.size = Pt(self.specs["Body"].size)
            if not top:  # the footer's classification stands above its page label line
                container._element.insert(0, paragraph._p)

    def add_furniture_line(self, container: BlockItemContainer, style: str) -> WordParagraph:
        """Return a new empty paragraph with a centre tab stop in the middle of the text width
        and a right tab stop at its right edge."""
        width = self.layout.text_width.twips
        return docx_xml.add_paragraph(container, self.style(style),
                                      tabs=(("center", round(width / 2)), ("right", width)))

    def write_first_page(self, page: PageSettings, house: HouseStyle) -> None:
        """Write the first page's own header and footer: the running header (none on a cover),
        the classification's lines, the letterhead under them, and the footer (on a cover an
        empty line, no page label)."""
        section = self.word.sections[0]
        section.different_first_page_header_footer = True
        header, footer = section.first_page_header, section.first_page_footer
        shown = replace(page, header="", header_runs=(), marking=None, marking_runs=()) \
            if page.cover else page
        self.write_header(section, shown, header)
        if page.cover:
            footer.is_linked_to_previous = False
            docx_xml.clear(footer)
            self.add_furniture_line(footer, "Footer")
        else:
            self.write_footer(section, Run(""), page.page_label, footer)
        for container in (header, footer):
            if container.is_linked_to_previous:
                container.is_linked_to_previous = False
                docx_xml.clear(container)
        if page.classification:  # every page, the cover too (which prints it once more)
            self.write_classification(header, footer, page.classification)
        if house.emblem or house.issuer:
            self.write_letterhead(header, house)

    def write_letterhead(self, header, house: HouseStyle) -> None:
        """Write the emblem, the issuing body's name and address, centred, and a rule under
        them in the rule colour, at the end of the header."""
        from generator.emblem import emblem_picture

        if house.emblem is not None:
            paragraph = docx_xml.add_paragraph(header, self.style("Centered"))
            paragraph.paragraph_format.space_after = Mm(stylesheet.LETTERHEAD_GAP)
            paragraph.paragraph_format.line_spacing = 1.0  # an exact line height would crop it
            paragraph.add_run().add_picture(io.BytesIO(emblem_picture(house.emblem)),
                                            width=Mm(house.emblem.width))
        for number, line in enumerate(house.issuer):
            paragraph = docx_xml.add_paragraph(header, self.style("Centered"))
            paragraph.paragraph_format.space_after = 0
            run = paragraph.add_run(line)
            run.bold = number == 0
            run.font.size = Pt(stylesheet.LETTERHEAD_NAME_SIZE if number == 0
                               else stylesheet.LETTERHEAD_LINE_SIZE)
            if number == 0 and house.heading_colour != "000000":
                run.font.color.rgb = RGBColor.from_string(house.heading_colour)
        paragraph = docx_xml.add_paragraph(header, self.style("Centered"))
        paragraph.paragraph_format.space_after = Mm(2 * stylesheet.LETTERHEAD_GAP)
        docx_xml.add_bottom_border(paragraph._p.get_or_add_pPr(), stylesheet.LETTERHEAD_RULE,
                                   stylesheet.LETTERHEAD_GAP * 2, house.rule_colour)
        run = paragraph.add_run("")
        run.font.size = Pt(2)

    def write_header(self, section: Section, page: PageSettings, target=None) -> None:
        """Write the running header as one paragraph: its lines as the PDF breaks them, each
        the left text, a tab to the right tab stop and the right text, and a hairline in the
        rule colour under the paragraph; the watermark behind the page. No header if the page
        has neither. target is the header to write (None: the section's default one)."""
        header = section.header if target is None else target
        header.is_linked_to_previous = True  # drops any header the reference file has
        lines = header_lines(page, self.layout.text_width.pt)
        if not (lines or page.watermark):
            return
        header.is_linked_to_previous = False
        docx_xml.clear(header)
        width = self.layout.text_width.twips
        paragraph = docx_xml.add_paragraph(header, self.style("Header"),
                                           tabs=(("right", width),))
        if target is None:  # one distance for every header of the section: the running one's
            section.header_distance = Pt(header_top(
                len(lines), section.top_margin.pt,
                self.specs["Body"].size if page.classification else 0.0))
        for number, (left, right) in enumerate(lines):
            runs = ([Run("\n")] if number else []) + list(left) + (
                [Run("\t")] + list(right) if right else [])
            for run in runs:
                docx_xml.add_run(paragraph, run.text, run.bold, run.italic,
                                 superscript=run.superscript)
        if lines:
            docx_xml.add_bottom_border(paragraph._p.get_or_add_pPr(), stylesheet.HAIRLINE,
                                       stylesheet.HEADER_RULE_SPACE, self.house.rule_colour)
        if page.watermark:
            docx_xml.add_watermark(paragraph, page.watermark, section.page_width.pt,
                                   section.page_height.pt)

    def write_footer(self, section: Section, centre: Run, label: str, target=None) -> None:
        """Write the footer line: centre, then the page label with live page numbers at the
        right; target is the footer to write (None: the section's default one)."""
        footer = section.footer if target is None else target
        footer.is_linked_to_previous = True  # drops any footer the reference file has
        footer.is_linked_to_previous = False
        docx_xml.clear(footer)
        paragraph = self.add_furniture_line(footer, "Footer")
        right = Run(label)
        for run in tabbed((Run(""), centre, right), self.layout.text_width.pt):
            if run is not right:
                docx_xml.add_run(paragraph, run.text, run.bold)
                continue
            for part in re.split(r"(\{page\}|\{pages\})", label):
                if part == "{page}":
                    docx_xml.add_field(paragraph, "PAGE")
                elif part == "{pages}":
                    docx_xml.add_field(paragraph, "NUMPAGES")
                elif part:
                    paragraph.add_run(part)


def tabbed(row: Sequence[Run], width: float) -> list[Run]:
    """Return one row's (left, centre, right) texts with the tabs that take the centre one to
    the centre tab stop and the right one to the right tab stop, leaving out empty texts and
    trailing tabs; width is the text width, in pt.

    A tab goes to the next stop beyond the text before it: past the middle, the left text
    reaches the right stop with one tab.
    """
    left, centre, right = row
    runs = [left]
    if centre.text or right.text:
        runs.append(Run("\t"))
    runs.append(centre)
    if right.text and (centre.text or text_width(left) < width / 2):
        runs.append(Run("\t"))
    runs.append(right)
    return [run for run in runs if run.text]


def find_styles(word: WordDocument) -> dict[str, ParagraphStyle]:
    """Return the paragraph styles the writer uses, by name; raise if the reference lacks one."""
    styles = {}
    for name in WORD_STYLES:
        try:
            style = word.styles[name]
        except KeyError:
            style = None
        if style is None or style.type != WD_STYLE_TYPE.PARAGRAPH:
            raise ValueError(f"the reference .docx has no paragraph style {name!r}")
        styles[name] = style
    return styles


def scale(widths: Sequence[float], total: int) -> list[int]:
    """Return relative widths scaled to add up to total (in twips)."""
    whole = sum(widths) or 1
    scaled = [round(width / whole * total) for width in widths]
    scaled[-1] = total - sum(scaled[:-1])
    return scaled


def set_page_size(section: Section, size: str) -> None:
    """Set the page to "A4" or "Letter", portrait."""
    if size not in stylesheet.PAGE_SIZES:
        raise ValueError(f"page size {size!r} is not one of {', '.join(stylesheet.PAGE_SIZES)}")
    width, height = stylesheet.PAGE_SIZES[size]
    section.page_width, section.page_height = Mm(width), Mm(height)


def in_utc(moment: datetime) -> datetime:
    """Return moment in UTC; a naive moment is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def set_properties(word: WordDocument, metadata: Metadata) -> None:
    """Set the core properties from the metadata, blanking those it does not give."""
    properties = word.core_properties
    properties.title = clip(metadata.title)
    properties.subject = clip(metadata.subject)
    properties.author = properties.last_modified_by = clip(metadata.author)
    properties.keywords = clip("; ".join(metadata.keywords))
    properties.language = clip(metadata.language)
    properties.created = properties.modified = in_utc(metadata.created)
    properties.revision = 1
    for field in ("category", "comments", "content_status", "identifier", "version"):
        setattr(properties, field, "")


def word_image(data: bytes) -> bytes:
    """Return the PNG or JPEG image as Word takes it: as it is if python-docx reads its header
    and it is not in CMYK, else converted to RGB (a CMYK JPEG, or a JPEG without a JFIF or Exif
    header), a JPEG again as a JPEG and any other image as a PNG."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as WordImage
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        try:
            WordImage.from_blob(data)
            if image.mode != "CMYK":
                return data
        except UnrecognizedImageError:
            pass
        converted = io.BytesIO()
        if image.format == "JPEG":
            image.convert("RGB").save(converted, "JPEG", quality=95)
        else:
            image.convert("RGBA" if "A" in image.mode else "RGB").save(converted, "PNG")
    return converted.getvalue()


def clip(text: str) -> str:
    """Return text cut to the 255 characters python-docx allows in a core property."""
    return text[:PROPERTY_LENGTH]


def pack(word: WordDocument, moment: datetime) -> bytes:
    """Return the .docx bytes of word, zipped with every entry dated moment, in a fixed order.

    This is python-docx's save without its zip file, which dates entries with the time of day:
    each part is compressed once, and the embedded fonts at a faster level.
    """
    package = word.part.package
    parts = list(package.iter_parts())
    members = {CONTENT_TYPES: docx_xml.content_types(parts),
               "_rels/.rels": package.rels.xml}
    for part in parts:
        members[part.partname.membername] = part.blob
        if len(part.rels):
            members[part.partname.rels_uri.membername] = part.rels.xml
    stamp = max(in_utc(moment).timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # zip dates start in 1980
    fonts = {part.partname.membername for part in parts
             if part.content_type == docx_xml.OBFUSCATED_FONT}
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as target:
        for name in sorted(members, key=lambda name: (name != CONTENT_TYPES, name)):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # else it says which system wrote the file
            if name in fonts:
                write_font(target, entry, members[name])
            else:
                target.writestr(entry, members[name])
    return packed.getvalue()


def write_font(target: zipfile.ZipFile, entry: zipfile.ZipInfo, data: bytes) -> None:
    """Write a font part into the zip as writestr does at FONT_COMPRESSION, with its deflated
    bytes made once per user and per process rather than once per file."""
    entry.file_size = len(data)
    entry._compresslevel = FONT_COMPRESSION
    with target.open(entry, "w") as stream:
        if hasattr(stream, "_compressor"):  # zipfile's own deflate gives the same bytes
            stream._compressor = _Replay(deflated(data, FONT_COMPRESSION))
        stream.write(data)


class _Replay:
    """A zip entry's compressor that hands over bytes deflated before."""

    def __init__(self, deflated: bytes):
        self.deflated = deflated

    def compress(self, data: bytes) -> bytes:
        deflated, self.deflated = self.deflated, b""
        return deflated

    def flush(self) -> bytes:
        return b""


@lru_cache(maxsize=8)
def deflated(data: bytes, level: int) -> bytes:
    """Return the data raw-deflated at the level as a zip entry holds it, from the user's
    cache when it holds them for these very bytes."""
    from generator.caches import entry_key, read_entry, write_entry

    key = entry_key("deflated", zlib.ZLIB_RUNTIME_VERSION, level, hashlib.sha256(data).hexdigest())
    cached = read_entry("fonts", key)
    if cached is not None and zlib.decompress(cached, -15) == data:
        return cached
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    result = compressor.compress(data) + compressor.flush()
    write_entry("fonts", key, result)
    return result


def render_docx(document: Document, reference: Path | None = None) -> bytes:
    """Return the .docx file of the document, styled by reference (None: the house style's
    reference Word file, else the built-in styles made over in the house style)."""
    with house_font(document.house.font):
        return _render_docx(document, reference)


def _render_docx(document: Document, reference: Path | None) -> bytes:
    """Return render_docx's file, in the font of the house style being printed in."""
    from generator.writers.docx_style import apply_house_style

    house = document.house
    if reference is None and house.reference_docx:
        from generator.reference import reference_word

        word = reference_word(house.reference_docx, REFERENCE)
    else:
        word = docx.Document(str(reference or REFERENCE))
        set_page_size(word.sections[0], document.page.size)
        apply_house_style(word, house)
    docx_xml.clear(BlockItemContainer(word.element.body, word))
    DocxWriter(word).write(document)
    if reference is None and house.reference_docx:
        from generator.reference import add_artwork

        add_artwork(word)
    set_properties(word, document.metadata)
    if document.metadata.language:
        docx_xml.set_default_language(word, document.metadata.language)
    right_to_left = docx_scripts.set_scripts(word, document.metadata.language)
    docx_xml.set_auto_hyphenation(word)
    shown = shown_characters(docx_xml.shown_parts(word))  # once, for every family embedded
    if right_to_left:
        docx_scripts.embed_arabic(word, shown)
    docx_xml.embed_fonts(word, docx_xml.faces_used(word), shown)
    return pack(word, document.metadata.created)
