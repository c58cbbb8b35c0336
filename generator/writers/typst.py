"""The Typst PDF writer: a Document as Typst source, compiled to PDF by the typst package."""

from __future__ import annotations

import io
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import stylesheet
from generator.document import (
    Annex, Block, Cell, Contents, Document, Heading, PageBreak, PageSettings, Paragraph, Parallel,
    Part, Run, SignatureBlock, Signatures, Table, holds_signature,
)
from generator.fonts import (
    ARABIC_FAMILY, CJK_FAMILY, FACES, FONT_DIR, face_bytes, face_name, family_name, house_font, register_pdf_fonts,
    right_to_left,
)
from generator.furniture import (
    SUPERSCRIPT_SCALE, classification_middle, footer_classification_middle, header_lines,
    header_top,
)
from generator.writers import Visitor, signature_grid

CJK_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk",
    "/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts", "~/AppData/Local/Microsoft/Windows/Fonts",
)
"""Where Noto Serif CJK SC is looked for (apt fonts-noto-cjk; the Noto CJK download on macOS
and Windows): Typst reads no system font, so that output never depends on what else is there."""

ASCENT = 0.9
"""Where a line's box starts above its baseline, in em: with DESCENT the box is LEADING high
and Typst adds no leading, so lines stand LEADING apart, baseline to baseline, as in reportlab
(Typst's own line box runs from the cap height to the baseline)."""

HOUSE_FONT_DIR = "house-font"
"""The folder, in the compile folder, the house style's four face files are copied to."""

MARK_LABEL = "chancery-mark"
"""The label of the metadata each heading and annex page leaves, to find its page."""


def render_typst_pdf(document: Document, pdfa: str = "2b", pdfua: bool = False) -> bytes:
    """Return the document as a complete PDF file set by Typst: PDF/A-2b, PDF/A-1b with
    pdfa="1b" or a plain PDF with pdfa="none"; tagged PDF/UA-1 as well with pdfua=True."""
    return render_typst_pdf_with_pages(document, pdfa, pdfua)[0]


def render_typst_pdf_with_pages(document: Document, pdfa: str = "2b", pdfua: bool = False
                                ) -> tuple[bytes, dict[str, int]]:
    """Return the PDF file as render_typst_pdf does, and the page (1 is the first) each heading
    is on by its anchor."""
    import typst

    if pdfa != "none":
        from generator.pdfa import check_level

        check_level(pdfa)
    with house_font(document.house.font):
        writer = TypstWriter(document, pdfua)
        source = writer.source()
    folders = font_paths(needs_cjk(document))
    if needs_cjk(document) and len(folders) == 1:
        raise MissingFont(
            f"{document.metadata.title or document.name} has Chinese text and Noto Serif CJK SC "
            "is not installed (Debian and Ubuntu: sudo apt install fonts-noto-cjk; Windows and "
            "macOS: install Noto Serif CJK SC from the Noto CJK releases)")
    with tempfile.TemporaryDirectory(prefix="chancery-typst-") as folder:
        root = Path(folder)
        (root / "main.typ").write_text(source, encoding="utf-8")
        for name, data in writer.state.files.items():
            (root / name).write_bytes(data)
        if document.house.font:  # the house faces alone, so no other file in their folder is read
            (root / HOUSE_FONT_DIR).mkdir()
            with house_font(document.house.font):
                for number, role in enumerate(FACES):
                    (root / HOUSE_FONT_DIR / f"{number}-{role}.ttf").write_bytes(face_bytes(role))
            folders = [str(root / HOUSE_FONT_DIR), *folders]
        compiler = typst.Compiler(str(root / "main.typ"), root=str(root),
                                  font_paths=folders,
                                  ignore_system_fonts=True)
        timestamp = int(document.metadata.created.timestamp())
        standards = ["ua-1"] if pdfua else []  # PDF/A: the archival step, as for reportlab
        data = compiler.compile(format="pdf", timestamp=timestamp, pdf_standards=standards,
                                pdf_tags=pdfua)
        marks = json.loads(compiler.query(f"<{MARK_LABEL}>", field="value"))
    pages = {mark["anchor"]: mark["page"]
             for mark in marks if mark["kind"] == "heading"}
    placements = [(mark["page"], writer.state.annexes[mark["annex"]], mark["index"])
                  for mark in marks if mark["kind"] == "annex"]
    if placements:
        from generator.writers.pdf import place_annex_pages

        width, height = stylesheet.page_size(document.page.size)
        top, right, bottom, left = stylesheet.margins(document.house)
        data = place_annex_pages(data, placements, (left, bottom, width - right, height - top))
    data = _finished(data, document, pdfa, pdfua)
    return data, pages


