"""End to end: build every example, read each DOCX and PDF back, compare with the model."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

from generator.build import available_documents, editions, file_name, make_document, release
from generator.cli import main
from generator.document import Contents, SignatureBlock, Table, block_lines, document_lines
from generator.inputs import load_meeting
from generator.templating import default_templates
from generator.transforms import fill_pages
from tests.meetings import large_meeting
from tests.readback import (
    docx_lines, find_in_order, normalize, pdf_columns, pdf_heading_pages, pdf_pages, squeeze,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "inputs").glob("*.yaml")),
           *sorted((ROOT / "tests" / "cases").glob("*/input.yaml"))]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build every example once; return {(meeting id, edition): (model, docx bytes, pdf bytes)}
    for every edition a default build writes, such as "protocol-en" or "protocol-en+ru"."""
    out = tmp_path_factory.mktemp("out")
    documents = {}
    for source in SOURCES:
        loaded = load_meeting(str(source))
        assert main(["build", str(source), "--out", str(out)]) == 0
        folder = out / loaded.meeting.id
        for edition in editions(loaded, available_documents(loaded)):
            version = release(loaded.meeting, edition.document).version
            documents[loaded.meeting.id, edition.stem] = (
                make_document(loaded, edition, default_templates())[0],
                (folder / file_name(edition, version, "docx")).read_bytes(),
                (folder / file_name(edition, version, "pdf")).read_bytes())
    return documents


def each_edition(single: bool = False):
    for source in SOURCES:
        loaded = load_meeting(str(source))
        for edition in editions(loaded, available_documents(loaded)):
            if not single or len(edition.languages) == 1:
                yield pytest.param((loaded.meeting.id, edition.stem),
                                   id=f"{loaded.meeting.id}-{edition.stem}")


DOCUMENTS = list(each_edition())
SINGLE = list(each_edition(single=True))
"""Editions in one language: their PDF text reads in the model's order (side by side does not)."""


def furniture(document, page: int, pages: int) -> list[str]:
    """Return the page furniture strings printed on a page (header, marking, label...)."""
    settings = document.page
    return [text for text in (settings.header, settings.marking, settings.classification,
                              settings.page_label.format(page=page, pages=pages),
                              settings.watermark) if text]


def body_text(document, pages: list[str]) -> str:
    """Return the PDF's text without page furniture, whitespace removed."""
    text = ""
    for number, page in enumerate(pages, 1):
        page = squeeze(page)
        for piece in furniture(document, number, len(pages)):
            page = page.replace(squeeze(piece), "", 1)
        if document.page.classification:  # printed at the top and at the bottom
            page = page.replace(squeeze(document.page.classification), "", 1)
        text += page.replace("•", "")
    return text


def header_rows(document) -> list[str]:
    """Return the squeezed text of each table header row in the document."""
    return ["".join(squeeze(line) for cell in row.cells for inner in cell.blocks
                    for line in block_lines(inner))
            for block in document.blocks if isinstance(block, Table)
            for row in block.rows if row.header]


def test_build_prints_each_file_it_wrote(tmp_path, capsys):
    source = ROOT / "inputs" / "almaty-process-8th-som.yaml"
    assert main(["build", str(source), "--out", str(tmp_path), "--only", "agenda,protocol",
                 "--format", "pdf"]) == 0
    printed = capsys.readouterr().out.split()
    folder = tmp_path / "almaty-process-8th-som"
    names = ["agenda-en-v1.pdf", "agenda-ru-v1.pdf", "protocol-en-v0.1.pdf", "protocol-ru-v0.1.pdf",
             "protocol-en+ru-v0.1.pdf", "manifest.json"]
    assert printed == [str(folder / name) for name in names]
    assert sorted(path.name for path in folder.iterdir()) == sorted(names)


@pytest.mark.parametrize("key", DOCUMENTS)
def test_docx_text_is_the_model_text_in_order(built, key):
    document, docx, pdf = built[key]
    document = fill_pages(document, pdf_heading_pages(pdf))  # the contents print the PDF's pages
    expected = [normalize(line) for line in document_lines(document) if normalize(line)]
    assert [line for line in docx_lines(docx) if line] == expected


@pytest.mark.parametrize("key", SINGLE)
def test_pdf_text_is_the_model_text_in_order(built, key):
    document, _, pdf = built[key]
    text = body_text(document, pdf_pages(pdf))
    lines = [squeeze(line) for line in document_lines(document) if squeeze(line)]
    assert find_in_order(text, lines) == []
    expected = sum(map(len, lines))
    for header in set(header_rows(document)):  # a table's header row repeats on each of its pages
        text = text.replace(header, "")
        expected -= len(header) * header_rows(document).count(header)
    if not any(isinstance(block, Contents) for block in document.blocks):  # contents add page numbers
        assert len(text) == expected, "the PDF prints text that is not in the model"


@pytest.mark.parametrize("key", DOCUMENTS)
def test_pdf_embeds_every_font_it_uses(built, key):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(built[key][2]))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                          if "/DescendantFonts" in font else font.get("/FontDescriptor"))
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), name
            assert "Helvetica" not in name and "Times" not in name and "Courier" not in name
            seen.add(name.split("+")[-1])
    assert {"NotoSerif-Regular", "NotoSerif-Bold"} <= seen


