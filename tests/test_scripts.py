"""Spanish, Arabic and Chinese: catalogs, UN formulas, dates, collation, right-to-left DOCX read
back and rendered by LibreOffice, and the reportlab writer's refusal of what it cannot set."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from generator.build import Edition, make_document
from generator.cli import main
from generator.collation import collate
from generator.dates import format_day, format_span, format_time
from generator.inputs import load_meeting
from generator.rendering import render_formats
from generator.templating import default_templates
from generator.wording import number_in_words
from tests import tools
from tests.readback import squeeze

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "templates" / "locale"
MERIDIAN = ROOT / "inputs" / "meridian-forum-1st-consultation.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Direction marks pdftotext puts around right-to-left lines."""
ARABIC = re.compile("[\u0600-\u06ff]")
NUMBERS = re.compile(r"[0-9.]")
"""Figures and full stops, taken out where a paragraph's number (set at its right, in Arabic)
comes in pdftotext's lines."""


# --- catalogs ----------------------------------------------------------------------------------

def catalog(language: str):
    with (LOCALE / f"{language}.po").open("rb") as stream:
        return read_po(stream, locale=language)


@pytest.mark.parametrize("language", ["es", "ar", "zh"])
def test_catalog_translates_every_message_with_its_placeholders(language):
    with (LOCALE / "chancery.pot").open("rb") as stream:
        template = read_po(stream)
    translated = catalog(language)
    assert translated.num_plurals == {"es": 3, "ar": 6, "zh": 1}[language]
    for message in template:
        if not message.id:
            continue
        found = translated.get(message.id, context=message.context)
        assert found is not None and not found.fuzzy, (language, message.id)
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        assert len(forms) == (translated.num_plurals if isinstance(message.id, tuple) else 1)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = {name for text in ids for name in map("".join, PLACEHOLDER.findall(text))}
        for form in forms:
            assert form, (language, message.id)
            assert {"".join(name) for name in PLACEHOLDER.findall(form)} <= allowed, form
        if not isinstance(message.id, tuple):  # one form: it says everything the message does
            assert {"".join(name) for name in PLACEHOLDER.findall(forms[0])} == allowed, forms[0]


# --- dates, numbers, lists, collation ----------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(("language", "day", "two", "three", "months", "years"), [
    ("es", "12 de octubre de 2023", "13 y 14 de diciembre de 2022", "13 a 15 de diciembre de 2022",
     "30 de noviembre a 2 de diciembre de 2022", "30 de diciembre de 2022 a 2 de enero de 2023"),
    ("ar", "12 تشرين الأول/أكتوبر 2023", "13 و14 كانون الأول/ديسمبر 2022",
     "من 13 إلى 15 كانون الأول/ديسمبر 2022",
     "من 30 تشرين الثاني/نوفمبر إلى 2 كانون الأول/ديسمبر 2022",
     "من 30 كانون الأول/ديسمبر 2022 إلى 2 كانون الثاني/يناير 2023"),
    ("zh", "2023年10月12日", "2022年12月13日至14日", "2022年12月13日至15日", "2022年11月30日至12月2日",
     "2022年12月30日至2023年1月2日"),
], ids=["es", "ar", "zh"])
def test_dates_as_un_documents_write_them(language, day, two, three, months, years):
    def plain(text):
        return text.replace("\u00a0", " ")

    assert plain(format_day(D(2023, 10, 12), language)) == day
    assert plain(format_span(D(2022, 12, 13), D(2022, 12, 14), language)) == two
    assert plain(format_span(D(2022, 12, 13), D(2022, 12, 15), language)) == three
    assert plain(format_span(D(2022, 11, 30), D(2022, 12, 2), language)) == months
    assert plain(format_span(D(2022, 12, 30), D(2023, 1, 2), language)) == years


