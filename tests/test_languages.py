"""Editions in English, Russian and French, bilingual editions, missing texts and the catalogs."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from generator.build import Edition, file_name, make_document, release
from generator.cli import main
from generator.document import Contents, Parallel, Part, signature_blocks, document_lines
from generator.inputs import load_meeting
from generator.templating import default_templates
from generator.transforms import fill_pages
from tests.readback import docx_lines, normalize, pdf_columns, pdf_heading_pages, squeeze

ROOT = Path(__file__).resolve().parent.parent

# A fictional meeting in English and Russian: every name is invented.
MEETING = """\
id: lingua
process: {en: Example Process, ru: Примерный процесс}
ordinal: {en: 2nd, ru: 2-я}
meeting_type: {en: Ministerial Conference, ru: министерская конференция}
title: {en: 2nd Ministerial Conference of the Example Process, ru: 2-я министерская конференция Примерного процесса}
date: 2024-11-30
end_date: 2024-12-01
city: {en: Baku, ru: Баку}
country: {en: Azerbaijan, ru: Азербайджан}
chair: TKM
languages: [en, ru]
participants:
  - id: TKM
    short_name: {en: Turkmenistan, ru: Туркменистан}
    formal_name: {en: Turkmenistan, ru: Туркменистан}
    article: ""
    signs_as: {ru: Туркменистан}
    delegation:
      - {id: ata, name: {en: Ata Example, ru: Ата Примеров}, title: {en: Minister, ru: Министр}, head: true}
  - id: TUR
    short_name: {en: Türkiye, ru: Турция}
    formal_name: {en: Republic of Türkiye, ru: Турецкая Республика}
    signs_as: {ru: Турецкую Республику}
    delegation:
      - {id: ece, name: {en: Ece Sample, ru: Эдже Образцова}, title: {en: Ambassador, ru: Посол}, head: true}
  - id: ALB
    short_name: {en: Albania, ru: Албания}
    formal_name: {en: Republic of Albania, ru: Республика Албания}
    signs_as: {ru: Республику Албания}
agenda:
  - title: {en: Plenary, ru: Пленарное заседание}
    items:
      - id: open
        time: "09:30"
        title: {en: Opening, ru: Открытие}
        speakers: [ata]
outcome:
  type: {en: Outcome Protocol, ru: Итоговый протокол}
  version: "0.2"
  preamble:
    - {en: "The participants,", ru: "Участники,"}
  paragraphs:
    - text: {en: Agree to meet again.}
      paragraphs:
        - text: {en: In Baku., ru: В Баку.}
    - text: {en: Thank the Chair., ru: Благодарят Председателя.}
  done_at:
    date: 2024-11-30
    originals: 2
briefing:
  classification: {en: Restricted, ru: Для служебного пользования}
  key_messages:
    - {en: Cooperation works., ru: Сотрудничество работает.}
