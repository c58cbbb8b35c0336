"""Typesetting read back from the PDF: hyphenation by the house rules."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from generator.document import Cell, Paragraph, Row, Run, Table
from generator.hyphenation import breaks, hyphenator
from generator.writers.pdf import render_pdf
from tests.sample_document import sample_document
from tests.test_documents import line_end_breaks

HARD = ("IOM Sub-Regional Office (UNHCR) Aliyev Almaty Moraçan Director-General 2023–2024 "
        "Representative Secretariat Central Asia decision-making direction opportunities "
        "international cooperation being consultative ")


@pytest.mark.parametrize("word", ["Aliyev", "UNHCR", "Sub-Regional", "Director-General",
                                  "Representative", "Secretariat", "Central", "2023", "being",
                                  "state", "Almaty"])
def test_names_acronyms_numbers_and_short_words_never_break(word):
    assert list(hyphenator("en")(word)) == []


def test_english_breaks_where_a_dictionary_does():
    assert ("direc", "tion") in list(hyphenator("en")("direction"))
    assert ("dir", "ection") not in list(hyphenator("en")("direction"))
    assert ("oppor", "tunities") in [(h, t) for h, t in hyphenator("en")("opportunities")] or \
        ("opportu", "nities") in list(hyphenator("en")("opportunities"))
    assert all(len(head) >= 3 and len(tail) >= 3
               for head, tail in hyphenator("en")("international"))


def test_a_hyphenated_word_breaks_only_after_its_hyphen_adding_nothing():
    assert list(hyphenator("en")("decision-making")) == [("decision-", "making")]
    assert list(breaks("co-op", None)) == []  # too short on either side


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_narrow_columns_break_no_name_acronym_or_number_and_never_double_a_hyphen(language):
    text = {"en": HARD, "fr": HARD + "coopération internationale développement ",
            "ru": "Начальник Государственной миграционной службы Азербайджанской Республики "
                  "(УВКБ ООН) Алиев Алматы 2023–2024 председательством сотрудничества "
                  "международного взаимодействия северо-западный "}[language]
    cells = tuple(Cell((Paragraph((Run(text * 2),), style="Table Text"),)) for _ in range(4))
    document = replace(sample_document(rows=1), blocks=(Table((1, 1, 1, 1), (Row(cells),)),))
    document = replace(document, metadata=replace(document.metadata, language=language))
    found = line_end_breaks(render_pdf(document, pdfa="none"))
    assert found, "the narrow columns are hyphenated somewhere"
    for word, carried in found:
        assert not carried.startswith("-"), (word, carried)
        assert not any(char.isupper() or char.isdigit() for char in word), (word, carried)


def test_docx_hyphenates_by_the_same_rules():
    """Word and LibreOffice hyphenate only running text, never a word in capitals, and at most
    two lines in a row."""
    import io

    import docx
    from docx.oxml.ns import qn

    from generator import stylesheet
    from generator.document import STYLES
    from generator.writers.docx import render_docx

    word = docx.Document(io.BytesIO(render_docx(sample_document(rows=1))))
    settings = word.settings.element
    assert settings.find(qn("w:autoHyphenation")).get(qn("w:val")) == "true"
    assert settings.find(qn("w:doNotHyphenateCaps")).get(qn("w:val")) == "true"
    assert settings.find(qn("w:consecutiveHyphenLimit")).get(qn("w:val")) == "2"
    for name in STYLES + ("Heading 1", "Heading 2", "Heading 3"):
        properties = word.styles[name].element.pPr
        suppressed = properties is not None and properties.find(
            qn("w:suppressAutoHyphens")) is not None
        assert suppressed == (name not in stylesheet.HYPHENATED), name


def word_spacings(pdf: bytes) -> list[float]:
    """Return every word spacing (Tw) the PDF widens: reportlab justifies a line so (and
    narrows the spaces of a line a hair too long)."""
    import io

    import pikepdf

    found = []
    with pikepdf.open(io.BytesIO(pdf)) as source:
        for page in source.pages:
            found += [float(operands[0]) for operands, operator
                      in pikepdf.parse_content_stream(page, "Tw") if float(operands[0]) > 0]
    return found


@pytest.mark.parametrize("meeting,languages", [("almaty-process-8th-som.yaml", ("en", "ru")),
                                               ("solmera-process-3rd-ministerial.yaml", ("en", "fr"))])
def test_parallel_columns_are_ragged_right_in_both_formats(meeting, languages):
    import io
    from pathlib import Path

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from generator.build import Edition, make_document
    from generator.inputs import load_meeting
    from generator.rendering import render_formats
    from generator.templating import default_templates

    root = Path(__file__).resolve().parent.parent
    loaded = load_meeting(str(root / "inputs" / meeting))
    single = make_document(loaded, Edition("protocol", languages[:1]), default_templates())[0]
    assert word_spacings(render_formats(single, ["pdf"])["pdf"]), "full width text is justified"
    document = make_document(loaded, Edition("protocol", languages), default_templates())[0]
    rendered = render_formats(document, ["docx", "pdf"])
    assert word_spacings(rendered["pdf"]) == []
    word = docx.Document(io.BytesIO(rendered["docx"]))
    cells = [paragraph for table in word.tables for cell in table._cells
             for paragraph in cell.paragraphs if paragraph.text.strip()]
    assert cells and all(paragraph.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)
                         and (paragraph.alignment == WD_ALIGN_PARAGRAPH.LEFT
                              or paragraph.style.paragraph_format.alignment
                              != WD_ALIGN_PARAGRAPH.JUSTIFY) for paragraph in cells)


@pytest.mark.parametrize("language,typed,printed", [
    ("en", "Senior Officials' Meeting \"Heydar Aliyev - Development\"",
     "Senior Officials’ Meeting “Heydar Aliyev – Development”"),
    ("fr", "Le \"plan\" de l'État - 2027", "Le «\u00a0plan\u00a0» de l’État\u00a0– 2027"),
    ("ru", "Встреча \"Алматы\" - итоги", "Встреча «Алматы»\u00a0— итоги"),
    ("en", "people-to-people 09:30-10:15 {{ x }} <b>", "people-to-people 09:30-10:15 {{ x }} <b>"),
    ("en", "The Chair's summary", "The Chair’s summary"),  # an apostrophe alone
    ("fr", "l'ordre du jour", "l’ordre du jour"),
    ("ru", "Встреча - итоги", "Встреча\u00a0— итоги"),  # a dash alone
    ("en", "no quotes, no dashes", "no quotes, no dashes"),
])
def test_punctuation_is_typographic_in_each_language(language, typed, printed):
    from generator.typography import typeset

    assert typeset(typed, language) == printed


def example(meeting: str, document: str, languages: tuple[str, ...], extra: str = ""):
    """Return the model, DOCX and PDF of an example's document, with YAML appended to it."""
    import tempfile
    from pathlib import Path

    from generator.build import Edition, make_document
    from generator.inputs import load_meeting
    from generator.rendering import render_formats
    from generator.templating import default_templates

    root = Path(__file__).resolve().parent.parent
    source = root / "inputs" / meeting
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / source.name
        copy.write_text(source.read_text(encoding="utf-8") + extra, encoding="utf-8")
        for other in source.parent.iterdir():  # the files it refers to
            if other != source and other.is_file():
                (Path(folder) / other.name).write_bytes(other.read_bytes())
            elif other.is_dir() and other.name == "styles":  # the house style it names
                shutil.copytree(other, Path(folder) / other.name)
        loaded = load_meeting(str(copy))
        model = make_document(loaded, Edition(document, languages), default_templates())[0]
        rendered = render_formats(model, ["docx", "pdf"])  # the emblem is read as it prints
    return model, rendered["docx"], rendered["pdf"]