def test_arabic_month_names_and_times_never_break_or_turn_round():
    assert "تشرين\u00a0الأول/أكتوبر" in format_day(D(2023, 10, 12), "ar")
    # numbers after Arabic letters read right to left: the span is isolated left to right
    assert format_time("09:30-10:15", "ar") == "\u206609:30–10:15\u2069"
    assert format_time("09:30-10:15", "zh") == "09:30–10:15"


def test_counts_in_words():
    assert [number_in_words(n, "zh") for n in (1, 2, 3, 10, 12, 20, 35)] == [
        "一", "两", "三", "十", "十二", "二十", "三十五"]
    assert number_in_words(150, "zh") == "150"
    assert number_in_words(2, "es") == "dos"
    assert number_in_words(3, "ar") == "ثلاثة"


def test_arabic_collation_ignores_the_article_and_the_hamza():
    """The order of the UN Arabic list of Member States."""
    expected = ["إثيوبيا", "أذربيجان", "الأرجنتين", "الأردن", "أرمينيا", "إريتريا", "إسبانيا",
                "جامايكا", "الجبل الأسود", "الجزائر", "جمهورية أفريقيا الوسطى"]
    assert collate(reversed(expected), str, "ar") == expected
    assert collate(sorted(expected), str, "ar") == expected


def test_chinese_collation_is_pinyin_syllable_by_syllable():
    """The order of the UN Chinese list of Member States: pinyin, each syllable by its letters
    then its tone (埃 āi before 爱 ài)."""
    expected = ["阿尔巴尼亚", "阿尔及利亚", "阿富汗", "阿根廷", "阿拉伯联合酋长国", "阿曼", "阿塞拜疆",
                "埃及", "埃塞俄比亚", "爱尔兰", "澳大利亚", "巴巴多斯", "俄罗斯联邦", "中国"]
    assert collate(reversed(expected), str, "zh") == expected
    assert collate(sorted(expected), str, "zh") == expected


# --- documents of a meeting in es, ar and zh ---------------------------------------------------

def three_language_meeting(tmp_path: Path, originals: int = 3) -> Path:
    """Return a copy of the Meridian example whose protocol is signed in Spanish, Arabic and
    Chinese, in a number of originals."""
    data = yaml.safe_load(MERIDIAN.read_text(encoding="utf-8"))
    outcome = data["outcome"]
    outcome["type"] = {"es": "Protocolo de Noravel", "ar": "بروتوكول نورافيل", "zh": "诺拉维尔议定书"}
    outcome["preamble"] = [{"es": "Los Estados participantes,", "ar": "إن الدول المشاركة،",
                            "zh": "与会国，"}]
    outcome["paragraphs"] = [{"text": {"es": "Acuerdan reunirse.", "ar": "تتفق على الاجتماع.",
                                       "zh": "同意再次会晤。"}}]
    outcome["done_at"].update(languages=["es", "ar", "zh"], originals=originals)
    for participant in data["participants"]:
        participant.get("signs_as", {}).update(es=participant["formal_name"]["es"],
                                               zh=participant["formal_name"]["zh"])
        if "signs_as" not in participant:
            participant["signs_as"] = {"es": participant["formal_name"]["es"]}
    source = tmp_path / "meridian.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return source


def lines(source: Path, document: str, language: str) -> list[str]:
    loaded = load_meeting(str(source))
    model = make_document(loaded, Edition(document, (language,)), default_templates())[0]
    from generator.document import document_lines

    return document_lines(model)


@pytest.mark.parametrize(("language", "clause"), [
    ("es", "Hecho en Noravel, el 10 de marzo de 2027, en tres ejemplares originales, cada uno en los "
           "idiomas español, árabe y chino, siendo todos los textos igualmente auténticos."),
    ("ar", "حُرِّر في نورافيل في 10 آذار/مارس 2027 من ثلاثة أصول، كلُّ أصلٍ باللغات الإسبانية "
           "والعربية والصينية، وتتساوى جميع النصوص في الحجية."),
    ("zh", "2027年3月10日订于诺拉维尔，一式三份，每份均以西班牙文、阿拉伯文和中文写成，各种文本同等作准。"),
], ids=["es", "ar", "zh"])
def test_done_at_clause_is_the_un_formula(tmp_path, language, clause):
    printed = [line.replace("\u00a0", " ") for line in lines(three_language_meeting(tmp_path),
                                                              "protocol", language)]
    assert clause in printed


