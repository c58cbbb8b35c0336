"""Annexes: PDF pages and images bound into a pack after cover sheets, with the pack's page
furniture and page numbers, in the contents and bookmarks, embedded in the DOCX, still PDF/A;
and every bad annex refused before anything is written."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import docx
import pikepdf
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from generator import stylesheet
from generator.annexes import AnnexProblem, inspect_annex, roman
from generator.build import Edition, make_document
from generator.cli import main
from generator.document import Annex, document_lines
from generator.fonts import face_name, register_pdf_fonts
from generator.inputs import load_meeting
from generator.pdfa import check_pdfa
from generator.problems import InputError
from generator.templating import default_templates
from generator.writers.dump import render_dump
from generator.writers.pdf import render_pdf
from tests.readback import docx_lines, pdf_pages
from tests.tools import missing_tool

BASE = (Path(__file__).parent / "cases" / "minimal" / "input.yaml").read_text(encoding="utf-8")
"""A meeting without a briefing; each test adds one with its annexes."""

ANNEXES = (("The report", "report.pdf"), ("A chart", "chart.png"),
           ("A landscape table", "landscape.pdf"), ("A photograph", "photo.jpg"))
"""(title, file) of the annexes of the pack most tests read, in order: Annex I to IV."""

REPORT_PAGES = 3
HEADER = "Briefing pack: 1st Ministerial Conference of the Example Process"
"""The running header of the minimal meeting's briefing pack (it has no symbol)."""


# --- annex files ---------------------------------------------------------------------------------


def annex_pdf(path: Path, pages: int, label: str, size=(595.0, 842.0), font: str | None = None,
              alpha: float | None = None) -> Path:
    """Write a PDF whose every page says "<label> page N of PAGES" at its top and bottom, in
    the embedded Noto Serif (or the named font); with alpha, a half-transparent box too."""
    register_pdf_fonts()
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    for number in range(1, pages + 1):
        canvas.setFont(font or face_name(), 14)
        canvas.drawString(40, size[1] - 60, f"{label} page {number} of {pages}")
        canvas.drawString(40, 40, f"{label} foot {number}")
        if alpha is not None:
            canvas.setFillAlpha(alpha)
            canvas.rect(100, 100, 100, 100, fill=1)
        canvas.showPage()
    canvas.save()
    return path


