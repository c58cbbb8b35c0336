"""The house style file: its checks, and the PDF and DOCX printed in it (emblem, letterhead,
font, colours, margins, paper), pack covers, and a reference Word file's styles and artwork."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.shared import Mm, RGBColor
from pypdf import PdfReader

from generator.cli import main
from tests.readback import pdf_pages, squeeze

ROOT = Path(__file__).resolve().parent.parent
ALMATY = ROOT / "inputs" / "almaty-process-8th-som.yaml"
SOLMERA = ROOT / "inputs" / "solmera-process-3rd-ministerial.yaml"
STYLES = ROOT / "inputs" / "styles"
VERA = Path(__import__("reportlab").__file__).parent / "fonts"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(tmp_path: Path, source: Path, *options: str) -> tuple[int, Path]:
    """Build the meeting into tmp_path/out with the options; return the exit code and folder."""
    out = tmp_path / "out"
    code = main(["build", str(source), "--out", str(out), *options])
    return code, out / ("almaty-process-8th-som" if source == ALMATY else
                        "solmera-process-3rd-ministerial")


def style_folder(tmp_path: Path, text: str, **files: bytes) -> Path:
    """Return a style file of that text in a folder of its own, with the files beside it."""
    folder = tmp_path / "style"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name.replace("__", ".")).write_bytes(data)
    (folder / "house.yaml").write_text(text, encoding="utf-8")
    return folder / "house.yaml"


def png(width: int = 60, height: int = 40) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def image_names(page) -> list[str]:
    """Return the names of the image XObjects a PDF page draws, in forms it draws included."""
    resources = page["/Resources"] if "/Resources" in page else None
    objects = resources.get("/XObject", {}) if resources else {}
    names = []
    for name, value in objects.items():
        value = value.get_object()
        if value.get("/Subtype") == "/Image":
            names.append(name)
        elif value.get("/Subtype") == "/Form":
            names += image_names(value)
    return names


# --- the style file's checks ----------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&d;</text></svg>"""

OUTSIDE = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="10" height="10"><image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>"""

STYLED_URL = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<rect width="10" height="10" style="fill: url(http://example.org/x.svg#p)"/></svg>"""