def test_time_spans_take_an_en_dash_and_french_times_french_usage():
    from tests.readback import docx_lines, pdf_pages

    _, docx_en, pdf_en = example("solmera-process-3rd-ministerial.yaml", "agenda", ("en",))
    english = " ".join(pdf_pages(pdf_en))
    assert "09:30–10:15" in english and "09:30-10:15" not in english
    assert "09:30–10:15" in docx_lines(docx_en)
    _, docx_fr, pdf_fr = example("solmera-process-3rd-ministerial.yaml", "agenda", ("fr",))
    assert "9 h 30 – 10 h 15" in docx_lines(docx_fr)
    french = " ".join(pdf_pages(pdf_fr)).replace("\u00a0", " ").replace("\n", " ")
    assert "9 h 30 – 10 h 15" in french


def test_french_ordinal_endings_are_superscript_in_both_formats():
    import io

    import docx
    from pypdf import PdfReader

    _, word, pdf = example("solmera-process-3rd-ministerial.yaml", "agenda", ("fr",))
    drawn = []

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            drawn.append((text.strip(), size * matrix[0]))
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    endings = [(text, size, before) for (previous, before), (text, size)
               in zip(drawn, drawn[1:]) if text in ("er", "e") and previous[-1:].isdigit()]
    assert {"er", "e"} <= {text for text, _, _ in endings}, drawn[:12]
    for text, size, before in endings:  # "1er décembre", "3e Conférence" in the body
        assert size < before, (text, size, before)
    raised = [run for paragraph in docx.Document(io.BytesIO(word)).paragraphs
              for run in paragraph.runs if run.font.superscript]
    assert {"er", "e"} <= {run.text for run in raised}