"""
"""Paragraph 1 lacks its Russian text on purpose; the tests fill it in where they need it."""

COMPLETE = MEETING.replace("{en: Agree to meet again.}",
                           "{en: Agree to meet again., ru: Договорились встретиться снова.}")


def write(tmp_path: Path, text: str) -> Path:
    source = tmp_path / "meeting.yaml"
    source.write_text(text, encoding="utf-8")
    return source


def build(tmp_path: Path, text: str, *extra: str) -> tuple[int, Path]:
    """Return the exit code of `chancery build` and the output folder of the meeting."""
    out = tmp_path / "out"
    return main(["build", str(write(tmp_path, text)), "--out", str(out), *extra]), out / "lingua"


def model(tmp_path: Path, text: str, document: str, *languages: str, **kwargs):
    loaded = load_meeting(str(write(tmp_path, text)))
    return make_document(loaded, Edition(document, languages), default_templates(), **kwargs)[0]


def test_missing_texts_are_listed_with_file_line_and_language(tmp_path, capsys):
    code, folder = build(tmp_path, MEETING)
    err = capsys.readouterr().err
    assert code == 2
    source = tmp_path / "meeting.yaml"
    line = MEETING.splitlines().index("    - text: {en: Agree to meet again.}") + 1
    assert err.splitlines() == [
        f"{source}:{line}:13: outcome.paragraphs[0].text: no Russian (ru) text; add 'ru: ...' to it",
        "chancery: 1 problem found; nothing was written",
        "chancery: give each text in every language the documents are built in, or build with "
        "--fallback LANG to print another language's text where one is missing",
    ]
    assert not folder.exists()


def test_validate_reports_missing_texts_too(tmp_path, capsys):
    source = write(tmp_path, MEETING)
    assert main(["validate", str(source)]) == 2
    err = capsys.readouterr().err
    assert "outcome.paragraphs[0].text: no Russian (ru) text" in err
    assert "--fallback LANG" in err
    source.write_text(COMPLETE, encoding="utf-8")
    assert main(["validate", str(source)]) == 0
    assert capsys.readouterr().out == f"{source}: valid\n"


def test_fallback_prints_the_other_language_and_warns(tmp_path, capsys):
    code, folder = build(tmp_path, MEETING, "--fallback", "en", "--only", "protocol",
                         "--format", "docx")
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("warning: no Russian (ru) text; printed the English one instead") == 1
    assert "outcome.paragraphs[0].text" in err
    data = (folder / "protocol-ru-v0.2.docx").read_bytes()
    lines = docx_lines(data)
    # the English text carries a footnote saying so, in Russian, and is tagged as English
    assert "1. Agree to meet again.1" in lines and "1.1 В Баку." in lines
    assert "1 Текст имеется только на английском языке." in lines
    import docx

    body = docx.Document(io.BytesIO(data)).element.body
    tagged = [run for run in body.iter(qn("w:r")) if run.findtext(qn("w:t")) == "Agree to meet again."]
    assert tagged and tagged[0].find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "en"
    number = [run for run in body.iter(qn("w:r")) if run.findtext(qn("w:t")) == "1"
              and run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}") is not None]
    assert len(number) == 2  # the mark after the text and the note's own number, raised


def test_only_texts_a_document_prints_are_needed(tmp_path, capsys):
    """The agenda prints no outcome paragraph, so the missing Russian paragraph is no problem."""
    code, folder = build(tmp_path, MEETING, "--only", "agenda", "--format", "docx")
    assert code == 0, capsys.readouterr().err
    assert "1. Открытие" in docx_lines((folder / "agenda-ru-v1.docx").read_bytes())


def test_a_text_sorted_by_is_needed_even_if_not_printed(tmp_path, capsys):
    """Signature blocks print signs_as but are sorted by short name: it must be there too."""
    text = COMPLETE.replace("short_name: {en: Albania, ru: Албания}", "short_name: {en: Albania}")
    code, _ = build(tmp_path, text, "--only", "protocol", "--lang", "ru")
    err = capsys.readouterr().err
    assert code == 2
    assert "participants[2].short_name: no Russian (ru) text" in err


def test_default_editions_and_lang_option(tmp_path, capsys):
    code, folder = build(tmp_path, COMPLETE, "--format", "docx")
    assert code == 0, capsys.readouterr().err
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        ["manifest.json", *(f"{name}.docx" for name in (
            "agenda-en-v1", "agenda-ru-v1", "protocol-en-v0.2", "protocol-ru-v0.2",
            "protocol-en+ru-v0.2", "briefing-en-v1", "briefing-ru-v1"))])
    (tmp_path / "two").mkdir()
    code, folder = build(tmp_path / "two", COMPLETE, "--format", "pdf", "--lang", "ru,en+ru")
    assert code == 0, capsys.readouterr().err
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        ["manifest.json", *(f"{name}.pdf" for name in (
            "agenda-ru-v1", "agenda-en+ru-v1", "protocol-ru-v0.2", "protocol-en+ru-v0.2",
            "briefing-ru-v1", "briefing-en+ru-v1"))])


@pytest.mark.parametrize("option, message", [
    (["--lang", "fr"], "'fr' is not one of the meeting's languages (en, ru)"),
    (["--lang", "en+en"], "names a language twice"),
    (["--lang", "english"], "is not a language or languages joined by '+'"),
    (["--fallback", "en,ru"], "--fallback takes one language"),
])
def test_bad_languages_are_refused(tmp_path, capsys, option, message):
    try:
        code, folder = build(tmp_path, COMPLETE, *option)
    except SystemExit as stop:  # argparse refuses a malformed option itself
        code, folder = stop.code, tmp_path / "out" / "lingua"
    assert code == 2
    assert message in capsys.readouterr().err
    assert not folder.exists()


def test_language_lists_must_be_the_meetings(tmp_path, capsys):
    text = COMPLETE.replace("    originals: 2", "    originals: 2\n    languages: [en, fr]")
    code, _ = build(tmp_path, text)
    assert code == 2
    assert "outcome.done_at.languages[1]: 'fr' is not one of the meeting's languages (en, ru)" in (
        capsys.readouterr().err)


def test_russian_edition_follows_russian_conventions(tmp_path):
    document = model(tmp_path, COMPLETE, "protocol", "ru")
    lines = [normalize(line) for line in document_lines(document)]
    assert "Баку, 30 ноября – 1 декабря 2024 года" in lines
    assert ("Совершено в городе Баку 30 ноября 2024 года в двух экземплярах, каждый на "
            "английском и русском языках, причём оба текста имеют одинаковую силу.") in lines
    parties = [block.party for block in signature_blocks(document.blocks)]
    assert parties == ["За Республику Албания", "За Туркменистан", "За Турецкую Республику"]
    assert normalize(document.page.marking) == "ПРОЕКТ · Версия 0.2 · 30 ноября 2024 года"
    assert document.page.page_label == "Страница {page} из {pages}"
    assert document.metadata.language == "ru"


def test_english_edition_sorts_in_english(tmp_path):
    document = model(tmp_path, COMPLETE, "protocol", "en")
    parties = [block.party for block in signature_blocks(document.blocks)]
    assert parties == ["For the Republic of Albania", "For the Republic of Türkiye",
                       "For Turkmenistan"]
    assert ("Done at Baku on 30 November 2024 in two originals, each in the English and Russian "
            "languages, both texts being equally authentic.") in map(normalize, document_lines(document))


def test_russian_year_abbreviated_on_request(tmp_path):
    document = model(tmp_path, COMPLETE + "style: {russian_year: г.}\n", "agenda", "ru")
    assert "Баку, 30 ноября – 1 декабря 2024 г." in map(normalize, document_lines(document))


def test_classification_is_upper_cased_in_the_document_language(tmp_path):
    document = model(tmp_path, COMPLETE, "briefing", "ru")
    assert document.page.classification == "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ"


def signature_rows(document) -> list[tuple[str, ...]]:
    """Return the party lines of each signature block, one per language."""
    return [tuple(block.party.split("\n")) for block in signature_blocks(document.blocks)]


def test_side_by_side_pairs_every_block(tmp_path):
    document = model(tmp_path, COMPLETE, "protocol", "en", "ru")
    rows = [block for block in document.blocks if isinstance(block, Parallel)]
    assert rows and all(row.languages == ("en", "ru") for row in rows)
    numbers = [tuple(cell.blocks[0].number for cell in row.cells) for row in rows
               if getattr(row.cells[0].blocks[0], "number", None)]
    assert numbers == [("1.", "1."), ("1.1", "1.1"), ("2.", "2.")]
    # side by side, one block per signatory with its caption in both languages, in the first
    # language's order by default
    assert signature_rows(document) == [
        ("For the Republic of Albania", "За Республику Албания"),
        ("For the Republic of Türkiye", "За Турецкую Республику"),
        ("For Turkmenistan", "За Туркменистан")]
    # the running header's marking in both languages, a line each
    assert [normalize(line) for line in document.page.marking.split("\n")] == [
        "DRAFT · Version 0.2 · 30 November 2024", "ПРОЕКТ · Версия 0.2 · 30 ноября 2024 года"]


def test_side_by_side_signatures_join_each_party_in_any_order(tmp_path):
    document = model(tmp_path, COMPLETE + "bilingual: {order: each language}\n", "protocol",
                     "en", "ru")
    assert signature_rows(document) == [
        ("For the Republic of Albania", "За Республику Албания"),
        ("For the Republic of Türkiye", "За Турецкую Республику"),
        ("For Turkmenistan", "За Туркменистан")]


def parts(document) -> dict[str, tuple]:
    """Return the blocks of each language part of a consecutive edition, by language."""
    return {block.language: block.blocks for block in document.blocks if isinstance(block, Part)}


def test_consecutive_editions_sort_each_language_on_its_own_by_default(tmp_path):
    text = COMPLETE + "bilingual: {layout: consecutive}\n"
    document = model(tmp_path, text, "protocol", "en", "ru")
    parties = [block.party for block in signature_blocks(parts(document)["ru"])]
    assert parties == ["За Республику Албания", "За Туркменистан", "За Турецкую Республику"]
    document = model(tmp_path, text.replace("consecutive}", "consecutive, order: first language}"),
                     "protocol", "en", "ru")
    parties = [block.party for block in signature_blocks(parts(document)["ru"])]
    assert parties == ["За Республику Албания", "За Турецкую Республику", "За Туркменистан"]


def test_consecutive_edition_puts_one_language_after_the_other(tmp_path):
    text = COMPLETE + "bilingual: {layout: consecutive}\n"
    english = document_lines(model(tmp_path, text, "protocol", "en"))
    russian = document_lines(model(tmp_path, text, "protocol", "ru"))
    both = model(tmp_path, text, "protocol", "en", "ru")
    assert not any(isinstance(block, Parallel) for block in both.blocks)
    assert document_lines(both) == english + russian


def test_consecutive_briefing_keeps_anchors_unique_and_marks_each_part_with_its_language(tmp_path):
    document = model(tmp_path, COMPLETE, "briefing", "en", "ru")
    assert list(parts(document)) == ["en", "ru"]
    anchors = [block.anchor for blocks in parts(document).values() for block in blocks
               if hasattr(block, "anchor")]
    assert anchors and len(anchors) == len(set(anchors))
    entries = [entry.anchor for blocks in parts(document).values() for block in blocks
               if isinstance(block, Contents) for entry in block.entries]
    assert entries and set(entries) <= set(anchors)


def test_consecutive_docx_marks_the_runs_of_each_part_with_its_language(tmp_path, capsys):
    code, folder = build(tmp_path, COMPLETE, "--only", "agenda", "--lang", "en+ru",
                         "--format", "docx")
    assert code == 0, capsys.readouterr().err
    import zipfile

    body = zipfile.ZipFile(folder / "agenda-en+ru-v1.docx").read("word/document.xml").decode()
    runs = re.findall(r'<w:r>(?:(?!</w:r>).)*</w:r>', body, re.DOTALL)
    russian = [run for run in runs if "Открытие" in run]
    assert russian and all('<w:lang w:val="ru"/>' in run for run in russian)
    english = [run for run in runs if ">1. Opening<" in run]
    assert english and all("w:lang" not in run or 'w:val="en"' in run for run in english)


def test_side_by_side_pdf_keeps_paragraph_pairs_level(tmp_path, capsys):
    """Paragraph n of each language starts on the same page, and each column reads as its model."""
    paragraphs = "\n".join(
        f"    - text: {{en: 'Paragraph {n} {'in English. ' * (3 + 7 * (n % 3))}', "
        f"ru: 'Пункт {n} {'по-русски, чуть длиннее. ' * (5 + 11 * (n % 4))}'}}"
        for n in range(1, 31))
    text = re.sub(r"  paragraphs:\n(    .*\n)+?  done_at:", f"  paragraphs:\n{paragraphs}\n  done_at:",
                  COMPLETE)
    code, folder = build(tmp_path, text, "--only", "protocol", "--lang", "en+ru", "--format", "pdf")
    assert code == 0, capsys.readouterr().err
    document = model(tmp_path, text, "protocol", "en", "ru")
    left, right = pdf_columns((folder / "protocol-en+ru-v0.2.pdf").read_bytes())
    assert len(left) >= 3
    for column, pages in ((0, left), (1, right)):
        expected = [squeeze(line) for block in document.blocks if isinstance(block, Parallel)
                    for line in document_lines_of(block.cells[column].blocks)]
        assert "".join(expected) in "".join(squeeze(page) for page in pages)
    for n in range(1, 31):
        english = next(i for i, page in enumerate(left) if f"Paragraph {n} " in page.replace("\n", " "))
        russian = next(i for i, page in enumerate(right) if f"Пункт {n} " in page.replace("\n", " "))
        assert english == russian, n


def document_lines_of(blocks) -> list[str]:
    from generator.document import block_lines

    return [line for block in blocks for line in block_lines(block)]


def test_cyrillic_and_accents_round_trip_in_both_formats(tmp_path, capsys):
    text = COMPLETE.replace("{en: Thank the Chair., ru: Благодарят Председателя.}",
                            "{en: 'Thank the Chair — déjà vu, œuvre, façade.', "
                            "ru: 'Благодарят Председателя — ёлка, Йошкар-Ола.'}")
    code, folder = build(tmp_path, text, "--only", "protocol", "--lang", "ru")
    assert code == 0, capsys.readouterr().err
    from tests.readback import pdf_pages

    pdf = squeeze("".join(pdf_pages((folder / "protocol-ru-v0.2.pdf").read_bytes())))
    docx = " ".join(docx_lines((folder / "protocol-ru-v0.2.docx").read_bytes()))
    for word in ("Благодарят", "ёлка", "Йошкар-Ола", "Совершено", "экземплярах"):
        assert squeeze(word) in pdf and word in docx, word


def test_every_catalog_translates_every_message():
    from babel.messages.pofile import read_po

    def read(path, **kwargs):
        return read_po(io.BytesIO(path.read_bytes()), **kwargs)

    template = read(ROOT / "templates" / "locale" / "chancery.pot")
    wanted = {(message.context, message.id) for message in template if message.id}
    catalogs = sorted((ROOT / "templates" / "locale").glob("*.po"))
    assert {path.stem for path in catalogs} >= {"ru", "fr"}
    for path in catalogs:
        catalog = read(path, locale=path.stem)
        done = {(message.context, message.id) for message in catalog
                if message.id and not message.fuzzy and all(
                    message.string if isinstance(message.string, tuple) else (message.string,))}
        assert wanted - done == set(), path.name


def test_catalog_template_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_catalogs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_untranslated_wording_stops_the_build(tmp_path, capsys):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    catalog = templates / "locale" / "ru.po"
    text = catalog.read_text(encoding="utf-8")
    assert "Итоговый протокол}" in COMPLETE  # the test's document type is data, not wording
    catalog.write_text(text.replace('msgstr "За %(party)s"', 'msgstr ""'), encoding="utf-8")
    code, folder = build(tmp_path, COMPLETE, "--only", "protocol", "--lang", "ru",
                         "--templates", str(templates))
    err = capsys.readouterr().err
    assert code == 2
    assert f"{catalog}: no translation of 'For %(party)s'" in err
    assert not folder.exists()


def test_a_language_without_catalog_is_reported(tmp_path, capsys):
    text = COMPLETE.replace("languages: [en, ru]", "languages: [en, ru, de]")
    code, folder = build(tmp_path, text, "--only", "agenda", "--lang", "de")
    err = capsys.readouterr().err
    assert code == 2
    assert "de.po: no such catalog, so nothing can be written in 'de'" in err
    assert not folder.exists()


@pytest.mark.parametrize("document", ["agenda", "briefing"])
def test_consecutive_example_reads_back_as_the_model_in_both_formats(tmp_path, capsys, document):
    """The example's English and Russian editions one after the other, read back from the DOCX
    and the PDF, are the model's text exactly."""
    from tests.readback import body_pages, pdf_pages
    from tests.test_documents import assert_prints_exactly, header_rows, stretches

    source = ROOT / "inputs" / "almaty-process-8th-som.yaml"
    if document == "briefing":  # the example's pack is English only: give it Russian as well
        text = source.read_text(encoding="utf-8").replace("  languages: [en]\n", "")
        source = write(tmp_path, text)
    out = tmp_path / "out"
    code = main(["build", str(source), "--only", document, "--lang", "en+ru", "--out", str(out),
                 "--fallback", "en"])
    assert code == 0, capsys.readouterr().err
    folder = out / "almaty-process-8th-som"
    loaded = load_meeting(str(source))
    edition = Edition(document, ("en", "ru"))
    model_document = make_document(loaded, edition, default_templates(), fallback="en")[0]
    version = release(loaded.meeting, document).version
    lines = [line for line in map(normalize, document_lines(model_document)) if line]
    pdf_bytes = (folder / file_name(edition, version, "pdf")).read_bytes()
    paged = fill_pages(model_document, pdf_heading_pages(pdf_bytes))  # as the DOCX prints them
    assert [line for line in docx_lines((folder / file_name(edition, version, "docx")).read_bytes())
            if line] == [line for line in map(normalize, document_lines(paged)) if line]
    assert_prints_exactly(stretches(paged), body_pages(paged, pdf_pages(pdf_bytes)),
                          header_rows(paged))
    english, russian = {"agenda": ("Provisional programme", "Предварительная программа"),
                        "briefing": ("Briefing pack", "Справочные материалы")}[document]
    assert lines.index(english) < lines.index(russian)