class MissingFont(Exception):
    """What the Typst writer cannot make of a document, in the user's words: a font it needs
    is not installed, or a PDF annex in a tagged PDF."""


def needs_cjk(document: Document) -> bool:
    """Return whether the document has Chinese text (its fonts are large: read only then)."""
    from generator.document import document_lines
    from generator.pdf_scripts import CHINESE_TEXT

    return bool(CHINESE_TEXT.search("\n".join([document.metadata.title, document.page.header,
                                                *document_lines(document)])))


def font_paths(cjk: bool = True) -> list[str]:
    """Return the folders Typst reads fonts from: the bundled Noto Serif and Noto Sans Arabic,
    and with cjk the first of CJK_FONT_DIRS holding Noto Serif CJK."""
    folders = [str(FONT_DIR)]
    if not cjk:
        return folders
    for folder in CJK_FONT_DIRS:
        path = Path(folder).expanduser()
        if path.is_dir() and any(path.glob("NotoSerifCJK*")):
            folders.append(str(path))
            break
    return folders


def _finished(data: bytes, document: Document, pdfa: str, pdfua: bool) -> bytes:
    """Return Typst's PDF made archival at the level by the same step as the reportlab writer's
    (its XMP keeps the PDF/UA identification when tagged), with a document ID from its content."""
    if pdfa == "none":
        import pikepdf

        buffer = io.BytesIO()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()
    from generator.pdfa import archival

    if pdfa == "1b":
        data = _for_pdfa1(data)
    return archival(data, document.metadata, pdfa, ua=pdfua)