def test_typography_as_typed_prints_the_data_as_written():
    from generator.document import document_lines

    model, _, _ = example("almaty-process-8th-som.yaml", "agenda", ("en",),
                          "\ntypography: as typed\n")
    lines = document_lines(model)
    assert any("\"Heydar Aliyev - Development" in line for line in lines)
    assert "09:30-10:15" in " ".join(lines) or "TBC" in " ".join(lines)


def test_title_lines_are_balanced_and_a_date_never_breaks():
    from tests.readback import pdf_pages

    _, _, pdf = example("almaty-process-8th-som.yaml", "agenda", ("ru",))
    lines = [line.strip() for line in pdf_pages(pdf)[0].splitlines()]
    assert "8-я встреча высших должностных" in lines
    assert "лиц Алматинского процесса" in lines  # not one word alone on the second line
    _, _, pdf = example("solmera-process-3rd-ministerial.yaml", "protocol", ("en", "fr"))
    first = [line.replace("\u00a0", " ") for line in pdf_pages(pdf)[0].splitlines()]
    assert any("30 November – 1 December 2026" in line for line in first), first[:12]


def test_balanced_lines_are_as_many_as_needed_and_about_equal():
    from generator.balance import balanced_lines

    lines = balanced_lines("one two three four five six seven", len, 30)
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 6
    assert balanced_lines("short", len, 30) == ["short"]


def test_header_lines_are_measured_in_the_font_they_print_in():
    from pathlib import Path

    from generator.document import PageSettings
    from generator.fonts import house_font
    from generator.furniture import header_lines, line_width

    vera = Path(__import__("reportlab").__file__).parent / "fonts"
    page = PageSettings(size="A4", header="Outcome protocol of the Eighth Senior Officials' "
                        "Meeting of the Almaty Process on Refugee Protection and International "
                        "Migration", header_runs=(), marking="DRAFT", marking_runs=())
    built_in = header_lines(page, 300)
    with house_font(tuple(str(vera / name) for name in
                          ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf"))):
        wider = header_lines(page, 300)  # Bitstream Vera sets wider than Noto Serif
        assert max(line_width(left) for left, _ in wider) <= 300
    assert header_lines(page, 300) == built_in
    assert [left for left, _ in wider] != [left for left, _ in built_in]
