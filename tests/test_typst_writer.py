"""The Typst PDF writer: what the reportlab writer guarantees, PDF/UA tagging, and the engine choice."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from generator.cli import main
from generator.document import (
    Cell, Contents, Document, Heading, Metadata, PageSettings, Paragraph, Parallel,
    Part, Row, Run, Table,
)
from generator.pdfa import check_pdfa
from generator.rendering import render_formats
from generator.writers.typst import literal, render_typst_pdf, render_typst_pdf_with_pages
from tests.readback import pdf_heading_pages, pdf_pages, squeeze
from tests.test_annexes import (
    ANNEXES, HEADER, REPORT_PAGES, contents_numbers, cover_page, good_annexes, meeting_file,
    placed_box,
)
from tests.test_pdfa import example_documents, preflight

ROOT = Path(__file__).resolve().parent.parent
MERIDIAN = ROOT / "inputs" / "meridian-forum-1st-consultation.yaml"


def every_example_document():
    """Yield (name, document) of every edition a default build of every example writes, the
    Arabic and Chinese example's included."""
    from generator.build import available_documents, editions, make_document
    from generator.inputs import load_meeting
    from generator.templating import default_templates

    yield from example_documents()
    loaded = load_meeting(str(MERIDIAN))
    for edition in editions(loaded, available_documents(loaded)):
        yield (f"{loaded.meeting.id}-{edition.stem}",
               make_document(loaded, edition, default_templates())[0])


EXAMPLES = dict(every_example_document())


@pytest.fixture(scope="module")
def examples() -> dict[tuple[str, str], bytes]:
    """Return {(edition name, level): PDF bytes} of every example edition set by Typst."""
    return {(name, level): render_typst_pdf(document, level)
            for name, document in EXAMPLES.items() for level in ("1b", "2b")}