@pytest.mark.parametrize("text, files, expected", [
    ("colours: {heading: blue}\n", {}, r"house\.yaml:1:\d+: colours\.heading: .*pattern"),
    ("emblm: logo.png\n", {}, r"house\.yaml:1:1: emblm: unknown field 'emblm'"),
    ("size: 40\n", {}, r"house\.yaml:1:7: size: should be less than or equal to 14"),
    ("emblem: logo.png\n", {}, r"house\.yaml:1:9: emblem: 'logo\.png' .*(no such|not found)"),
    ("emblem: logo.gif\n", {"logo__gif": b"GIF89a"}, r"emblem: 'logo\.gif' is not a PNG, JPEG or SVG"),
    ("emblem: ../outside.png\n", {}, r"emblem: '\.\./outside\.png' is outside the style file's"),
    ("emblem: laughs.svg\n", {"laughs__svg": BILLION_LAUGHS}, r"emblem: 'laughs\.svg' declares a DTD"),
    ("emblem: outside.svg\n", {"outside__svg": OUTSIDE}, r"has a <image> that refers to another"),
    ("emblem: styled.svg\n", {"styled__svg": STYLED_URL}, r"whose style refers to another file"),
    ("emblem: broken.png\n", {"broken__png": b"\x89PNG\r\n\x1a\n" + b"\0" * 30}, r"damaged PNG"),
    ("font: {regular: a.ttf, bold: a.ttf, italic: a.ttf, bold_italic: a.ttf}\n",
     {"a__ttf": b"not a font at all"}, r"font\.regular: 'a\.ttf' is not a TrueType or OpenType"),
    ("reference_docx: ref.docx\n", {"ref__docx": b"PK\x03\x04 not really"},
     r"reference_docx: 'ref\.docx' is not a Word file"),
])
def test_bad_style_file_is_refused_with_its_place_and_nothing_written(tmp_path, capsys, text,
                                                                      files, expected):
    (tmp_path / "outside.png").write_bytes(png())
    style = style_folder(tmp_path, text, **files)
    code, folder = build(tmp_path, ALMATY, "--only", "agenda", "--style", str(style))
    err = capsys.readouterr().err
    assert code == 2
    assert re.search(expected, err), err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def cff_font() -> bytes:
    """Return a small OpenType font with PostScript (CFF) outlines."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({65: "A"})
    pen = T2CharStringPen(600, None)
    pen.moveTo((0, 0)); pen.lineTo((600, 0)); pen.lineTo((300, 700)); pen.closePath()
    strings = {".notdef": T2CharStringPen(600, None).getCharString(), "A": pen.getCharString()}
    builder.setupCFF("Test", {"FullName": "Test"}, strings, {})
    builder.setupHorizontalMetrics({".notdef": (600, 0), "A": (600, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def test_font_with_postscript_outlines_is_refused_with_what_to_do(tmp_path, capsys):
    style = style_folder(tmp_path, "font: {regular: t.otf, bold: t.otf, italic: t.otf, "
                                   "bold_italic: t.otf}\n", t__otf=cff_font())
    code, _ = build(tmp_path, ALMATY, "--only", "agenda", "--style", str(style))
    err = capsys.readouterr().err
    assert code == 2
    assert "font.regular: 't.otf' has PostScript (CFF) outlines" in err
    assert "use the TrueType (.ttf) version" in err
    assert not (tmp_path / "out").exists()


def test_meeting_file_names_a_style_with_problems(tmp_path, capsys):
    style = style_folder(tmp_path, "paper: A5\n")
    meeting = tmp_path / "meeting.yaml"
    meeting.write_text(ALMATY.read_text(encoding="utf-8") + f"house_style: {style.parent.name}"
                       "/house.yaml\n", encoding="utf-8")
    code = main(["build", str(meeting), "--out", str(tmp_path / "out"), "--only", "agenda"])
    err = capsys.readouterr().err
    assert code == 2
    assert re.search(r"meeting\.yaml:\d+:\d+: house_style: the house style file has problems", err)
    assert re.search(r"house\.yaml:1:8: paper: should be 'A4' or 'Letter'", err), err


def test_the_pdf_engine_is_asked_then_the_meetings_then_the_styles(tmp_path):
    """Deliberate bug it fails on: the style's pdf_engine ignored, or winning over the meeting
    file's own or --pdf-engine."""
    from generator.build import pdf_engine_of
    from generator.inputs import load_meeting

    style = style_folder(tmp_path, "pdf_engine: typst\n")
    meeting = tmp_path / "meeting.yaml"
    text = ALMATY.read_text(encoding="utf-8") + f"house_style: {style.parent.name}/house.yaml\n"
    meeting.write_text(text, encoding="utf-8")
    assert pdf_engine_of(load_meeting(str(meeting)), None) == "typst"
    assert pdf_engine_of(load_meeting(str(meeting)), "reportlab") == "reportlab"
    meeting.write_text(text + "pdf_engine: reportlab\n", encoding="utf-8")
    assert pdf_engine_of(load_meeting(str(meeting)), None) == "reportlab"
    assert pdf_engine_of(load_meeting(str(ALMATY)), None) == "reportlab"


# --- the shipped second style: the Solmera examples ----------------------------------------

ENGINES = ("reportlab", "typst")


@pytest.fixture(scope="module", params=ENGINES)
def solmera(tmp_path_factory, request):
    """Build the fictional example's programme, agenda pack and briefing pack, in its house
    style (its meeting file names it), with each PDF engine; return {stem: bytes} of the
    English files and, under "engine", the engine's name."""
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(SOLMERA), "--only", "agenda,agenda-pack,briefing", "--lang", "en",
                 "--pdf-engine", request.param, "--out", str(out)]) == 0
    folder = out / "solmera-process-3rd-ministerial"
    return {path.name: path.read_bytes() for path in folder.iterdir()} | {"engine": request.param}