def test_arabic_two_originals_take_the_dual(tmp_path):
    printed = lines(three_language_meeting(tmp_path, originals=2), "protocol", "ar")
    assert any("من أصلين، كلُّ أصلٍ باللغات" in line for line in printed)


def test_arabic_signatories_are_in_arabic_alphabetical_order():
    from generator.document import signature_blocks

    loaded = load_meeting(str(MERIDIAN))
    model = make_document(loaded, Edition("protocol", ("ar",)), default_templates())[0]
    parties = [block.party for block in signature_blocks(model.blocks)]
    assert parties == ["عن جمهورية أسترانيا", "عن جمهورية أورلانديا الاتحادية",
                       "عن جمهورية التيرالتا", "عن مملكة كاليمار"]


# --- the DOCX, read back ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docx_files() -> dict[str, bytes]:
    """Return the DOCX of each Arabic and Chinese edition of the Meridian example, by stem."""
    loaded = load_meeting(str(MERIDIAN))
    result = {}
    for edition in (Edition("protocol", ("ar",)), Edition("protocol", ("en", "ar")),
                    Edition("agenda", ("ar",)), Edition("agenda", ("zh",))):
        document = make_document(loaded, edition, default_templates())[0]
        result[edition.stem] = render_formats(document, ["docx"])["docx"]
    return result


def part(data: bytes, name: str):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def test_arabic_docx_paragraphs_read_right_to_left(docx_files):
    body = part(docx_files["protocol-ar"], "word/document.xml")
    paragraphs = [p for p in body.iter(f"{W}p") if text(p).strip()]
    assert paragraphs
    for paragraph in paragraphs:
        assert paragraph.find(f"{W}pPr/{W}bidi") is not None, text(paragraph)
    arabic_runs = [run for run in body.iter(f"{W}r") if ARABIC.search(text(run))]
    assert arabic_runs
    for run in arabic_runs:
        assert run.find(f"{W}rPr/{W}rtl") is not None, text(run)
        assert run.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "ar"
        if run.find(f"{W}rPr/{W}b") is not None:
            assert run.find(f"{W}rPr/{W}bCs") is not None
    for table in body.iter(f"{W}tbl"):  # the signature grid starts on the right
        assert table.find(f"{W}tblPr/{W}bidiVisual") is not None


def test_side_by_side_arabic_column_is_the_right_one_and_english_stays_left(docx_files):
    body = part(docx_files["protocol-en+ar"], "word/document.xml")
    rows = [row for row in body.iter(f"{W}tr") if len(row.findall(f"{W}tc")) == 2]
    checked = 0
    for row in rows:
        left, right = row.findall(f"{W}tc")
        if ARABIC.search(text(right)) and not ARABIC.search(text(left)):
            checked += 1
            assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in right.iter(f"{W}p")
                       if text(p).strip())
            assert all(p.find(f"{W}pPr/{W}bidi") is None for p in left.iter(f"{W}p"))
    assert checked >= 8  # title block, preamble, three paragraphs, testimonium, Done at
    for table in body.iter(f"{W}tbl"):  # the columns are not swapped
        assert table.find(f"{W}tblPr/{W}bidiVisual") is None