def document_of(blocks, language: str = "en", **page) -> Document:
    """Return a document of the blocks with plain metadata and the page settings given."""
    from datetime import datetime, timezone

    metadata = Metadata(title="Test", subject="Test meeting", author="Secretariat",
                        keywords=("test",), language=language,
                        created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    return Document("test", metadata, PageSettings(**page), tuple(blocks))


# --- data never becomes markup --------------------------------------------------------------

HOSTILE = ['#set page(width: 1pt)', '"); #panic("x', "\\\"", "*bold* _em_ $x^2$ `raw`",
           "<label> @ref #{1 + 1} [content] // comment /* c */", "= Heading", "- item",
           "line\u2028separator", "a\\u{41}b", "${x} {{ y }}"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_literal_prints_exactly_its_text(text):
    """Every data string is a Typst string literal; whatever it holds prints as written."""
    pdf = render_typst_pdf(document_of([Paragraph((Run(text),))]), "none")
    printed = squeeze(pdf_pages(pdf)[0])
    assert squeeze(text) in printed
    assert literal(text).startswith('"') and literal(text).endswith('"')


def test_a_literal_escapes_quotes_backslashes_and_controls():
    assert literal('a"b\\c\nd\x07') == '"a\\"b\\\\c\\u{a}d\\u{7}"'


# --- archival, reproducible, fonts ----------------------------------------------------------


@pytest.mark.parametrize("level", ("1b", "2b"))
def test_every_example_passes_the_pdfa_self_check(examples, level):
    problems = {name: check_pdfa(examples[name, level], level)[:3] for name in EXAMPLES}
    assert {name: found for name, found in problems.items() if found} == {}


def test_preflight_accepts_every_example_in_1b(examples, tmp_path):
    files = {name: examples[name, "1b"] for name in EXAMPLES}
    files["typst-plain-control"] = render_typst_pdf(next(iter(EXAMPLES.values())), "none")
    errors = preflight(files, tmp_path)
    assert errors.pop("typst-plain-control"), "Preflight must reject Typst's plain PDF"
    assert {name: problems[:5] for name, problems in errors.items() if problems} == {}


def test_same_document_same_bytes():
    document = EXAMPLES["almaty-process-8th-som-briefing-en"]
    assert render_typst_pdf(document) == render_typst_pdf(document)
    later = replace(document, metadata=replace(document.metadata, created=document.metadata.created.replace(year=2030)))
    assert render_typst_pdf(later) != render_typst_pdf(document)


def test_only_the_bundled_noto_serif_faces_are_embedded(examples):
    reader = PdfReader(io.BytesIO(examples["almaty-process-8th-som-briefing-en", "2b"]))
    names = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert all(name.startswith("NotoSerif") for name in names), names
    assert "NotoSerif-Bold" in names


# --- contents, bookmarks, furniture ---------------------------------------------------------


def test_contents_numbers_and_bookmarks_are_the_headings_pages(examples):
    document = EXAMPLES["almaty-process-8th-som-briefing-en"]
    pdf = examples["almaty-process-8th-som-briefing-en", "2b"]
    _, pages = render_typst_pdf_with_pages(document, "2b")
    assert pdf_heading_pages(pdf) == pages  # a named destination per heading, by its anchor
    reader = PdfReader(io.BytesIO(pdf))

    def flatten(items):
        for item in items:
            yield from flatten(item) if isinstance(item, list) else [item]

    outline = [(item.title, reader.get_destination_page_number(item) + 1)
               for item in flatten(reader.outline)]
    contents = next(block for block in document.blocks if isinstance(block, Contents))
    assert len(contents.entries) > 10
    assert outline == [(entry.text, pages[entry.anchor]) for entry in contents.entries]
    printed = contents_numbers(reader.pages[1])
    once = [entry for entry in contents.entries
            if [other.text for other in contents.entries].count(entry.text) == 1]
    for entry in once:  # a title printed twice reads as one line of contents_numbers
        if entry.text in printed:
            assert printed[entry.text] == pages[entry.anchor], entry.text
    assert len(printed) > 10
    assert len(set(pages.values())) > 5


def test_watermark_is_drawn_on_every_page_under_the_text():
    document = EXAMPLES["almaty-process-8th-som-protocol-en+ru"]
    assert document.page.watermark
    pdf = render_typst_pdf(document)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    for page in pages:
        assert squeeze(document.page.watermark) in squeeze(page)


def first_line_heights(pdf: bytes, words: list[str]) -> dict[str, float]:
    """Return the height (pt from the page's bottom) of the first text on page 1 that starts
    with each word."""
    found: dict[str, float] = {}

    def visit(text, matrix, text_matrix, font, size):
        for word in words:
            if text.strip().startswith(word) and word not in found:
                found[word] = round(text_matrix[5] * matrix[3] + matrix[5], 1)

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_side_by_side_rows_start_level():
    rows = [Parallel((Cell((Paragraph((Run(left),)),)), Cell((Paragraph((Run(right),)),))),
                     ("en", "fr"))
            for left, right in (("Alpha " * 60, "Un"), ("Beta", "Deux " * 90), ("Gamma", "Trois"))]
    pdf = render_typst_pdf(document_of(rows), "none")
    heights = first_line_heights(pdf, ["Alpha", "Un", "Beta", "Deux", "Gamma", "Trois"])
    assert heights["Alpha"] == heights["Un"]
    assert heights["Beta"] == heights["Deux"]
    assert heights["Gamma"] == heights["Trois"]
    assert heights["Alpha"] > heights["Beta"] > heights["Gamma"]


# --- annexes --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> dict:
    """Build the briefing pack with its four annexes by Typst, in PDF/A-2b and 1b."""
    folder = tmp_path_factory.mktemp("typst-annexes")
    good_annexes(folder)
    source = meeting_file(folder, ANNEXES)
    result = {"folder": folder}
    for level in ("2b", "1b"):
        assert main(["build", str(source), "--only", "briefing", "--pdfa", level, "--format",
                     "pdf", "--pdf-engine", "typst", "--out", str(folder / level)]) == 0
        result[level] = (folder / level / "minimal" / "briefing-en-v1.pdf").read_bytes()
    return result


def test_annex_pages_carry_the_furniture_and_their_own_text(pack):
    pages = pdf_pages(pack["2b"])
    # the cover: no page label; the classification at the top, at the bottom and in its text
    assert "Page 1 of" not in pages[0] and pages[0].count("RESTRICTED") == 3
    assert HEADER not in pages[0]
    for number, text in enumerate(pages[1:], 2):
        assert HEADER in text, (number, text[:80])
        assert text.count("RESTRICTED") >= 2, (number, text)
        assert f"Page {number} of {len(pages)}" in text, (number, text)
    cover = cover_page(pages, "Annex I: The report")
    for number in range(1, REPORT_PAGES + 1):
        assert f"Report page {number} of {REPORT_PAGES}" in pages[cover + number - 1]
    landscape = cover_page(pages, "Annex III: A landscape table")
    assert "Landscape page 1 of 1" in pages[landscape]
    assert cover_page(pages, "Annex IV: A photograph") == landscape + 2
    assert len(pages) == landscape + 3


def test_annex_images_and_pages_lie_in_the_body(pack):
    with pikepdf.open(io.BytesIO(pack["2b"])) as pdf:
        placed = [box for page in pdf.pages if (box := placed_box(page)) is not None]
        images = [image for page in pdf.pages for image in page.get_images().values()]
    assert len(placed) == REPORT_PAGES + 1
    assert len(images) == 2 and all("/SMask" not in image for image in images)


@pytest.mark.parametrize("level", ("2b", "1b"))
def test_the_typst_pack_passes_the_pdfa_self_check(pack, level):
    assert check_pdfa(pack[level], level) == []


def test_preflight_accepts_the_typst_pack_in_1b(pack, tmp_path):
    assert preflight({"pack": pack["1b"]}, tmp_path) == {"pack": []}


# --- PDF/UA ---------------------------------------------------------------------------------


def pdfua_findings(data: bytes, folder: Path) -> list[str]:
    """Return the PDF/UA-1 checker's findings on the PDF, as text."""
    import pdfua

    path = folder / "checked.pdf"
    path.write_bytes(data)
    report = pdfua.validate(str(path))
    return [f"{finding.rule_id}: {finding.message}" for finding in report.findings]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_tagged_passes_the_pdfua_check(name, tmp_path):
    tagged = render_typst_pdf(EXAMPLES[name], "2b", pdfua=True)
    assert pdfua_findings(tagged, tmp_path) == []
    assert check_pdfa(tagged, "2b") == []


def test_an_untagged_pdf_fails_the_pdfua_check(tmp_path):
    plain = render_typst_pdf(EXAMPLES["almaty-process-8th-som-briefing-en"], "2b")
    assert any(finding.startswith("UA-01") for finding in pdfua_findings(plain, tmp_path))


def structure(data: bytes) -> list[tuple[str, str | None]]:
    """Return (structure type, /Lang) of every element of the structure tree, in order."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        roles = pdf.Root.StructTreeRoot.get("/RoleMap", {})

        def walk(element):
            if isinstance(element, pikepdf.Array):
                for item in element:
                    walk(item)
            elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
                kind = str(element.S)
                kind = str(roles.get(kind, kind)) if kind in roles else kind
                found.append((kind.lstrip("/"), str(element.Lang) if "/Lang" in element else None))
                walk(element.get("/K"))

        walk(pdf.Root.StructTreeRoot.K)
        assert str(pdf.Root.Lang) == "en"
    return found


def test_tags_headings_lists_tables_with_header_cells_and_languages():
    table = Table((1, 1), (Row((Cell((Paragraph((Run("Time"),)),)), Cell((Paragraph((Run("Item"),)),))), header=True),
                           Row((Cell((Paragraph((Run("09:00"),)),)), Cell((Paragraph((Run("Opening"),)),))))))
    blocks = [Heading((Run("Programme"),), 1, "programme"), table,
              Heading((Run("Notes"),), 2, "notes"),
              Part((Paragraph((Run("Texte en français."),)),), "fr"),
              Parallel((Cell((Paragraph((Run("English"),)),)), Cell((Paragraph((Run("Русский"),)),))),
                       ("en", "ru"))]
    pdf = render_typst_pdf(document_of(blocks), "2b", pdfua=True)
    kinds = structure(pdf)
    names = [kind for kind, _ in kinds]
    assert "H1" in names and "H2" in names
    assert "Table" in names and "TH" in names and "TD" in names
    assert names.index("H1") < names.index("Table") < names.index("H2")
    languages = {language for _, language in kinds if language}
    assert {"fr", "ru"} <= languages, kinds


# --- the engine choice ----------------------------------------------------------------------


def test_pdf_engine_flag_and_meeting_setting_choose_typst(tmp_path):
    source = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
    assert main(["build", str(source), "--only", "agenda", "--format", "pdf", "--pdf-engine",
                 "typst", "--out", str(tmp_path / "flag")]) == 0
    assert main(["build", str(source), "--only", "agenda", "--format", "pdf",
                 "--out", str(tmp_path / "default")]) == 0
    data = yaml.safe_load(source.read_text("utf-8"))
    data["pdf_engine"] = "typst"
    setting = tmp_path / "meeting.yaml"
    setting.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["build", str(setting), "--only", "agenda", "--format", "pdf",
                 "--out", str(tmp_path / "setting")]) == 0

    def producer(folder: str) -> str:
        path = tmp_path / folder / "minimal" / "agenda-en-v1.pdf"
        info = PdfReader(str(path)).metadata
        return f'{info.get("/Producer", "")} {info.get("/Creator", "")}'

    assert "Typst" in producer("flag") and "Typst" in producer("setting")
    assert "Typst" not in producer("default") and "ReportLab" in producer("default")


def test_pdfua_with_reportlab_is_refused_and_nothing_written(tmp_path, capsys):
    source = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
    assert main(["build", str(source), "--pdfua", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "needs the typst engine" in err and "--pdf-engine typst" in err
    assert not (tmp_path / "out").exists()


def test_pdfua_build_tags_every_pdf(tmp_path):
    source = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
    assert main(["build", str(source), "--pdfua", "--pdf-engine", "typst", "--format", "pdf",
                 "--out", str(tmp_path)]) == 0
    for path in (tmp_path / "minimal").glob("*.pdf"):
        assert pdfua_findings(path.read_bytes(), tmp_path) == [], path.name


def test_docx_contents_take_the_typst_pages():
    document = EXAMPLES["almaty-process-8th-som-briefing-en"]
    _, pages = render_typst_pdf_with_pages(document, "none")
    import docx

    written = render_formats(document, ["docx"], engine="typst")["docx"]
    text = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(written)).paragraphs)
    contents = next(block for block in document.blocks if isinstance(block, Contents))
    entry = contents.entries[-1]
    assert f"{entry.text}\t{pages[entry.anchor]}" in text


# --- Arabic and Chinese ---------------------------------------------------------------------

ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.fixture(scope="module")
def meridian(tmp_path_factory) -> dict[str, bytes]:
    """Build the Meridian Forum example (pdf_engine: typst) and return its PDFs by stem."""
    out = tmp_path_factory.mktemp("meridian")
    assert main(["build", str(MERIDIAN), "--format", "pdf", "--out", str(out)]) == 0
    return {path.name.split("-v")[0]: path.read_bytes()
            for path in (out / "meridian-forum-1st-consultation").glob("*.pdf")}


def chunks(pdf: bytes, number: int = 0) -> list[tuple[float, float, str]]:
    """Return (x, y, text) of each piece of body text on the page (pt from the bottom left)."""
    from generator.stylesheet import MARGIN, MM

    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[number]
    height = float(page.mediabox.height)
    found = []

    def visit(text, matrix, text_matrix, font, size):
        x = text_matrix[4] * matrix[0] + matrix[4]
        y = text_matrix[5] * matrix[3] + matrix[5]
        if text.strip() and MARGIN * MM - 1 < y < height - MARGIN * MM + 1:
            found.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_every_meridian_edition_builds_with_typst(meridian):
    assert sorted(meridian) == sorted(
        [f"agenda-{language}" for language in ("en", "fr", "ru", "es", "ar", "zh")]
        + ["protocol-en", "protocol-ar", "protocol-en+ar"])


def test_english_arabic_protocol_puts_arabic_on_the_right_rows_level(meridian):
    pdf = meridian["protocol-en+ar"]
    middle = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width) / 2
    found = chunks(pdf)
    signatures = max(y for _, y, text in found if text.startswith("For the"))
    found = [chunk for chunk in found if chunk[1] > signatures]  # the grid holds both languages
    arabic = [(x, y) for x, y, text in found if ARABIC.search(text)]
    latin = [(x, y) for x, y, text in found if re.search("[A-Za-z]", text)]
    assert len(arabic) > 50 and len(latin) > 30
    assert all(x > middle for x, _ in arabic)
    assert all(x < middle for x, _ in latin)
    top_latin = max(y for _, y in latin)
    top_arabic = max(y for _, y in arabic)
    assert abs(top_latin - top_arabic) < 4  # the first row starts level in both columns
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()}
    assert {"NotoSansArabic-Regular", "NotoSerif-Regular"} <= fonts


def test_arabic_is_set_right_to_left_against_the_right_margin(meridian):
    from generator.stylesheet import MARGIN, MM

    pdf = meridian["protocol-ar"]
    width = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
    arabic = [x for x, _, text in chunks(pdf) if ARABIC.search(text)]
    assert arabic and max(arabic) > width - MARGIN * MM - 60  # lines start at the right
    numbers = {text: x for x, _, text in chunks(pdf) if re.fullmatch(r"\.?[1-3]\.?", text)}
    assert len(numbers) == 3 and all(x > width - MARGIN * MM - 30 for x in numbers.values())
    title = EXAMPLES["meridian-forum-1st-consultation-protocol-ar"].metadata.title
    text = "".join(pdf_pages(pdf))
    assert set(ARABIC.findall(title)) <= set(text)


def test_chinese_is_set_in_noto_serif_cjk(meridian):
    pdf = meridian["agenda-zh"]
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()}
    assert any(name.startswith("NotoSerifCJK") for name in fonts), fonts
    assert "子午论坛第一次磋商" in squeeze(pdf_pages(pdf)[0])


@pytest.mark.parametrize("level", ("1b", "2b"))
def test_arabic_and_chinese_pdfs_pass_the_pdfa_self_check(level):
    for name in ("meridian-forum-1st-consultation-protocol-en+ar",
                 "meridian-forum-1st-consultation-agenda-zh"):
        assert check_pdfa(render_typst_pdf(EXAMPLES[name], level), level) == [], name


@pytest.mark.parametrize("filler", [29, 31, 33, 35])
def test_a_signature_block_at_a_page_foot_moves_whole_to_the_next_page(filler):
    """Lines of text fill the page to different depths; each signature block after them keeps
    its party line, name and title on one page."""
    from generator.document import SignatureBlock

    blocks = [Paragraph((Run(f"Line {number}"),)) for number in range(filler)]
    blocks += [SignatureBlock(f"For State {number}", f"Name {number}", f"Title {number}")
               for number in range(4)]
    pages = [squeeze(page) for page in pdf_pages(render_typst_pdf(document_of(blocks), "none"))]
    assert len(pages) >= 2
    for number in range(4):
        lines = [squeeze(f"For State {number}"), squeeze(f"Name {number}"), squeeze(f"Title {number}")]
        assert any(all(line in page for line in lines) for page in pages), (filler, number)


def test_chinese_without_its_font_is_refused_and_nothing_written(tmp_path, capsys, monkeypatch):
    from generator.writers import typst as writer

    monkeypatch.setattr(writer, "CJK_FONT_DIRS", (str(tmp_path / "no-fonts"),))
    out = tmp_path / "out"
    assert main(["build", str(MERIDIAN), "--lang", "zh", "--format", "pdf", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "has Chinese text and Noto Serif CJK SC is not installed" in err
    assert "fonts-noto-cjk" in err and "Traceback" not in err
    assert not out.exists()


def test_a_tagged_pack_gives_its_images_alt_text_and_refuses_a_pdf_annex(tmp_path, capsys):
    good_annexes(tmp_path)
    images = meeting_file(tmp_path, (("A chart", "chart.png"), ("A photograph", "photo.jpg")))
    assert main(["build", str(images), "--only", "briefing", "--format", "pdf", "--pdf-engine",
                 "typst", "--pdfua", "--out", str(tmp_path / "images")]) == 0
    data = (tmp_path / "images" / "minimal" / "briefing-en-v1.pdf").read_bytes()
    assert pdfua_findings(data, tmp_path) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        alts = [str(element.Alt) for element in pdf.objects
                if isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Figure"]
    assert sorted(alts) == ["Annex: chart.png", "Annex: photo.jpg"]
    capsys.readouterr()
    report = meeting_file(tmp_path, (("The report", "report.pdf"),))
    out = tmp_path / "report"
    assert main(["build", str(report), "--only", "briefing", "--format", "pdf", "--pdf-engine",
                 "typst", "--pdfua", "--out", str(out)]) == 2
    assert "report.pdf cannot be tagged for screen readers" in capsys.readouterr().err
    assert not out.exists()