def colours(content: str) -> set[tuple[str, str]]:
    """Return the ("fill" or "stroke", hex RGB) of every RGB colour a content stream sets, as
    reportlab writes them (rg, RG) and as Typst does (scn, SCN in an sRGB colour space)."""
    found = set()
    for red, green, blue, operator in re.findall(
            r"([\d.]+) ([\d.]+) ([\d.]+) (rg|RG|scn|SCN)\b", content):
        value = "".join(f"{round(float(part) * 255):02X}" for part in (red, green, blue))
        found.add(("stroke" if operator.isupper() else "fill", value))
    return found


def test_solmera_style_paper_margins_colours_in_the_pdf(solmera):
    reader = PdfReader(io.BytesIO(solmera["agenda-en-v1.pdf"]))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    lefts = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: lefts.append(
        tm[4] * cm[0] + cm[4]) if text.strip() else None)
    assert min(lefts) == pytest.approx(20 * 72 / 25.4, abs=0.5)  # the style's 20 mm left margin
    content = page.get_contents().get_data().decode("latin-1")
    later = reader.pages[1].get_contents().get_data().decode("latin-1")
    if solmera["engine"] == "reportlab":
        assert re.search(r"\.043137 \.333333 \.388235 rg\s*BT[^\n]*\(Session 2", later), later[:300]
    assert ("fill", "0B5563") in colours(later)  # the headings of the second page
    assert ("stroke", "C17817") in colours(content)  # the letterhead's rule and the hairline


def test_solmera_emblem_is_drawn_as_vectors_on_the_cover_and_in_the_letterhead(solmera):
    for name in ("agenda-pack-en-v1.pdf", "briefing-en-v0.2.pdf", "agenda-en-v1.pdf"):
        reader = PdfReader(io.BytesIO(solmera[name]))
        first = reader.pages[0].get_contents().get_data().decode("latin-1")
        assert not image_names(reader.pages[0]), name  # not a picture: paths
        # the emblem's curves (c) in its ring colour #0B5563 as a stroke, above the issuer
        assert ("stroke", "0B5563") in colours(first) and " c\n" in first, name
        second = reader.pages[1].get_contents().get_data().decode("latin-1")
        assert ("stroke", "0B5563") not in colours(second), name  # first page only
        text = pdf_pages(solmera[name])[0]
        assert "Secretariat of the Solmera Process" in text
        assert "secretariat@solmera-process.example" in text


def test_pack_cover_has_no_running_header_or_page_number_in_either_format(solmera):
    for name, header in (("agenda-pack-en-v1", "Agenda pack: 3rd Ministerial Conference"),
                         ("briefing-en-v0.2", "SP/MC3")):
        pages = pdf_pages(solmera[f"{name}.pdf"])
        cover = squeeze(pages[0])
        assert "Page1of" not in cover and not re.search(r"Page\d", cover), name
        # the briefing pack's classification at the top, at the bottom and in the cover's text
        assert cover.count("RESTRICTED") == (3 if name.startswith("briefing") else 0)
        assert squeeze("Page 2 of") in squeeze(pages[1])
        for field in ("Solmera Process", "3rd Ministerial Conference",
                      "Port-Aurèle, 30 November – 1 December 2026", "Languages: English, French"):
            assert squeeze(field) in cover, (name, field)
        word = WordDocument(io.BytesIO(solmera[f"{name}.docx"]))
        section = word.sections[0]
        assert section.different_first_page_header_footer
        first_header = section.first_page_header._element
        first_footer = section.first_page_footer._element
        assert "PAGE" not in "".join(first_footer.itertext())
        assert not first_footer.findall(f".//{W}instrText")  # no page field on the cover
        assert "Secretariat of the Solmera Process" in "".join(first_header.itertext())
        assert first_header.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
        assert section.footer._element.findall(f".//{W}instrText")  # the other pages have one
    # the pack's date of issue is the programme's (agenda_date), as on every page
    for name, mark in (("agenda-pack-en-v1.pdf", "DRAFT · Version 1 · 16 November 2026"),
                       ("briefing-en-v0.2.pdf", "DRAFT · Version 0.2 · 20 November 2026")):
        cover = pdf_pages(solmera[name])[0].replace("\xa0", " ")  # as Typst reads
        assert cover.count(mark) == 1  # in the cover's text; no running header repeats it