@pytest.mark.parametrize("key", [key for key in SINGLE if key.values[0][1].startswith("protocol")])
def test_signature_blocks_are_never_split(built, key):
    document, _, pdf = built[key]
    pages = [squeeze(page) for page in pdf_pages(pdf)]
    blocks = [block for block in document.blocks if isinstance(block, SignatureBlock)]
    assert blocks
    for block in blocks:
        lines = [squeeze(line) for line in (block.party, block.name, block.title) if line]
        assert any(find_in_order(page, lines) == [] for page in pages), block


def test_draft_marking_on_every_page_and_none_when_final(built):
    draft, _, pdf = built["almaty-process-8th-som", "protocol-en"]
    assert normalize(draft.page.marking) == "DRAFT · Version 0.1 · 12 October 2023"
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    assert all(squeeze(draft.page.marking) in squeeze(page) for page in pages)
    final, docx, pdf = built["minimal", "protocol-en"]
    assert final.page.marking is None
    assert not any("DRAFT" in page for page in pdf_pages(pdf))
    assert b"DRAFT" not in docx


def test_page_x_of_y_on_every_page(built):
    for (_, stem), (document, _, pdf) in built.items():
        pages = pdf_pages(pdf)
        for number, page in enumerate(pages, 1):
            assert squeeze(document.page.page_label.format(page=number, pages=len(pages))) in squeeze(page)
            if stem.endswith("-en"):
                assert f"Page {number} of {len(pages)}" in page


def test_briefing_classification_in_header_and_footer_of_every_page(built):
    document, docx, pdf = built["almaty-process-8th-som", "briefing-en"]
    assert document.page.classification == "RESTRICTED"
    for page in pdf_pages(pdf):
        assert page.count("RESTRICTED") >= 2
    import docx as python_docx

    section = python_docx.Document(io.BytesIO(docx)).sections[0]
    assert "RESTRICTED" in " ".join(p.text for p in section.header.paragraphs)
    assert "RESTRICTED" in " ".join(p.text for p in section.footer.paragraphs)


def test_signatories_sorted_by_short_name(built):
    document, docx, _ = built["almaty-process-8th-som", "protocol-en"]
    parties = [block.party for block in document.blocks if isinstance(block, SignatureBlock)]
    # Türkiye before Turkmenistan; Iran sorts as "Iran (Islamic Republic of)", Italy after it
    assert parties == ["For the Republic of Azerbaijan", "For the Islamic Republic of Iran",
                       "For the Italian Republic", "For the Republic of Kazakhstan",
                       "For the Kyrgyz Republic", "For the Islamic Republic of Pakistan",
                       "For the Republic of Tajikistan", "For the Republic of Türkiye",
                       "For Turkmenistan", "For the Republic of Uzbekistan"]
    lines = docx_lines(docx)
    assert [line for line in lines if line.startswith("For ")] == parties


def test_chair_first_order(built):
    document, _, _ = built["multiday", "protocol-en"]
    parties = [block.party for block in document.blocks if isinstance(block, SignatureBlock)]
    assert parties == ["For the Gamma Republic", "For the Republic of Türkiye", "For Turkmenistan"]


def test_un_dates_and_done_at_clause(built):
    agenda = docx_lines(built["multiday", "agenda-en"][1])
    assert "Tbilisi, 30 April – 1 May 2024" in agenda
    protocol = docx_lines(built["minimal", "protocol-en"][1])
    assert "Done at Valletta on 5 March 2024 in two originals." in protocol
    example = docx_lines(built["almaty-process-8th-som", "protocol-en"][1])
    assert "Baku, 12 October 2023" in example


def test_numbered_paragraphs(built):
    lines = docx_lines(built["multiday", "protocol-en"][1])
    numbered = [line.split(" ")[0] for line in lines if re.match(r"\d+(\.\d+)*\.? ", line)]
    assert numbered == ["1.", "1.1", "1.2", "1.2.1", "2."]


def test_markup_in_data_prints_as_written(built):
    _, docx, pdf = built["multiday", "agenda-en"]
    for text in ("Opening {% if x %} <b>not bold</b>", "Conference Hall <A> & Annex",
                 "Azərbaycan & Türkiye", "Ольга Примерова"):
        assert any(text in line for line in docx_lines(docx)), text
        assert squeeze(text) in squeeze("".join(pdf_pages(pdf))), text


def test_letter_and_a4_paper(built):
    from pypdf import PdfReader

    letter = PdfReader(io.BytesIO(built["multiday", "agenda-en"][2])).pages[0].mediabox
    a4 = PdfReader(io.BytesIO(built["minimal", "agenda-en"][2])).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_docx_has_no_schema_errors(built, tmp_path):
    from openxml_audit import OpenXmlValidator, ValidationErrorType

    validator = OpenXmlValidator()
    for meeting, name in (("almaty-process-8th-som", "protocol-en"), ("almaty-process-8th-som", "protocol-ru"),
                          ("almaty-process-8th-som", "protocol-en+ru"), ("multiday", "briefing-en")):
        path = tmp_path / f"{meeting}-{name}.docx"
        path.write_bytes(built[meeting, name][1])
        errors = [str(error) for error in validator.validate(path).errors
                  if error.error_type is ValidationErrorType.SCHEMA]
        assert errors == [], (meeting, name)


