"""Typesetting read back from the PDF: hyphenation by the house rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.document import Cell, Paragraph, Row, Run, Table
from generator.hyphenate import breaks, hyphenator
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