def test_docx_follows_the_solmera_style(solmera):
    word = WordDocument(io.BytesIO(solmera["agenda-en-v1.docx"]))
    section = word.sections[0]
    assert abs(section.page_width - Mm(215.9)) < Mm(0.2)
    assert abs(section.left_margin - Mm(20)) < Mm(0.1)
    assert abs(section.top_margin - Mm(22)) < Mm(0.1)
    assert word.styles["Heading 1"].font.color.rgb == RGBColor(0x0B, 0x55, 0x63)
    assert word.styles["Title"].font.color.rgb == RGBColor(0x0B, 0x55, 0x63)
    assert word.styles["Body"].font.size.pt == pytest.approx(10.5)
    header = section.first_page_header
    picture = header.part.rels.values()
    assert any("image" in rel.reltype for rel in picture)  # the emblem in the letterhead
    borders = header._element.findall(f".//{W}pBdr/{W}bottom")
    # the running header's hairline and the letterhead's rule, both in the rule colour
    assert [border.get(f"{W}color") for border in borders] == ["C17817", "C17817"]


# --- the built-in style, a picture emblem, and a font of one's own -------------------------

def test_without_a_style_file_the_pdf_is_the_built_in_one(tmp_path):
    from generator.document import HouseStyle
    from generator.rendering import render_formats
    from dataclasses import replace

    from generator.build import Edition, make_document
    from generator.inputs import load_meeting
    from generator.templating import default_templates

    loaded = load_meeting(str(ALMATY))
    document = make_document(loaded, Edition("agenda", ("en",)), default_templates())[0]
    assert document.house == HouseStyle()
    plain = render_formats(document, ["pdf", "docx"], "none")
    styled = render_formats(replace(document, house=HouseStyle(size=11.0, margins=(25.0,) * 4)),
                            ["pdf", "docx"], "none")
    assert plain == styled
    page = PdfReader(io.BytesIO(plain["pdf"])).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert not image_names(page)


@pytest.mark.parametrize("engine", ENGINES)
def test_png_emblem_letterhead_and_own_font_embedded_in_both_formats(tmp_path, engine):
    faces = {"r__ttf": (VERA / "Vera.ttf").read_bytes(), "b__ttf": (VERA / "VeraBd.ttf").read_bytes(),
             "i__ttf": (VERA / "VeraIt.ttf").read_bytes(), "bi__ttf": (VERA / "VeraBI.ttf").read_bytes()}
    style = style_folder(tmp_path, (
        "emblem: logo.png\nemblem_width: 30\nissuer: {name: Almaty Process Secretariat, "
        "address: [Baku]}\nfont: {regular: r.ttf, bold: b.ttf, italic: i.ttf, bold_italic: bi.ttf}\n"
        "size: 10\nmargins: {top: 30, right: 30, bottom: 30, left: 30}\n"), logo__png=png(), **faces)
    code, folder = build(tmp_path, ALMATY, "--only", "agenda", "--lang", "en", "--style", str(style),
                         "--pdf-engine", engine)
    assert code == 0
    reader = PdfReader(io.BytesIO((folder / "agenda-en-v1.pdf").read_bytes()))
    assert len(image_names(reader.pages[0])) == 1 and not image_names(reader.pages[-1])
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                          if "/DescendantFonts" in font else font["/FontDescriptor"])
            assert "/FontFile2" in descriptor.get_object()  # embedded
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all("Noto" not in name for name in fonts), fonts
    assert {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold"} <= fonts or any(
        "Vera" in name for name in fonts), fonts
    assert "Almaty Process Secretariat" in pdf_pages((folder / "agenda-en-v1.pdf").read_bytes())[0]
    docx = (folder / "agenda-en-v1.docx").read_bytes()
    word = WordDocument(io.BytesIO(docx))
    table = zipfile.ZipFile(io.BytesIO(docx)).read("word/fontTable.xml").decode()
    assert 'w:name="Bitstream Vera Sans"' in table and "w:embedRegular" in table
    styles = zipfile.ZipFile(io.BytesIO(docx)).read("word/styles.xml").decode()
    assert "Noto Serif" not in styles and 'w:ascii="Bitstream Vera Sans"' in styles
    assert abs(word.sections[0].left_margin - Mm(30)) < Mm(0.1)
    header = word.sections[0].first_page_header
    assert any("image" in rel.reltype for rel in header.part.rels.values())
    assert "Almaty Process Secretariat" in "".join(header._element.itertext())