def test_large_agenda_repeats_its_header_row(tmp_path):
    source = tmp_path / "large.yaml"
    source.write_text(yaml.safe_dump(large_meeting(participants=60, items=60, paragraphs=5),
                                     allow_unicode=True), encoding="utf-8")
    assert main(["build", str(source), "--only", "agenda", "--format", "pdf",
                 "--out", str(tmp_path)]) == 0
    pages = pdf_pages((tmp_path / "large" / "agenda-en-v1.pdf").read_bytes())
    assert len(pages) >= 3
    for page in pages:
        assert "TimeItemSpeakers" in squeeze(page)


def test_own_templates_change_the_wording(tmp_path):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    protocol = templates / "protocol.xml.j2"
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("Done at", "Fait à"),
                        encoding="utf-8")
    source = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
    assert main(["build", str(source), "--only", "protocol", "--format", "docx",
                 "--templates", str(templates), "--out", str(tmp_path / "out")]) == 0
    lines = docx_lines((tmp_path / "out" / "minimal" / "protocol-en-v1.0.docx").read_bytes())
    assert any(line.startswith("Fait à Valletta on 5 March 2024") for line in lines)


def test_templates_folder_without_templates_is_refused(tmp_path, capsys):
    source = ROOT / "tests" / "cases" / "minimal" / "input.yaml"
    assert main(["build", str(source), "--templates", str(tmp_path), "--out",
                 str(tmp_path / "out")]) == 2
    assert "holds no chancery templates" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("edit, message", [
    (("{% for line in view.signatories %}", "{% for line in view.signatories %"),
     r"protocol\.xml\.j2:\d+: unexpected '<'"),
    (("{{ type }}</p>", "{{ outcome.typo }}</p>"),
     r"protocol\.xml\.j2:\d+: .*has no attribute 'typo'"),
    (("<p style=\"Title\">", "<p style=\"Title\"><q>"),
     r"protocol\.xml\.j2: the template wrote XML that does not parse"),
])
def test_broken_template_is_reported_not_raised(tmp_path, capsys, edit, message):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    protocol = templates / "protocol.xml.j2"
    text = protocol.read_text(encoding="utf-8")
    assert edit[0] in text
    protocol.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    source = ROOT / "tests" / "cases" / "multiday" / "input.yaml"
    assert main(["build", str(source), "--templates", str(templates),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


SIDE_BY_SIDE = [key for key in DOCUMENTS if key not in SINGLE]


@pytest.mark.parametrize("key", SIDE_BY_SIDE)
def test_side_by_side_pdf_columns_read_as_each_language(built, key):
    """Each column of a bilingual example reads as its language's text, in order, and paragraph
    n of each language starts on the same page."""
    from generator.document import Parallel

    document, _, pdf = built[key]
    rows = [block for block in document.blocks if isinstance(block, Parallel)]
    assert rows, "a side-by-side edition is made of parallel rows"
    columns = pdf_columns(pdf, len(rows[0].languages))
    for number, pages in enumerate(columns):
        expected = [squeeze(line) for row in rows for inner in row.cells[number].blocks
                    for line in block_lines(inner) if squeeze(line)]
        assert find_in_order("".join(squeeze(page) for page in pages), expected) == []
    previous = 0
    for row in rows:
        starts = []
        for number, pages in enumerate(columns):
            first = squeeze(block_lines(row.cells[number].blocks[0])[0])[:40]
            starts.append(next(index for index, page in enumerate(pages)
                               if index >= previous and first in squeeze(page)))
        assert len(set(starts)) == 1, (row, starts)
        previous = starts[0]


def test_author_is_the_chair_or_the_secretariat_as_the_input_says(tmp_path, capsys):
    import docx as python_docx
    from pypdf import PdfReader

    base = (ROOT / "tests" / "cases" / "minimal" / "input.yaml").read_text(encoding="utf-8")
    cases = {"": "Republic of Alpha, Chair of the Example Process",
             "issued_by: secretariat\nsecretariat: [BET]\n":
                 "Kingdom of Beta, Secretariat of the Example Process"}
    for number, (extra, author) in enumerate(cases.items()):
        source = tmp_path / f"m{number}.yaml"
        source.write_text(base + extra, encoding="utf-8")
        out = tmp_path / f"out{number}"
        assert main(["build", str(source), "--only", "agenda", "--out", str(out)]) == 0
        folder = out / "minimal"
        assert PdfReader(folder / "agenda-en-v1.pdf").metadata.author == author
        properties = python_docx.Document(str(folder / "agenda-en-v1.docx")).core_properties
        assert properties.author == author
    source = tmp_path / "bad.yaml"
    source.write_text(base + "issued_by: secretariat\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(source)]) == 2
    assert "issued_by: the documents are issued by the secretariat, but secretariat names no " \
           "participant" in capsys.readouterr().err