def png(path: Path, width: int = 40, height: int = 20) -> Path:
    """Write a small RGBA PNG by hand (half of it transparent), as any program might."""
    rows = b"".join(b"\x00" + b"".join(bytes((x * 6 % 256, y * 12 % 256, 128,
                                               255 if x < width // 2 else 0))
                                       for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def jpeg(path: Path) -> Path:
    """Write a small RGB JPEG (Pillow comes with reportlab and pikepdf)."""
    from PIL import Image

    Image.new("RGB", (30, 60), (200, 40, 40)).save(path, "JPEG", quality=90)
    return path


def meeting_file(folder: Path, annexes, languages: str = "") -> Path:
    """Write the minimal meeting with a briefing listing the (title, file) annexes."""
    lines = [f"    - title: {title}\n      file: {file}\n" for title, file in annexes]
    text = (BASE + (f"languages: [{languages}]\n" if languages else "")
            + "briefing:\n  classification: Restricted\n  annexes:\n" + "".join(lines))
    path = folder / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def good_annexes(folder: Path) -> None:
    """Write the files of ANNEXES into the folder."""
    annex_pdf(folder / "report.pdf", REPORT_PAGES, "Report")
    png(folder / "chart.png")
    annex_pdf(folder / "landscape.pdf", 1, "Landscape", size=(842.0, 595.0))
    jpeg(folder / "photo.jpg")


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> dict:
    """Build the briefing pack with the four annexes: PDF/A-2b with DOCX, and PDF/A-1b."""
    folder = tmp_path_factory.mktemp("annexes")
    good_annexes(folder)
    source = meeting_file(folder, ANNEXES)
    for level in ("2b", "1b"):
        formats = "docx,pdf" if level == "2b" else "pdf"
        code = main(["build", str(source), "--only", "briefing", "--pdfa", level,
                     "--format", formats, "--out", str(folder / level)])
        assert code == 0
    built = folder / "2b" / "minimal"
    return {"folder": folder, "source": source, "pdf": (built / "briefing-en-v1.pdf").read_bytes(),
            "docx": (built / "briefing-en-v1.docx").read_bytes(),
            "pdf-1b": (folder / "1b" / "minimal" / "briefing-en-v1.pdf").read_bytes()}


def cover_page(pages: list[str], title: str) -> int:
    """Return the page (1 the first) of the annex cover sheet with that heading."""
    found = [number for number, text in enumerate(pages, 1)
             if re.search(rf"(^|\n) *{re.escape(title)}\n *File: ", text)]
    assert len(found) == 1, (title, found)
    return found[0]


# --- the PDF pack --------------------------------------------------------------------------------


def test_every_page_has_the_header_classification_and_its_page_number(pack):
    pages = pdf_pages(pack["pdf"])
    assert len(pages) > 10
    # the cover: no page label; the classification at the top, at the bottom and in its text
    assert "Page 1 of" not in pages[0] and pages[0].count("RESTRICTED") == 3
    for number, text in enumerate(pages[1:], 2):
        assert text.startswith(HEADER), (number, text[:80])
        assert text.count("RESTRICTED") >= 2, (number, text)  # in the header and the footer
        assert f"Page {number} of {len(pages)}" in text, (number, text)


def test_annex_pages_follow_their_cover_sheet_and_keep_their_text(pack):
    pages = pdf_pages(pack["pdf"])
    cover = cover_page(pages, "Annex I: The report")
    for number in range(1, REPORT_PAGES + 1):
        text = pages[cover + number - 1]
        assert f"Report page {number} of {REPORT_PAGES}" in text
        assert f"Report foot {number}" in text
        assert f"Page {cover + number} of {len(pages)}" in text
    landscape = cover_page(pages, "Annex III: A landscape table")
    assert "Landscape page 1 of 1" in pages[landscape]
    assert cover_page(pages, "Annex II: A chart") == cover + REPORT_PAGES + 1
    assert landscape == cover + REPORT_PAGES + 3
    assert cover_page(pages, "Annex IV: A photograph") == landscape + 2
    assert len(pages) == landscape + 3  # the photograph's page is the last


def test_annex_cover_sheet_names_the_file(pack):
    pages = pdf_pages(pack["pdf"])
    digest = hashlib.sha256((pack["folder"] / "report.pdf").read_bytes()).hexdigest()
    text = pages[cover_page(pages, "Annex I: The report") - 1]
    assert f"Annex I: The report\nFile: report.pdf\n{REPORT_PAGES} pages\nSHA-256: {digest}" in text


def test_contents_and_bookmarks_point_to_the_cover_sheets(pack):
    reader = PdfReader(io.BytesIO(pack["pdf"]))
    pages = pdf_pages(pack["pdf"])
    numbers = contents_numbers(reader.pages[1])
    outline = {item.title: reader.get_destination_page_number(item) + 1
               for item in reader.outline if not isinstance(item, list)}
    for number, (title, _) in enumerate(ANNEXES, 1):
        heading = f"Annex {roman(number)}: {title}"
        assert numbers[heading] == cover_page(pages, heading) == outline[heading]
    assert list(outline)[-4:] == [f"Annex {roman(n)}: {title}" for n, (title, _) in
                                  enumerate(ANNEXES, 1)]


def contents_numbers(page) -> dict[str, int]:
    """Return the page number printed on each line of a contents page, by the line's text."""
    lines: dict[int, list[tuple[float, str]]] = {}

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            y = round(text_matrix[5] * matrix[3] + matrix[5])
            lines.setdefault(y, []).append((text_matrix[4] * matrix[0] + matrix[4], text.strip()))

    page.extract_text(visitor_text=visit)
    result = {}
    for parts in lines.values():
        parts.sort()
        if len(parts) == 2 and parts[1][1].isdigit():
            result[parts[0][1]] = int(parts[1][1])
    return result


def test_annex_pages_are_scaled_into_the_body(pack):
    """Each annex page is one form XObject whose box lands inside the margins, touching two of
    them: the header and footer stay clear of it."""
    width, height = stylesheet.page_size("A4")
    margin = stylesheet.MARGIN * stylesheet.MM
    placed = []
    with pikepdf.open(io.BytesIO(pack["pdf"])) as pdf:
        for page in pdf.pages:
            box = placed_box(page)
            if box is not None:
                placed.append(box)
    assert len(placed) == REPORT_PAGES + 1
    for left, bottom, right, top in placed:
        assert margin - 0.5 <= left < right <= width - margin + 0.5
        assert margin - 0.5 <= bottom < top <= height - margin + 0.5
        fits_width = abs(right - left - (width - 2 * margin)) < 0.5
        fits_height = abs(top - bottom - (height - 2 * margin)) < 0.5
        assert fits_width or fits_height
    assert abs(placed[-1][2] - placed[-1][0] - (width - 2 * margin)) < 0.5  # the landscape page


def placed_box(page: pikepdf.Page) -> tuple[float, ...] | None:
    """Return the box (left, bottom, right, top, pt) where the page draws an annex page, or
    None if it draws none."""
    matrix = None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm":
            matrix = pikepdf.Matrix(*map(float, operands))
        elif str(operator) == "Do" and str(operands[0]) == "/ChanceryAnnex":
            form = page.Resources.XObject.ChanceryAnnex
            inner = pikepdf.Matrix(*map(float, form.get("/Matrix", [1, 0, 0, 1, 0, 0])))
            left, bottom, right, top = map(float, form.BBox)
            corners = [(inner @ matrix).transform((x, y))
                       for x in (left, right) for y in (bottom, top)]
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            return min(xs), min(ys), max(xs), max(ys)
    return None


def test_images_are_drawn_opaque_and_a_jpeg_as_it_is(pack):
    with pikepdf.open(io.BytesIO(pack["pdf-1b"])) as pdf:
        images = [image for page in pdf.pages for image in page.get_images().values()]
        assert len(images) == 2
        png_image, jpeg_image = images
        assert "/SMask" not in png_image and png_image.Width == 40
        assert list(jpeg_image.Filter) == [pikepdf.Name.ASCII85Decode, pikepdf.Name.DCTDecode]
        encoded = jpeg_image.read_raw_bytes().strip().removesuffix(b"~>")
        assert base64.a85decode(encoded) == (pack["folder"] / "photo.jpg").read_bytes()


@pytest.mark.parametrize("level", ("2b", "1b"))
def test_the_bound_pack_passes_the_pdfa_self_check(pack, level):
    assert check_pdfa(pack["pdf" if level == "2b" else "pdf-1b"], level) == []


def test_preflight_accepts_the_bound_pack_in_1b(pack, tmp_path):
    from tests.test_pdfa import preflight

    assert preflight({"annexed": pack["pdf-1b"]}, tmp_path) == {"annexed": []}


def test_pikepdf_validator_approves_the_bound_pack(pack):
    from tests.test_pdfa import pdfa_validator

    validator = pdfa_validator()
    for level, key in (("2b", "pdf"), ("1b", "pdf-1b")):
        report = validator.validate_written(io.BytesIO(pack[key]), level)
        assert report.verdict == "pass", [f"{f.rule}: {f.message}" for f in report.findings][:5]


def test_a_file_changed_after_loading_is_refused(tmp_path):
    good_annexes(tmp_path)
    loaded = load_meeting(str(meeting_file(tmp_path, ANNEXES[:1])))
    document = make_document(loaded, Edition("briefing", ("en",)), default_templates())[0]
    annex_pdf(tmp_path / "report.pdf", 1, "Changed")
    with pytest.raises(InputError, match="report.pdf: changed; the annex changed while the "
                                         "documents were being made, build again"):
        render_pdf(document, "none")


# --- the DOCX pack -------------------------------------------------------------------------------


def test_docx_embeds_the_images_and_names_the_pdf_annexes(pack):
    word = docx.Document(io.BytesIO(pack["docx"]))
    types = sorted(part.content_type for part in word.part.package.iter_parts()
                   if part.content_type.startswith("image/"))
    assert types == ["image/jpeg", "image/png"]
    section = word.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    shapes = list(word.inline_shapes)
    assert len(shapes) == 2
    assert all(0 < shape.width <= text_width for shape in shapes)
    assert shapes[0].width == text_width  # the wide chart fills the text width
    assert abs(shapes[0].height * 40 - shapes[0].width * 20) < 40 * 20  # its shape is kept
    lines = docx_lines(pack["docx"])
    for title, file in (("Annex I: The report", "report.pdf"),
                        ("Annex III: A landscape table", "landscape.pdf")):
        data = (pack["folder"] / file).read_bytes()
        count = len(PdfReader(io.BytesIO(data)).pages)
        at = lines.index(title)
        assert lines[at + 1:at + 4] == [
            f"File: {file}", f"{count} page{'s' if count > 1 else ''}",
            f"SHA-256: {hashlib.sha256(data).hexdigest()}"]
    at = lines.index("Annex II: A chart")
    assert lines[at + 1:at + 3] == [
        "File: chart.png",
        f"SHA-256: {hashlib.sha256((pack['folder'] / 'chart.png').read_bytes()).hexdigest()}"]


def test_docx_with_pictures_has_no_schema_errors(pack, tmp_path):
    from openxml_audit import OpenXmlValidator, ValidationErrorType

    path = tmp_path / "annexes.docx"
    path.write_bytes(pack["docx"])
    errors = [str(error) for error in OpenXmlValidator().validate(path).errors
              if error.error_type is ValidationErrorType.SCHEMA]
    assert errors == []


def test_libreoffice_shows_each_image_on_a_page_of_its_own(pack, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        message = "soffice (LibreOffice) is not installed: the DOCX cannot be rendered"
        missing_tool(message)
    path = tmp_path / "annexes.docx"
    path.write_bytes(pack["docx"])
    result = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                             "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                             str(tmp_path), str(path)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "annexes.pdf").read_bytes()
    pages = pdf_pages(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pictured = [number for number, page in enumerate(pdf.pages, 1) if drawn_images(page)]
    chart, photo = (cover_page(pages, title) for title in ("Annex II: A chart",
                                                           "Annex IV: A photograph"))
    assert pictured == [chart + 1, photo + 1]
    assert len(pages) == photo + 1


def drawn_images(page: pikepdf.Page) -> int:
    """Return how many images the page's content draws (LibreOffice gives every page the same
    resources, so the resources do not tell)."""
    def count(content, resources) -> int:
        found = 0
        for operands, operator in pikepdf.parse_content_stream(content):
            if str(operator) != "Do":
                continue
            xobject = resources.XObject[operands[0]]
            if xobject.Subtype == pikepdf.Name.Image:
                found += 1
            elif xobject.Subtype == pikepdf.Name.Form:
                found += count(xobject, xobject.get("/Resources", resources))
        return found

    return count(page, page.Resources)


# --- wording and the model -----------------------------------------------------------------------


def test_roman_numerals():
    assert [roman(number) for number in (1, 2, 3, 4, 9, 14, 40, 1994)] == [
        "I", "II", "III", "IV", "IX", "XIV", "XL", "MCMXCIV"]
    with pytest.raises(ValueError):
        roman(0)


@pytest.mark.parametrize("language, lines", [
    ("ru", ["Приложение I: The report", "Файл: report.pdf", "3 страницы",
            "Приложение II: A chart"]),
    ("fr", ["Annexe I\u00a0: The report", "Fichier\u00a0: report.pdf", "3 pages",
            "Annexe II\u00a0: A chart"]),
])
def test_cover_sheets_are_worded_in_the_language(tmp_path, language, lines):
    good_annexes(tmp_path)
    loaded = load_meeting(str(meeting_file(tmp_path, ANNEXES[:2], languages=f"en, {language}")))
    document = make_document(loaded, Edition("briefing", (language,)), default_templates())[0]
    text = document_lines(document)
    start = len(text) - 1 - text[::-1].index(lines[0])  # the cover sheet, not the contents
    assert text[start:start + 3] == lines[:3]
    assert lines[3] in text


def test_the_model_and_its_dump_name_the_file_not_the_folder(tmp_path):
    good_annexes(tmp_path)
    loaded = load_meeting(str(meeting_file(tmp_path, ANNEXES[:2])))
    document = make_document(loaded, Edition("briefing", ("en",)), default_templates())[0]
    annexes = [block for block in document.blocks if isinstance(block, Annex)]
    digest = hashlib.sha256((tmp_path / "report.pdf").read_bytes()).hexdigest()
    assert annexes[0] == Annex(str(tmp_path / "report.pdf"), "pdf", REPORT_PAGES, digest)
    assert annexes[1].kind == "png" and annexes[1].pages == 1
    dump = render_dump(document)
    assert f"Annex pdf 'report.pdf' pages={REPORT_PAGES} sha256={digest}" in dump
    assert str(tmp_path) not in dump


# --- bad annexes ---------------------------------------------------------------------------------


def encrypted(path: Path, user: str) -> Path:
    """Write a PDF encrypted with pikepdf: a password to open it unless user is empty."""
    plain = annex_pdf(path.with_suffix(".plain"), 1, "Secret")
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user=user))
    return path


def text_file(path: Path) -> Path:
    path.write_text("Not a PDF at all\n", encoding="utf-8")
    return path


BAD = [
    # (name, file, make the file, message pattern after the file name)
    ("missing", "missing.pdf", None, r"does not exist \(looked for .*/missing\.pdf\)"),
    ("not a PDF", "notes.pdf", text_file,
     r"is not a PDF file or a PNG or JPEG image \(it is a text file\)"),
    ("an image that is not one", "chart.png", text_file,
     r"is not a PDF file or a PNG or JPEG image \(it is a text file\)"),
    ("an image named .pdf", "chart.pdf", png, r"is a PNG image, not a PDF file as its name says"),
    ("a PDF named .png", "report.png", lambda path: annex_pdf(path, 1, "R"),
     r"is a PDF file, not an image as its name says"),
    ("damaged image", "cut.png", lambda path: path.write_bytes(png(path).read_bytes()[:60]),
     r"is a damaged PNG image"),
    ("encrypted with a password", "locked.pdf", lambda path: encrypted(path, "secret"),
     r"is an encrypted PDF file \(it needs a password to open\); attach a copy saved without "
     r"encryption"),
    ("encrypted without a password", "owner.pdf", lambda path: encrypted(path, ""),
     r"is an encrypted PDF file; attach a copy saved without encryption"),
    ("wrong extension", "minutes.docx", text_file,
     r"is a \.docx file; an annex must be a PDF file \(\.pdf\) or a PNG or JPEG image"),
    ("a folder", "folder.pdf", lambda path: path.mkdir(), r"is a folder, not a file"),
    ("empty", "empty.pdf", lambda path: path.write_bytes(b""), r"is empty"),
]


@pytest.mark.parametrize("name, file, make, pattern", BAD, ids=[case[0] for case in BAD])
def test_a_bad_annex_is_a_problem_of_its_field_and_nothing_is_written(
        tmp_path, capsys, name, file, make, pattern):
    good_annexes(tmp_path)
    if make is not None:
        make(tmp_path / file)
    source = meeting_file(tmp_path, [ANNEXES[0], ("Bad", file)])
    line = source.read_text(encoding="utf-8").splitlines().index(f"      file: {file}") + 1
    out = tmp_path / "out"
    code = main(["build", str(source), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    expected = (rf"^{re.escape(str(source))}:{line}:\d+: briefing\.annexes\[1\]\.file: "
                rf"'{re.escape(file)}' {pattern}")
    assert re.search(expected, err, re.MULTILINE), err
    assert "Traceback" not in err and "1 problem found; nothing was written" in err
    assert not out.exists()
    assert main(["validate", str(source)]) == 2
    assert re.search(expected, capsys.readouterr().err, re.MULTILINE)


def test_a_file_the_user_may_not_read_is_reported_even_as_root(tmp_path, capsys, monkeypatch):
    """A file the system will not let chancery read is refused with the system's reason (the
    refusal is simulated: as root, chmod cannot deny reading)."""
    original = os.open

    def open_file(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("secret.pdf"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return original(path, flags, *args, **kwargs)

    annex_pdf(tmp_path / "secret.pdf", 1, "Secret")
    monkeypatch.setattr(os, "open", open_file)
    source = meeting_file(tmp_path, [("Secret", "secret.pdf")])
    assert main(["build", str(source), "--out", str(tmp_path / "out")]) == 2
    assert ("briefing.annexes[0].file: 'secret.pdf' cannot be read: Permission denied"
            in capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


def test_every_bad_annex_is_reported_at_once(tmp_path, capsys):
    source = meeting_file(tmp_path, [("One", "one.pdf"), ("Two", "two.gif")])
    assert main(["validate", str(source)]) == 2
    err = capsys.readouterr().err
    assert "briefing.annexes[0].file: 'one.pdf' does not exist" in err
    assert "briefing.annexes[1].file: 'two.gif' is a .gif file" in err


def test_inspect_reads_each_file_once_while_it_is_unchanged(tmp_path):
    path = annex_pdf(tmp_path / "report.pdf", 2, "Report")
    assert inspect_annex(path).pages == 2
    assert inspect_annex(path) is inspect_annex(path)
    annex_pdf(path, 5, "Longer report")
    os.utime(path, ns=(0, 10**18))  # a new modification time, whatever the clock's resolution
    assert inspect_annex(path).pages == 5
    with pytest.raises(AnnexProblem, match="does not exist"):
        inspect_annex(tmp_path / "gone.pdf")


# --- annexes that PDF/A cannot hold --------------------------------------------------------------


def test_an_annex_with_fonts_not_embedded_is_refused_for_pdfa_and_built_without(tmp_path,
                                                                                  capsys):
    annex_pdf(tmp_path / "plain.pdf", 2, "Plain", font="Helvetica")
    source = meeting_file(tmp_path, [("Plain", "plain.pdf")])
    line = source.read_text(encoding="utf-8").splitlines().index("      file: plain.pdf") + 1
    out = tmp_path / "out"
    assert main(["build", str(source), "--only", "briefing", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert re.search(
        rf"^{re.escape(str(source))}:{line}:\d+: briefing\.annexes\[0\]\.file: 'plain\.pdf' "
        r"cannot be part of a PDF/A-2b file: font Helvetica \(a standard-14 font\) is not "
        r"embedded; build with --pdfa none to attach it to a plain PDF", err, re.MULTILINE), err
    assert not out.exists()
    assert main(["validate", str(source)]) == 0  # a fine annex, but not for PDF/A
    assert main(["build", str(source), "--only", "briefing", "--format", "docx",
                 "--out", str(out)]) == 0
    assert main(["build", str(source), "--only", "briefing", "--pdfa", "none",
                 "--out", str(out)]) == 0
    pages = pdf_pages((out / "minimal" / "briefing-en-v1.pdf").read_bytes())
    assert "Plain page 2 of 2" in pages[-1] and f"Page {len(pages)} of {len(pages)}" in pages[-1]


def cmyk_pdf(path: Path) -> Path:
    """Write a one-page PDF that paints in DeviceCMYK."""
    register_pdf_fonts()
    canvas = Canvas(str(path), invariant=1)
    canvas.setFont(face_name(), 14)
    canvas.setFillColorCMYK(0, 1, 1, 0)
    canvas.drawString(40, 700, "Printed in CMYK")
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("make, problem_2b, problem_1b", [
    (lambda path: annex_pdf(path, 1, "Fine"), None, None),
    (lambda path: annex_pdf(path, 1, "Plain", font="Times-Roman"),
     "font Times-Roman (a standard-14 font) is not embedded",
     "font Times-Roman (a standard-14 font) is not embedded"),
    (lambda path: annex_pdf(path, 1, "Glass", alpha=0.5), None,
     "transparency: an alpha /ca 0.5 below 1, which PDF/A-1 forbids"),
    (cmyk_pdf, "it uses CMYK colour (DeviceCMYK)", "it uses CMYK colour (DeviceCMYK)"),
], ids=["embedded", "standard font", "transparency", "cmyk"])
def test_what_pdfa_forbids_in_an_annex_is_found(tmp_path, make, problem_2b, problem_1b):
    from generator.annexes import archival_problems

    path = make(tmp_path / "annex.pdf")
    for level, problem in (("2b", problem_2b), ("1b", problem_1b)):
        found = archival_problems(path, level)
        if problem is None:
            assert found == [], level
        else:
            assert len(found) == 1 and found[0].startswith(problem), (level, found)


def test_filled_in_form_fields_print_in_the_pack(tmp_path):
    """A form field's value is an annotation, not page content: it is made part of the page."""
    register_pdf_fonts()
    canvas = Canvas(str(tmp_path / "form.pdf"), pagesize=(595.0, 842.0), invariant=1)
    canvas.setFont(face_name(), 14)
    canvas.drawString(40, 780, "Application form")
    canvas.acroForm.textfield(name="name", value="Filled in by hand", x=40, y=600, width=300,
                              height=30)
    canvas.showPage()
    canvas.save()
    source = meeting_file(tmp_path, [("Form", "form.pdf")])
    out = tmp_path / "out"
    assert main(["build", str(source), "--only", "briefing", "--format", "pdf", "--pdfa", "none",
                 "--out", str(out)]) == 0
    data = (out / "minimal" / "briefing-en-v1.pdf").read_bytes()
    assert "Application form\nFilled in by hand" in pdf_pages(data)[-1]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Annots" not in pdf.pages[-1] and "/AcroForm" not in pdf.Root


def test_transparency_in_an_annex_is_refused_for_pdfa_1b_only(tmp_path, capsys):
    annex_pdf(tmp_path / "glass.pdf", 1, "Glass", alpha=0.5)
    source = meeting_file(tmp_path, [("Glass", "glass.pdf")])
    assert main(["build", str(source), "--only", "briefing", "--format", "pdf", "--pdfa", "1b",
                 "--out", str(tmp_path / "1b")]) == 2
    assert ("'glass.pdf' cannot be part of a PDF/A-1b file: transparency: an alpha /ca 0.5 "
            "below 1, which PDF/A-1 forbids" in capsys.readouterr().err)
    assert not (tmp_path / "1b").exists()
    assert main(["build", str(source), "--only", "briefing", "--format", "pdf", "--pdfa", "2b",
                 "--out", str(tmp_path / "2b")]) == 0
    data = (tmp_path / "2b" / "minimal" / "briefing-en-v1.pdf").read_bytes()
    assert check_pdfa(data, "2b") == []


def test_the_agenda_pack_binds_its_annexes_after_its_parts(tmp_path, capsys):
    """The agenda pack lists its annexes after its parts: cover sheet, then the annex's pages
    under the pack's furniture and page numbers."""
    from tests.readback import pdf_pages

    annex_pdf(tmp_path / "report.pdf", 2, "Report")
    source = tmp_path / "meeting.yaml"
    source.write_text(BASE + "agenda_pack:\n  concept_note: Why we meet.\n  annexes:\n"
                             "    - title: Background report\n      file: report.pdf\n",
                      encoding="utf-8")
    assert main(["build", str(source), "--only", "agenda-pack", "--format", "pdf",
                 "--out", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    pages = pdf_pages((tmp_path / "out" / "minimal" / "agenda-pack-en-v1.pdf").read_bytes())
    cover = cover_page(pages, "Annex I: Background report")
    assert cover > [number for number, text in enumerate(pages, 1) if "Why we meet." in text][0]
    for number in (cover + 1, cover + 2):
        assert "Report" in pages[number - 1]
        assert f"Page {number} of {len(pages)}" in pages[number - 1]