# --- a reference Word file -----------------------------------------------------------------

def reference_docx(tmp_path: Path) -> Path:
    """Return a Word file with its own Heading 1 colour, Letter landscape page, wide margins
    and a picture in its header."""
    word = WordDocument()
    word.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x20)
    section = word.sections[0]
    section.page_width, section.page_height = Mm(279.4), Mm(215.9)
    section.left_margin = section.right_margin = Mm(40)
    logo = tmp_path / "artwork.png"
    logo.write_bytes(png(90, 30))
    section.header.paragraphs[0].add_run().add_picture(str(logo), width=Mm(30))
    path = tmp_path / "house.docx"
    word.save(str(path))
    return path


def test_reference_docx_gives_styles_page_and_header_artwork(tmp_path):
    reference = reference_docx(tmp_path)
    code, folder = build(tmp_path, ALMATY, "--only", "agenda", "--lang", "en", "--format", "docx",
                         "--reference-docx", str(reference))
    assert code == 0
    word = WordDocument(io.BytesIO((folder / "agenda-en-v1.docx").read_bytes()))
    assert word.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x20)
    assert word.styles["Cover Title"] is not None  # the styles it lacks are chancery's
    section = word.sections[0]
    assert abs(section.page_width - Mm(279.4)) < Mm(0.2)
    assert abs(section.left_margin - Mm(40)) < Mm(0.1)
    header = section.header
    assert any("image" in rel.reltype for rel in header.part.rels.values())
    assert header._element.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    assert "Programme" in "".join(header._element.itertext()) or header.paragraphs


def test_reference_docx_with_a_dtd_is_refused(tmp_path, capsys):
    reference = reference_docx(tmp_path)
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(reference) as source, zipfile.ZipFile(hostile, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "word/styles.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY x "y">]>', 1)
            target.writestr(entry, data)
    code, _ = build(tmp_path, ALMATY, "--only", "agenda", "--reference-docx", str(hostile))
    err = capsys.readouterr().err
    assert code == 2
    assert "hostile.docx: has a part (word/styles.xml) that declares a DTD or entities" in err
    assert not (tmp_path / "out").exists()


def test_new_meeting_from_an_earlier_one_keeps_its_house_style(tmp_path, capsys):
    from generator.inputs import load_meeting

    target = tmp_path / "next" / "solmera-4th.yaml"
    target.parent.mkdir()
    assert main(["new", str(target), "--from", str(SOLMERA), "--date", "2028-05-16"]) == 0
    written = re.search(r"^house_style: (.+)$", target.read_text(encoding="utf-8"), re.M)
    assert written and not Path(written.group(1)).is_absolute()
    assert (target.parent / written.group(1)).resolve() == (STYLES / "solmera.yaml").resolve()
    loaded = load_meeting(str(target))
    assert loaded.house.emblem is not None and loaded.paper == "Letter"


def test_house_font_without_the_letters_a_document_needs_is_refused(tmp_path, capsys):
    faces = {name: (VERA / "Vera.ttf").read_bytes() for name in ("r__ttf",)}
    style = style_folder(tmp_path, "font: {regular: r.ttf, bold: r.ttf, italic: r.ttf, "
                                   "bold_italic: r.ttf}\n", **faces)
    code, _ = build(tmp_path, ALMATY, "--only", "agenda", "--lang", "ru", "--style", str(style))
    err = capsys.readouterr().err
    assert code == 2
    assert re.search(r"r\.ttf: the house style's font cannot print '[а-яА-Я]' \(U\+04", err), err
    assert "agenda in ru needs" in err
    assert not (tmp_path / "out").exists()