def _for_pdfa1(data: bytes) -> bytes:
    """Return Typst's PDF with what PDF/A-1 forbids in it replaced: its ICC profiles are
    version 4 (PDF/A-1 reads version 2: the RGB one becomes the shipped sRGB profile, the grey
    one DeviceGray) and its link destinations are indirect arrays, which PDFBox Preflight
    rejects ("can't convert to Destination"): they are copied in place."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    from generator.pdfa import icc_profile

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in list(pdf.objects):
            if (isinstance(obj, Array) and len(obj) == 2 and obj[0] == Name.ICCBased
                    and obj.is_indirect):
                if int(obj[1].get("/N", 0)) == 3:
                    obj[1].write(icc_profile())
                    for key in list(obj[1].keys()):
                        if key not in ("/N", "/Length", "/Filter"):
                            del obj[1][key]
                    obj[1].Alternate = Name.DeviceRGB
                elif int(obj[1].get("/N", 0)) == 1:
                    pdf._replace_object(obj.objgen, Name.DeviceGray)

        def direct(holder: Dictionary, key: str) -> None:
            value = holder.get(key)
            if isinstance(value, Array) and value.is_indirect:
                holder[key] = Array(list(value))

        item = pdf.Root.get("/Outlines", {}).get("/First")
        stack = [item] if item is not None else []
        while stack:
            item = stack.pop()
            direct(item, "/Dest")
            stack += [item[key] for key in ("/First", "/Next") if key in item]
        for page in pdf.pages:
            for annotation in page.get("/Annots", ()):
                direct(annotation, "/Dest")
                if "/A" in annotation:
                    direct(annotation.A, "/D")
        names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names")
        if names is not None:
            for index in range(1, len(names), 2):
                if isinstance(names[index], Array) and names[index].is_indirect:
                    names[index] = Array(list(names[index]))
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def literal(text: str) -> str:
    """Return the text as a Typst string literal: quotes and backslashes escaped, every control
    or non-character code point as a \\u{...} escape, so that no text can become markup."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000 or code in (
                0x2028, 0x2029, 0x85):
            out.append(f"\\u{{{code:x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _colour(hex_rgb: str) -> str:
    """Return a colour given as hex RGB ("0B5563") as Typst writes it."""
    return f'rgb("#{hex_rgb}")'


def _pt(value: float) -> str:
    """Return a length in pt as Typst writes it."""
    return f"{value:.3f}pt"


def _mm(value: float) -> str:
    """Return a length in mm as Typst writes it."""
    return f"{value:.3f}mm"


WORD = re.compile(r"(\w+)")

COMPOUND = re.compile(r"\w+(?:-\w+)+")
"""A word with its own hyphens: one with a capital or a digit (Port-Aurèle, Secretary-General,
COVID-19) is never broken, by the house rules: it is set in a box, which Typst never breaks."""


def _pieces(text: str, language: str | None) -> str:
    """Return text as Typst content: each compound the house rules keep whole in an unbreakable
    box and, given a language, soft hyphens where its words may break."""
    parts, at = [], 0
    for match in COMPOUND.finditer(text):
        if any(char.isupper() or char.isdigit() for char in match.group(0)):
            parts.append(f"text({literal(_hyphenated(text[at:match.start()], language))})"
                         if language else f"text({literal(text[at:match.start()])})")
            parts.append(f"box(text({literal(match.group(0))}))")
            at = match.end()
    parts.append(f"text({literal(_hyphenated(text[at:], language) if language else text[at:])})")
    return " + ".join(part for part in parts if part != 'text("")') or 'text("")'


def _hyphenated(text: str, language: str) -> str:
    """Return the text with a soft hyphen wherever the house rules let a word break at a line
    end in the language (hyphenation.hyphenator: the PDF writers' one rule set); Typst's own
    hyphenation stays off, as it would break after two letters and split names."""
    from generator.hyphenation import hyphenator

    breaks = hyphenator(language)
    if breaks is None:
        return text

    def soft(match: re.Match) -> str:
        word = match.group(0)
        places = sorted({len(head) for head, _ in breaks(word) if not head.endswith("-")})
        if not places:
            return word
        return "".join("\xad" + piece if index else piece for index, piece in enumerate(
            word[start:end] for start, end in zip([0, *places], [*places, len(word)])))

    return WORD.sub(soft, text)


def _face(bold: bool, italic: bool) -> str:
    """Return the Typst text settings of a face."""
    return (f'weight: "{"bold" if bold else "regular"}", '
            f'style: "{"italic" if italic else "normal"}"')


def _language(tag: str) -> str:
    """Return the Typst text settings for a BCP 47 language tag: its language, its region if
    given, and its direction."""
    primary, _, rest = tag.partition("-")
    region = next((part for part in rest.split("-") if len(part) == 2 and part.isalpha()), None)
    settings = f"lang: {literal(primary.lower())}"
    if region:
        settings += f", region: {literal(region.upper())}"
    direction = "rtl" if right_to_left(primary) else "ltr"
    return f"{settings}, dir: {direction}"


@dataclass(slots=True)
class State:
    """What the writer changes while it visits the document."""

    language: str
    """The language of the text being written."""
    width: float
    """Width of the container being filled, in pt."""
    anchors: list[str] = field(default_factory=list)
    """The anchor of every heading, in document order: each is a Typst label and the name of
    its PDF destination."""
    headings: int = 0
    """The headings written so far."""
    annexes: list[Annex] = field(default_factory=list)
    """The annexes met so far, in order."""
    heading_level: int = 0
    """The level of the last heading as tagged: one below the one before at most."""
    files: dict[str, bytes] = field(default_factory=dict)
    """The files the source refers to (images), by name in the compile folder."""


class TypstWriter(Visitor):
    """Turn a document into Typst source; each visit returns Typst code (an expression that is
    content), and every data string in it is a string literal."""

    def __init__(self, document: Document, tagged: bool = False) -> None:
        self.document = document
        self.tagged = tagged
        """Whether the PDF is tagged (PDF/UA): a PDF annex is then refused."""
        self.house = document.house
        self.specs = stylesheet.house_specs(document.house)
        """The paragraph styles at the house style's sizes."""
        self.page_width, self.page_height = stylesheet.page_size(document.page.size)
        self.margins = stylesheet.margins(document.house)
        """Top, right, bottom and left margins, in pt."""
        self.frame_width = self.page_width - self.margins[1] - self.margins[3]
        self.state = State(language=document.metadata.language or "en", width=self.frame_width)

    def source(self) -> str:
        """Return the whole Typst source: settings, page furniture and the body."""
        self.label_headings(self.document.blocks)
        body = self.blocks(self.document.blocks)
        letterhead = stylesheet.letterhead_height(self.house)
        if letterhead:  # the first page's body starts under the letterhead
            body.insert(0, f"place(top, float: true, clearance: 0pt, block(width: 100%, "
                           f"height: {_pt(letterhead)}))")
        lines = [self.preamble(), "#{", *(f"  {item}" for item in body), "}", ""]
        return "\n".join(lines)

    def label_headings(self, blocks: tuple[Block, ...]) -> None:
        """Give every heading's anchor a label, in document order, before contents refer to it."""
        for block in blocks:
            match block:
                case Heading():
                    anchor = block.anchor or f"chancery-heading-{len(self.state.anchors) + 1}"
                    if anchor in self.state.anchors:
                        raise ValueError(f"heading anchor {anchor!r} is used by two headings")
                    self.state.anchors.append(anchor)
                case Part():
                    self.label_headings(block.blocks)
                case Parallel():
                    for cell in block.cells:
                        self.label_headings(cell.blocks)
                case Table():
                    for row in block.rows:
                        for cell in row.cells:
                            self.label_headings(cell.blocks)

    def preamble(self) -> str:
        """Return the document settings, the page with its furniture and the heading styles."""
        meta = self.document.metadata
        created = meta.created
        keywords = ", ".join(literal(word) for word in meta.keywords)
        page = self.document.page
        size = self.specs["Body"].size
        top, right, bottom, left = self.margins
        return "\n".join([
            f"#set document(title: {literal(meta.title)}, author: ({literal(meta.author)},), "
            f"description: {literal(meta.subject)}, keywords: ({keywords}{',' if keywords else ''}), "
            f"date: datetime(year: {created.year}, month: {created.month}, day: {created.day}, "
            f"hour: {created.hour}, minute: {created.minute}, second: {created.second}))",
            f"#set text(font: ({literal(family_name())}, {literal(ARABIC_FAMILY)}, "
            f"{literal(CJK_FAMILY)}), size: {_pt(size)}, {_language(self.state.language)}, "
            f"hyphenate: false, fallback: false, top-edge: {ASCENT}em, "
            f"bottom-edge: {ASCENT - stylesheet.LEADING:.2f}em)",
            "#set par(leading: 0pt, spacing: 0pt)",
            "#set block(spacing: 0pt)",
            "#set heading(numbering: none)",
            "#show heading: it => it.body",
            f"#set page(width: {_pt(self.page_width)}, height: {_pt(self.page_height)}, "
            f"margin: (top: {_pt(top)}, right: {_pt(right)}, bottom: {_pt(bottom)}, "
            f"left: {_pt(left)}), header: none, footer: none, "
            f"background: {{ {self.watermark(page.watermark)}; {self.furniture(page)} }})",
        ])

    def furniture(self, page: PageSettings) -> str:
        """Return what is drawn around the body of each page: the letterhead on the first; the
        classification on every page; the running header and the page label on every page but
        a cover."""
        letterhead = self.letterhead() if stylesheet.letterhead_height(self.house) else "[]"
        cover = "true" if page.cover else "false"
        return (f"context {{ let first = here().page() == 1; let running = not (first and "
                f"{cover}); if first {{ {letterhead} }}; if running {{ {self.header(page)} }}; "
                f"{self.classification(page.classification)}; "
                f"if running {{ {self.footer(page)} }} }}")

    def furniture_text(self, runs: tuple[Run, ...], side: str, baseline: float,
                       size: float = stylesheet.FURNITURE_SIZE) -> str:
        """Return a line of furniture runs placed with its baseline baseline (pt) below the
        page's top edge, against the margin on the side ("left", "right" or "center"); a
        raised run smaller and a third of the size above the baseline."""
        if not runs:
            return "[]"
        parts = []
        for run in runs:
            settings = [_face(run.bold, run.italic)]
            if run.superscript:
                settings += [f"size: {_pt(size * SUPERSCRIPT_SCALE)}", f"baseline: {_pt(-size / 3)}"]
            parts.append(f"text({', '.join(settings)}, {literal(run.text)})")
        dx = {"left": self.margins[3], "right": -self.margins[1], "center": 0.0}[side]
        return (f"place(top + {side}, dx: {_pt(dx)}, dy: {_pt(baseline)}, box(text(size: "
                f"{_pt(size)}, hyphenate: false, top-edge: \"baseline\", bottom-edge: "
                f"\"baseline\", {' + '.join(parts)})))")

    def header(self, page: PageSettings) -> str:
        """Return the running header: the title or symbol flush with the start margin, the
        status flush with the end margin, on shared baselines (furniture.header_lines), and a
        hairline in the house rule colour under the last line."""
        lines = header_lines(page, self.frame_width)
        if not lines:
            return "[]"
        from reportlab.pdfbase.pdfmetrics import getAscentDescent

        register_pdf_fonts()
        size = stylesheet.FURNITURE_SIZE
        top, _, _, left = self.margins
        ascent, descent = getAscentDescent(face_name(), size)
        classified = self.house.size if page.classification else 0.0
        first = header_top(len(lines), top, classified) + ascent
        start, end = ("right", "left") if right_to_left(self.state.language) else ("left", "right")
        places = []
        for number, (title, status) in enumerate(lines):
            baseline = first + number * size * stylesheet.LEADING
            places += [self.furniture_text(title, start, baseline),
                       self.furniture_text(status, end, baseline)]
        rule = first + (len(lines) - 1) * size * stylesheet.LEADING - descent
        rule += stylesheet.HEADER_RULE_SPACE
        places.append(f"place(top + left, dx: {_pt(left)}, dy: {_pt(rule)}, line(length: "
                      f"{_pt(self.frame_width)}, stroke: (thickness: {_pt(stylesheet.HAIRLINE)}, "
                      f"paint: {_colour(self.house.rule_colour)}, cap: \"butt\")))")
        return "{ " + "; ".join(places) + " }"

    def classification(self, text: str | None) -> str:
        """Return the classification centred in bold at the body's size on a line of its own
        between the running header and the body, and between the body and the footer."""
        if not text:
            return "[]"
        from reportlab.pdfbase.pdfmetrics import getAscentDescent

        register_pdf_fonts()
        size = self.house.size
        ascent, descent = getAscentDescent(face_name(bold=True), size)
        top, _, bottom, _ = self.margins
        runs = (Run(text, bold=True),)
        upper = classification_middle(top) + (ascent + descent) / 2
        lower = self.page_height - footer_classification_middle(bottom) + (ascent + descent) / 2
        return (f"{{ {self.furniture_text(runs, 'center', upper, size)}; "
                f"{self.furniture_text(runs, 'center', lower, size)} }}")

    def footer(self, page: PageSettings) -> str:
        """Return the page label, such as "Page 3 of 12", flush with the end margin on the
        footer's baseline."""
        from reportlab.pdfbase.pdfmetrics import getAscentDescent

        register_pdf_fonts()
        pieces = []
        for piece in re.split(r"(\{pages\}|\{page\})", page.page_label):
            if piece == "{page}":
                pieces.append("str(counter(page).get().first())")
            elif piece == "{pages}":
                pieces.append("str(counter(page).final().first())")
            elif piece:
                pieces.append(literal(piece))
        label = "(" + " + ".join(pieces or ['""']) + ")"
        size = stylesheet.FURNITURE_SIZE
        descent = getAscentDescent(face_name(), size)[1]
        baseline = self.page_height - (stylesheet.FURNITURE_DISTANCE * stylesheet.MM - descent)
        side, dx = (("left", self.margins[3]) if right_to_left(self.state.language)
                    else ("right", -self.margins[1]))
        return (f"place(top + {side}, dx: {_pt(dx)}, dy: {_pt(baseline)}, box(text(size: "
                f"{_pt(size)}, hyphenate: false, top-edge: \"baseline\", bottom-edge: "
                f"\"baseline\", {label})))")

    def letterhead(self) -> str:
        """Return the letterhead of the first page, at the top of its body: the emblem, the
        issuing body's name (in the heading colour) and address centred, and a rule in the
        rule colour across the text width under them."""
        from reportlab.pdfbase.pdfmetrics import getAscentDescent

        register_pdf_fonts()
        house = self.house
        top, _, _, left = self.margins
        gap = stylesheet.LETTERHEAD_GAP * stylesheet.MM
        y, parts = top, []
        if house.emblem is not None:
            name = self.emblem_file()
            alt = literal(house.issuer[0] if house.issuer else Path(house.emblem.path).name)
            parts.append(f"place(top + center, dy: {_pt(y)}, image({literal(name)}, width: "
                         f"{_mm(house.emblem.width)}, alt: {alt}))")
            y += stylesheet.emblem_height(house) + gap
        for number, line in enumerate(house.issuer):
            size = (stylesheet.LETTERHEAD_NAME_SIZE if number == 0
                    else stylesheet.LETTERHEAD_LINE_SIZE)
            descent = getAscentDescent(face_name(bold=number == 0), size)[1]
            y += size * stylesheet.LEADING
            baseline = y - (size * stylesheet.LEADING - size) / 2 + descent / 2
            run = (Run(line, bold=number == 0),)
            text = self.furniture_text(run, "center", baseline, size)
            if number == 0 and house.heading_colour != "000000":
                text = f"{{ set text(fill: {_colour(house.heading_colour)}); {text} }}"
            parts.append(text)
        y += gap
        parts.append(f"place(top + left, dx: {_pt(left)}, dy: {_pt(y)}, line(length: "
                     f"{_pt(self.frame_width)}, stroke: (thickness: "
                     f"{_pt(stylesheet.LETTERHEAD_RULE)}, paint: {_colour(house.rule_colour)}, "
                     f"cap: \"butt\")))")
        return "{ " + "; ".join(parts) + " }"

    def emblem_file(self) -> str:
        """Return the name, in the compile folder, of the emblem's file: an SVG as it is (Typst
        draws it as vectors), an image made opaque on white in grey or RGB (PDF/A-1)."""
        from generator.emblem import emblem_bytes, emblem_image

        emblem = self.house.emblem
        if emblem.kind == "svg":
            self.state.files["emblem.svg"] = emblem_bytes(emblem)
            return "emblem.svg"
        buffer = io.BytesIO()
        emblem_image(emblem).save(buffer, format="PNG")
        self.state.files["emblem.png"] = buffer.getvalue()
        return "emblem.png"

    def watermark(self, text: str | None) -> str:
        """Return the watermark: the text large, light and opaque along the page's diagonal."""
        if not text:
            return "[]"
        grey = round(stylesheet.WATERMARK_GREY * 100)
        return ("context { let w = measure(text(size: 100pt, weight: \"bold\", "
                f"{literal(text)})).width; let diagonal = calc.sqrt(calc.pow(page.width.pt(), 2) "
                "+ calc.pow(page.height.pt(), 2)); let size = calc.min(200, 60 * diagonal / "
                "w.pt()) * 1pt; place(center + horizon, rotate(calc.atan2(page.width.pt(), "
                "page.height.pt()) * -1, reflow: false, box(width: w / 100pt * size, "
                f"text(size: size, weight: \"bold\", fill: luma({grey}%), {literal(text)})))) }}")

    # --- blocks -----------------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...]) -> list[str]:
        """Return the Typst code of each block, in order."""
        return [code for block in blocks for code in self.visit(block)]

    def content(self, blocks: tuple[Block, ...]) -> str:
        """Return the blocks as one content expression."""
        codes = self.blocks(blocks)
        return "{ " + "; ".join(codes) + " }" if codes else "[]"

    def runs(self, runs: tuple[Run, ...], bold: bool = False, italic: bool = False,
             hyphenate: bool = False) -> str:
        """Return the runs as one content expression, each in its face; "\\n" breaks the line.
        hyphenate: mark where words may break, by the house rules of the run's language."""
        parts = []
        for run in runs:
            language = run.language or self.state.language
            lines = run.text.split("\n")
            code = " + linebreak() + ".join(
                _pieces(line, language if hyphenate else None) for line in lines)
            settings = []
            if run.bold and not bold:
                settings.append('weight: "bold"')
            if run.italic and not italic:
                settings.append('style: "italic"')
            if run.language:
                settings.append(_language(run.language))
            if settings:
                code = f"text({', '.join(settings)}, {code})"
            if run.superscript:
                code = f"super(typographic: false, {code})"
            parts.append(code)
        return "[" + "".join(f"#({part})" for part in parts) + "]" if parts else "[]"

    def visit_Paragraph(self, node: Paragraph) -> list[str]:
        spec = self.specs.get(node.style)
        if spec is None:
            raise ValueError(f"unknown paragraph style {node.style!r}")
        ragged = self.state.width < stylesheet.NARROW_MEASURE * stylesheet.MM
        justify = spec.align == "justify" and not ragged
        align = {"left": "start", "justify": "start", "center": "center", "right": "end"}[spec.align]
        own = {run.language for run in node.runs if run.text.strip() and not run.superscript}
        language = own.pop() if len(own) == 1 and None not in own else self.state.language
        body = self.runs(node.runs, spec.bold, spec.italic,
                         bool(stylesheet.hyphenation(node.style, language)))
        mark = node.number or (stylesheet.BULLET if node.style == "Bullet" else None)
        hang = spec.hang * stylesheet.MM or (stylesheet.INDENT_STEP * stylesheet.MM
                                             if node.number else 0)
        indent = node.level * stylesheet.INDENT_STEP * stylesheet.MM
        if mark is not None:
            body = (f"[#box(width: {_pt(hang)}, text({literal(mark)}))#{body}]")
        elif hang:
            indent += hang
            hang = 0
        face = _face(spec.bold, spec.italic)
        keep = "true" if node.keep_with_next or spec.keep_with_next else "false"
        fill = (f"fill: {_colour(self.house.heading_colour)}, "
                if node.style in stylesheet.COLOURED and self.house.heading_colour != "000000"
                else "")
        return [f"block(width: 100%, above: {_pt(spec.space_before)}, "
                f"below: {_pt(spec.space_after)}, sticky: {keep}, pad({self.start_side()}: {_pt(indent)}, align({align}, text(size: "
                f"{_pt(spec.size)}, {face}, {fill}par(justify: {str(justify).lower()}, "
                f"hanging-indent: {_pt(hang)}, "
                f"{body})))))"]

    def visit_Heading(self, node: Heading) -> list[str]:
        level = min(max(node.level, 1), 3)
        anchor = self.state.anchors[self.state.headings]
        self.state.headings += 1
        label = f"label({literal(anchor)})"
        spec = self.specs[f"Heading {level}"]
        tagged = min(level, self.state.heading_level + 1)  # PDF/UA: levels may not be skipped
        self.state.heading_level = tagged
        fill = (f"fill: {_colour(self.house.heading_colour)}, "
                if self.house.heading_colour != "000000" else "")
        face = f"size: {_pt(spec.size)}, {_face(spec.bold, spec.italic)}, {fill}"
        heading = (f"block(width: 100%, above: {_pt(spec.space_before)}, "
                   f"below: {_pt(spec.space_after)}, sticky: true, text({face}"
                   f"par("
                   f"[#heading(level: {tagged}, text({face}"
                   f"{self.runs(node.runs, spec.bold, spec.italic)}))"
                   f"#{label}#context [#metadata((kind: \"heading\", anchor: {literal(anchor)}, "
                   f"page: here().page()))<{MARK_LABEL}>]])))")
        return ["pagebreak(weak: true)", heading] if node.page_break else [heading]

    def start_side(self) -> str:
        """Return the side lines start on in the current language: "left", or "right" for a
        language written right to left."""
        return "right" if right_to_left(self.state.language) else "left"

    def cell(self, cell: Cell, width: float, language: str | None = None) -> str:
        """Return a cell's blocks as content width (pt) wide, in the language if given."""
        outer = self.state.width, self.state.language
        self.state.width, self.state.language = width, language or outer[1]
        try:
            code = self.content(cell.blocks)
        finally:
            self.state.width, self.state.language = outer
        if language:
            code = f"text({_language(language)}, {code})"
        return code

    def visit_Table(self, node: Table) -> list[str]:
        if not node.rows:
            return []
        total = sum(node.widths)
        columns = len(node.widths)
        padding = stylesheet.CELL_PADDING[0] * stylesheet.MM
        header, body = [], []
        for row in node.rows:
            if len(row.cells) > columns:
                raise ValueError(f"a table row has {len(row.cells)} cells for {columns} columns")
            cells = []
            for cell, width in zip(row.cells, node.widths):
                inner = self.cell(cell, width / total * self.state.width - 2 * padding)
                if row.header:
                    inner = f"text(weight: \"bold\", {inner})"
                cells.append(f"table.cell(breakable: false, {inner})")
            cells += ["table.cell(breakable: false, [])"] * (columns - len(row.cells))
            (header if row.header else body).extend(cells)
        shade = f"rgb(\"#{stylesheet.HEADER_SHADING}\")"
        rows = len([row for row in node.rows if row.header])
        parts = [f"columns: ({', '.join(f'{width / total * 100:.4f}%' for width in node.widths)},)",
                 f"stroke: (thickness: {_pt(stylesheet.GRID_WIDTH)}, "
                 f"paint: {_colour(self.house.rule_colour)})", f"inset: {_mm(padding / stylesheet.MM)}",
                 f"fill: (x, y) => if y < {rows} {{ {shade} }}"]
        if header:
            parts.append(f"table.header(repeat: true, {', '.join(header)})")
        parts += body
        size = self.specs["Table Text"].size
        return [f"block(below: 6pt, text(size: {_pt(size)}, table({', '.join(parts)})))"]

    def visit_Parallel(self, node: Parallel) -> list[str]:
        """Return one row of equally wide columns a gutter apart, level at the top; it splits
        across pages unless it holds a signature block."""
        if not node.cells:
            return []
        gutter = stylesheet.PARALLEL_GUTTER * stylesheet.MM
        count = len(node.cells)
        width = (self.state.width - (count - 1) * gutter) / count
        cells = [self.cell(cell, width, language)
                 for cell, language in zip(node.cells, node.languages)]
        order = range(count)  # in a right-to-left document the grid runs right to left
        breakable = "false" if holds_signature(node) else "true"
        last = node.cells[0].blocks[-1:]
        keep = "true" if last and isinstance(last[0], Paragraph) and (
            last[0].keep_with_next) else "false"
        return [f"block(breakable: {breakable}, sticky: {keep}, below: 6pt, grid(columns: "
                f"({', '.join(['1fr'] * count)}), column-gutter: {_pt(gutter)}, "
                f"{', '.join(cells[index] for index in order)}))"]

    def signature(self, node: SignatureBlock) -> str:
        """Return the party line, room to sign, the line to sign on, the name and the title, in
        one block that never splits."""
        party_spec = self.specs["Signature Party"]
        spec = self.specs["Signature"]
        runs = (Run(node.party),) + ((Run(node.mark, superscript=True),) if node.mark else ())
        length = min(stylesheet.SIGNATURE_LINE * stylesheet.MM, self.state.width)
        parts = [f"par({self.runs(runs)})", f"v({_pt(stylesheet.SIGNATURE_SPACE)})",
                 f"align(start, line(length: {_pt(length)}, stroke: {_pt(stylesheet.SIGNATURE_LINE_WIDTH)}))",
                 f"v({_pt(party_spec.space_after)})"]
        parts += [f"block(below: {_pt(spec.space_after)}, par({self.runs((Run(text),))}))"
                  for text in (node.name, node.title) if text]
        return (f"block(breakable: false, above: {_pt(party_spec.space_before)}, below: 6pt, "
                f"width: 100%, text(size: {_pt(spec.size)}, {{ {'; '.join(parts)} }}))")

    def visit_SignatureBlock(self, node: SignatureBlock) -> list[str]:
        return [self.signature(node)]

    def visit_Signatures(self, node: Signatures) -> list[str]:
        """Return the grid's rows, each a row of equally wide columns that never splits; the last
        two rows are kept together."""
        _, gutter, grid = signature_grid(self, node, self.signature, "[]")
        rows = [f"grid(columns: ({', '.join(['1fr'] * len(row))}), column-gutter: "
                f"{_pt(gutter)}, {', '.join(row)})" for row in grid]
        space = _pt(self.specs["Signature Party"].space_before)  # lost at a cell's top
        rows = [f"block(breakable: false, above: {space}, {row})" for row in rows]
        if len(rows) > 1:
            rows[-2:] = [f"block(breakable: false, above: {space}, {{ {rows[-2]}; {rows[-1]} }})"]
        return rows

    def visit_Part(self, node: Part) -> list[str]:
        outer = self.state.language
        self.state.language = node.language
        try:
            return [f"text({_language(node.language)}, {self.content(node.blocks)})"]
        finally:
            self.state.language = outer

    def visit_PageBreak(self, node: PageBreak) -> list[str]:
        return ["pagebreak(weak: true)"]

    def visit_Contents(self, node: Contents) -> list[str]:
        """Return one line per entry: its text linked to the heading, a leader of drawn dots
        (not text: the line copies as its words) and the heading's page number at the right."""
        lines = []
        gap = stylesheet.LEADER_SPACING
        radius = stylesheet.LEADER_DOT * self.specs["Body"].size / 2
        leader = (f"box(width: 1fr, repeat(gap: {_pt(gap - 2 * radius)}, justify: false, "
                  f"circle(radius: {_pt(radius)}, fill: black, stroke: none)))")
        for entry in node.entries:
            level = min(max(entry.level, 1), 3)
            label = (f"label({literal(entry.anchor)})" if entry.anchor in self.state.anchors
                     else None)
            text = f"text({literal(entry.text)})"
            page = (f"context str(counter(page).at({label}).first())" if label else "[]")
            line = (f"grid(columns: (1fr, auto), column-gutter: {_pt(gap)}, "
                    f"par([#{text}#h({_pt(gap)})#{leader}]), align(end + bottom, {page}))")
            if label:
                line = f"link({label}, {line})"
            lines.append(f"block(below: 3pt, pad({self.start_side()}: "
                         f"{_mm((level - 1) * stylesheet.INDENT_STEP)}, {line}))")
        return lines

    def visit_Annex(self, node: Annex) -> list[str]:
        """Return a page for each page of a PDF annex, its body left empty for the pages to be
        placed in, or a page with the image scaled to fit the body."""
        if self.state.width != self.frame_width:
            raise ValueError("an annex cannot stand in a table cell or a parallel column")
        number = len(self.state.annexes)
        self.state.annexes.append(node)
        if node.kind != "pdf":
            name = f"annex-{number}.png"
            self.state.files[name] = annex_png(node)
            return ["pagebreak(weak: true)",
                    f"block(width: 100%, height: 100%, align(center + horizon, image("
                    f"\"{name}\", width: 100%, height: 100%, fit: \"contain\", "
                    f"alt: {literal(f'Annex: {Path(node.path).name}')})))"]
        codes = []
        if self.tagged:  # Typst embeds no PDF in a tagged file; placed after, it has no tags
            raise MissingFont(
                f"{self.document.metadata.title or self.document.name}: the PDF annex "
                f"{Path(node.path).name} cannot be tagged for screen readers (its pages are "
                "placed as they are); build this document without --pdfua, or attach the annex "
                "as an image or publish it as an accessible PDF of its own")
        for index in range(node.pages):
            codes += ["pagebreak(weak: true)",
                      f"block(width: 100%, height: 100%, context [#metadata((kind: \"annex\", "
                      f"annex: {number}, index: {index}, page: here().page()))<{MARK_LABEL}>])"]
        return codes


def annex_png(annex: Annex) -> bytes:
    """Return an image annex as an opaque PNG in grey or RGB (PDF/A-1 has no transparency)."""
    from PIL import Image

    from generator.annexes import opaque_image, read_annex

    image = opaque_image(Image.open(io.BytesIO(read_annex(annex))))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