def test_complex_script_fonts_sizes_and_embedding(docx_files):
    styles = part(docx_files["protocol-ar"], "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}cs") == "Noto Sans Arabic"
    for properties in styles.iter(f"{W}rPr"):
        size, complex_size = properties.find(f"{W}sz"), properties.find(f"{W}szCs")
        if size is not None:
            assert complex_size is not None and complex_size.get(f"{W}val") == size.get(f"{W}val")
        if properties.find(f"{W}b") is not None:
            assert properties.find(f"{W}bCs") is not None
        fonts = properties.find(f"{W}rFonts")
        if fonts is not None and fonts.get(f"{W}cs") is not None:
            assert fonts.get(f"{W}cs") == "Noto Sans Arabic"
    table = part(docx_files["protocol-ar"], "word/fontTable.xml")
    entry = next(font for font in table.iter(f"{W}font") if font.get(f"{W}name") == "Noto Sans Arabic")
    assert entry.find(f"{W}embedRegular") is not None and entry.find(f"{W}embedBold") is not None


def test_chinese_docx_names_the_east_asian_font_and_language(docx_files):
    styles = part(docx_files["agenda-zh"], "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == "Noto Serif CJK SC"
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    assert all(fonts.get(f"{W}eastAsia") == "Noto Serif CJK SC" for fonts in styles.iter(f"{W}rFonts")
               if fonts.get(f"{W}eastAsia") is not None)
    table = part(docx_files["agenda-zh"], "word/fontTable.xml")
    entry = next(font for font in table.iter(f"{W}font") if font.get(f"{W}name") == "Noto Serif CJK SC")
    assert entry.find(f"{W}altName").get(f"{W}val") == "SimSun"


def test_no_schema_errors(docx_files, tmp_path):
    from openxml_audit import OpenXmlValidator, ValidationErrorType

    validator = OpenXmlValidator()
    for stem, data in docx_files.items():
        path = tmp_path / f"{stem}.docx"
        path.write_bytes(data)
        errors = [str(error) for error in validator.validate(path).errors
                  if error.error_type is ValidationErrorType.SCHEMA]
        assert errors == [], stem


# --- LibreOffice ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(docx_files, tmp_path_factory) -> dict[str, Path]:
    """Return LibreOffice's PDF of each DOCX, by stem."""
    soffice = shutil.which("soffice")
    if soffice is None:
        tools.missing_tool("soffice is not installed; it is needed to render the DOCX files")
    folder = tmp_path_factory.mktemp("scripts")
    for stem, data in docx_files.items():
        (folder / f"{stem}.docx").write_bytes(data)
    result = subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                             "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                             str(folder), *(str(folder / f"{stem}.docx") for stem in docx_files)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return {stem: folder / f"{stem}.pdf" for stem in docx_files}


def half(pdf: Path, side: str) -> str:
    """Return the squeezed text of the left or right half of the PDF's first page."""
    from pypdf import PdfReader

    width = float(PdfReader(pdf).pages[0].mediabox.width)
    x = 0 if side == "left" else int(width / 2)
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-x", str(x), "-y", "0", "-W",
                          str(int(width / 2)), "-H", "2000", "-layout", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return squeeze(BIDI_MARKS.sub("", out))


def test_libreoffice_sets_arabic_in_the_embedded_arabic_font(rendered):
    fonts = subprocess.run(["pdffonts", str(rendered["protocol-en+ar"])], capture_output=True,
                           text=True, check=True).stdout
    assert "NotoSansArabic-Regular" in fonts and "NotoSansArabic-Bold" in fonts
    assert "DejaVu" not in fonts  # no fallback font stood in for a missing glyph


def test_libreoffice_puts_arabic_on_the_right_of_the_english(rendered):
    data = yaml.safe_load(MERIDIAN.read_text(encoding="utf-8"))
    left, right = half(rendered["protocol-en+ar"], "left"), half(rendered["protocol-en+ar"], "right")
    left, right = NUMBERS.sub("", left), NUMBERS.sub("", right)
    for paragraph in data["outcome"]["paragraphs"]:
        english, arabic = (NUMBERS.sub("", squeeze(paragraph["text"][language]))
                           for language in ("en", "ar"))
        assert english in left and english not in right
        assert arabic in right and arabic not in left


def test_libreoffice_reads_the_arabic_signatures_from_the_right(rendered):
    """Signing order alphabetical in Arabic: Astrania, Orlandia, Terralta, Kalimar, two to a row;
    the first of each row on the right."""
    left, right = half(rendered["protocol-ar"], "left"), half(rendered["protocol-ar"], "right")
    for name in ("عنجمهوريةأسترانيا", "عنجمهوريةالتيرالتا"):
        assert name in right and name not in left
    for name in ("عنجمهوريةأورلانديا" + "الاتحادية", "عنمملكةكاليمار"):
        assert name in left and name not in right


def test_libreoffice_sets_chinese_in_a_cjk_font(rendered):
    fonts = subprocess.run(["pdffonts", str(rendered["agenda-zh"])], capture_output=True,
                           text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts.replace(" ", "")
    out = subprocess.run(["pdftotext", str(rendered["agenda-zh"]), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert "子午论坛第一次磋商" in squeeze(out)
    assert "诺拉维尔，2027年3月9日至10日" in squeeze(out)


# --- the reportlab writer refuses what it cannot set ---------------------------------------------

def test_reportlab_refuses_arabic_and_chinese_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(MERIDIAN), "--out", str(out), "--pdf-engine", "reportlab"]) == 2
    error = capsys.readouterr().err
    assert not out.exists()
    for stem in ("agenda-ar", "agenda-zh", "protocol-ar", "protocol-en+ar"):
        assert re.search(rf"meridian-forum-1st-consultation\.yaml:\d+:\d+: languages: the "
                         rf"reportlab PDF writer cannot set .*, so {re.escape(stem)} would be a wrong "
                         rf"PDF; build it with --pdf-engine typst", error), stem
    for stem in ("agenda-en", "agenda-es", "protocol-en"):
        assert f"so {stem} " not in error


def test_the_other_languages_build_as_pdf_and_docx(tmp_path):
    out = tmp_path / "out"
    assert main(["build", str(MERIDIAN), "--out", str(out), "--lang", "en,fr,ru,es"]) == 0
    folder = out / "meridian-forum-1st-consultation"
    spanish = subprocess.run(["pdftotext", str(folder / "agenda-es-v1.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert "1.ª Consulta del Foro Meridiano" in spanish
    assert "Programa provisional" in spanish  # a draft programme says so
    assert "Noravel, 9 y 10 de marzo de 2027" in spanish.replace("\u00a0", " ")


def test_arabic_and_chinese_build_as_docx_alone(tmp_path):
    out = tmp_path / "out"
    assert main(["build", str(MERIDIAN), "--out", str(out), "--format", "docx"]) == 0
    names = sorted(path.name for path in (out / "meridian-forum-1st-consultation").glob("*.docx"))
    assert "protocol-en+ar-v1.0.docx" in names and "agenda-zh-v1.docx" in names


@pytest.mark.parametrize("stem", ["agenda-en", "agenda-fr", "agenda-ru", "agenda-es", "protocol-en"])
def test_the_reportlab_pdf_of_the_other_languages_prints_the_model_text_in_order(tmp_path, stem):
    """The Meridian example is left out of test_documents (its Arabic and Chinese editions need
    the Typst writer): its other editions' PDFs are checked here."""
    from generator.document import block_lines, holds_signature
    from tests.readback import find_in_order

    out = tmp_path / "out"
    document, language = stem.split("-")
    assert main(["build", str(MERIDIAN), "--out", str(out), "--lang", language,
                 "--only", document]) == 0
    pdf = next((out / "meridian-forum-1st-consultation").glob(f"{stem}-v*.pdf"))
    printed = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                     text=True, check=True).stdout)
    model = make_document(load_meeting(str(MERIDIAN)), Edition(document, (language,)),
                          default_templates())[0]
    expected = [squeeze(line) for block in model.blocks if not holds_signature(block)
                for line in block_lines(block)]  # signature blocks stand two to a row
    assert len(expected) >= 10
    assert find_in_order(printed, expected) == []
