"""The agenda pack and its parts alone, and the briefing pack's parts: what each holds, in which
order, and how the PDF and DOCX print it (contents, bookmarks, classification, text per part)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from generator.build import Edition, make_document
from generator.cli import main
from generator.document import Contents, ContentsEntry, Document, Heading, Paragraph, block_lines
from generator.inputs import load_meeting
from generator.templating import default_templates
from tests.readback import (find_in_order, furniture, normalize, pdf_pages, squeeze,
                            strip_furniture)

ROOT = Path(__file__).resolve().parent.parent
SOLMERA = ROOT / "inputs" / "solmera-process-3rd-ministerial.yaml"
ALMATY = ROOT / "inputs" / "almaty-process-8th-som.yaml"
MINIMAL = ROOT / "tests" / "cases" / "minimal" / "input.yaml"

PARTS = ("annotated-agenda", "participants", "logistics", "concept-note")
"""The parts of the agenda pack that are also built alone under their own name."""

HEADINGS = {
    "en": ["Provisional programme", "Annotated agenda", "List of participants", "Logistics note",
           "Concept note", "Draft outcome document"],
    "fr": ["Programme provisoire", "Ordre du jour annoté", "Liste des participants", "Note logistique",
           "Note conceptuelle", "Projet de document final"],
}
"""The level-1 headings of the fictional example's agenda pack, in order."""


@pytest.fixture(scope="module")
def solmera(tmp_path_factory):
    """Build the fictional example's agenda pack, programme and parts alone in English and
    French through the command line; return {(document, language): (model, DOCX, PDF)}."""
    out = tmp_path_factory.mktemp("out")
    names = ["agenda", "agenda-pack", *PARTS, "briefing"]
    assert main(["build", str(SOLMERA), "--only", ",".join(names), "--out", str(out)]) == 0
    loaded = load_meeting(str(SOLMERA))
    folder = out / loaded.meeting.id
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    built = {}
    for name in names:
        version = "0.2" if name == "briefing" else "1"
        for language in ("en", "fr"):
            stem = f"{name}-{language}-v{version}"
            for fmt in ("docx", "pdf"):  # the pack and its parts go by agenda_version
                entry = manifest[f"{stem}.{fmt}"]
                assert (entry["document"], entry["version"], entry["status"]) == (
                    name, version, "draft")
            built[name, language] = (
                make_document(loaded, Edition(name, (language,)), default_templates())[0],
                (folder / f"{stem}.docx").read_bytes(), (folder / f"{stem}.pdf").read_bytes())
    return built


def write_meeting(tmp_path: Path, data: dict, name: str = "meeting.yaml") -> Path:
    source = tmp_path / name
    if data.get("house_style"):  # the example's style, found from the copy's folder
        data = {**data, "house_style": str(ROOT / "inputs" / data["house_style"])}
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return source


def model(source: Path, document: str, language: str = "en") -> Document:
    return make_document(load_meeting(str(source)), Edition(document, (language,)),
                         default_templates())[0]


def text(block) -> str:
    return "".join(run.text for run in block.runs)


def level_one(document: Document) -> list[Heading]:
    return [block for block in document.blocks if isinstance(block, Heading) and block.level == 1]


def parts_of(document: Document) -> dict[str, list[str]]:
    """Return the printed lines of each part, from its level-1 heading to the next one, by the
    heading's text."""
    parts: dict[str, list[str]] = {}
    current = None
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            current = parts.setdefault(text(block), [])
        if current is not None:
            current += block_lines(block)
    return parts


def contents_entries(document: Document):
    return [entry for block in document.blocks if isinstance(block, Contents)
            for entry in block.entries]


# --- what the pack holds ---------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fr"])
def test_pack_has_every_part_in_order_each_under_its_heading_from_a_new_page(solmera, language):
    document = solmera["agenda-pack", language][0]
    headings = level_one(document)
    assert [text(heading) for heading in headings][:6] == HEADINGS[language]  # annexes follow
    assert all(heading.page_break for heading in headings)
    cover = document.blocks[:document.blocks.index(headings[0])]
    assert any(isinstance(block, Contents) for block in cover)
    assert [text(block) for block in cover if isinstance(block, Paragraph)
            and block.style == "Cover Title"] == [{"en": "3rd Ministerial Conference",
                                                   "fr": "3e Conférence ministérielle"}[language]]
    assert [text(block) for block in cover if isinstance(block, Paragraph)
            and block.style == "Subtitle"] == [{"en": "Agenda pack",
                                                "fr": "Dossier de réunion"}[language]]
    invitation = [text(block) for block in cover if isinstance(block, Paragraph)
                  and block.style == "Body"]
    assert len(invitation) == 2 and "Port-Aurèle" in invitation[0]


def test_pack_parts_hold_what_the_input_says(solmera):
    parts = parts_of(solmera["agenda-pack", "en"][0])
    annotated = parts["Annotated agenda"]
    assert "Lunch hosted by the Chair" not in annotated  # breaks are not agenda items
    review = annotated.index("Item 5: Review of the Port-Aurèle Action Plan 2027–2029")
    assert annotated[review + 1:review + 11] == [
        "1\xa0December 2026, 09:30–11:00",
        "Presentation of the draft by the Secretariat, followed by a discussion.",
        "Background",
        "Senior officials agreed the draft Action Plan ad referendum on 16\xa0November 2026.",
        "The Plan rests on four pillars: legal migration and mobility; prevention of irregular "
        "migration; return and reintegration; international protection and asylum.",
        "Documents", "Draft Port-Aurèle Action Plan 2027–2029",
        "Expected action",
        "The Conference is invited to endorse the draft Action Plan, for adoption together with "
        "the Joint Ministerial Declaration.",
        "Item 6: Adoption and signature of the Joint Ministerial Declaration"]
    logistics = parts["Logistics note"]
    assert logistics[:4] == ["Logistics note", "Venue", "Riverside Congress Centre",
                             "12 Quai des Tanneurs, Port-Aurèle, Valmeria"]
    assert [line for line in logistics if line in ("Registration", "Transport", "Accommodation",
                                                   "Contacts", "Time zone")] == [
        "Registration", "Transport", "Accommodation", "Contacts", "Time zone"]
    assert "E-mail: solmera@ibmd.example" in logistics
    assert "Telephone: +999 21 555 01 30" in logistics
    outcome = parts["Draft outcome document"]
    assert outcome[1:3] == ["DRAFT · Version 0.3 · 16\xa0November 2026",
                            "Joint Ministerial Declaration"]
    assert any(line.startswith("1. Adopt the Port-Aurèle Action Plan") for line in outcome)
    assert any(line.startswith("4.2 to prepare the 4th Ministerial Conference") for line in outcome)
    assert not any(line.startswith(("Done at", "For ")) for line in outcome)


def test_pack_lacks_the_parts_the_input_lacks(tmp_path, capsys):
    data = yaml.safe_load(SOLMERA.read_text(encoding="utf-8"))
    for session in data["agenda"]:
        for item in session["items"]:
            for field in ("background", "expected_action", "documents"):
                item.pop(field, None)
    data["agenda_pack"] = {"invitation": "Welcome."}
    source = write_meeting(tmp_path, data)
    assert [text(heading) for heading in level_one(model(source, "agenda-pack"))] == [
        "Provisional programme", "List of participants"]
    data["agenda_pack"] = {"concept_note": "Why we meet.", "include_draft_outcome": True}
    source = write_meeting(tmp_path, data)
    assert [text(heading) for heading in level_one(model(source, "agenda-pack"))] == [
        "Provisional programme", "List of participants", "Concept note",
        "Draft outcome document"]
    out = tmp_path / "out"
    capsys.readouterr()
    assert main(["build", str(source), "--only", "annotated-agenda,logistics", "--out",
                 str(out)]) == 2
    err = capsys.readouterr().err
    assert ("no agenda item has a background, documents or an expected_action, so no "
            "annotated-agenda can be built; give an item one of them or leave the document out"
            ) in err
    assert ("there is no 'logistics' section in 'agenda_pack', so no logistics can be built; "
            "add one or leave the document out") in err
    assert not out.exists()


def test_pack_is_built_by_default_only_with_an_agenda_pack_section(tmp_path, capsys):
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    out = tmp_path / "out"
    assert main(["build", str(write_meeting(tmp_path, data)), "--format", "pdf",
                 "--out", str(out)]) == 0
    assert sorted(path.name for path in (out / "minimal").iterdir()) == [
        "agenda-en-v1.pdf", "manifest.json", "protocol-en-v1.0.pdf"]
    data["agenda_pack"] = {"concept_note": "Why we meet."}
    assert main(["build", str(write_meeting(tmp_path, data)), "--format", "pdf",
                 "--out", str(out)]) == 0
    assert "agenda-pack-en-v1.pdf" in {path.name for path in (out / "minimal").iterdir()}
    # without the section, the pack is still made on request: programme and participants
    assert main(["build", str(ALMATY), "--only", "agenda-pack", "--lang", "en", "--format", "pdf",
                 "--out", str(out)]) == 0
    assert (out / "almaty-process-8th-som" / "agenda-pack-en-v1.pdf").is_file()


# --- each part alone --------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_part_alone_is_the_pack_s_part(solmera, language):
    pack = parts_of(solmera["agenda-pack", language][0])
    for name in PARTS:
        alone = solmera[name, language][0]
        assert len(level_one(alone)) == 1 and not level_one(alone)[0].page_break
        assert list(parts_of(alone).items()) == [
            (text(level_one(alone)[0]), pack[text(level_one(alone)[0])])], name
        assert alone.name == name and alone.metadata.title.endswith(
            solmera["agenda-pack", language][0].metadata.subject)
    agenda = solmera["agenda", language][0]
    lines = [line for block in agenda.blocks for line in block_lines(block)]
    programme = HEADINGS[language][0]
    assert lines[lines.index(programme):] == pack[programme]


# --- the PDF: contents, bookmarks, text per part ---------------------------------------------

def printed_contents(data: bytes, count: int) -> tuple[list[int], int]:
    """Return the page numbers printed at the right of the first count contents lines, in
    order, and the index of the last page that prints one."""
    from pypdf import PdfReader

    numbers, last = [], 0
    for index, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        width, found = float(page.mediabox.width), []

        def visit(text, matrix, text_matrix, font, size):
            x = text_matrix[4] * matrix[0] + matrix[4]
            y = text_matrix[5] * matrix[3] + matrix[5]
            if text.strip().isdigit() and x > width / 2:
                found.append((-y, int(text)))

        page.extract_text(visitor_text=visit)
        if found:
            numbers += [number for _, number in sorted(found)]
            last = index
        if len(numbers) >= count:
            return numbers[:count], last
    return numbers, last


def heading_pages(document: Document, pages: list[str], headings: list[Heading | str],
                  first: int) -> list[int]:
    """Return the page (1 is the first) where each heading's text is, looking for them in order
    from the page index first on: a heading that starts a page is the first text of the page's
    body (an agenda item's title may stand in a programme table before its brief's page)."""
    result, page = [], first
    for heading in headings:
        needle = squeeze(heading.text if isinstance(heading, ContentsEntry) else text(heading))[:40]
        at_top = isinstance(heading, Heading) and heading.page_break or isinstance(
            heading, ContentsEntry) and heading.anchor in breaks(document)
        while True:
            assert page < len(pages), f"{needle!r} is on no page after the contents"
            body = strip_furniture(squeeze(pages[page]), furniture(document, page + 1, len(pages)),
                                   [])
            if body.startswith(needle) if at_top else needle in body:
                break
            page += 1
        result.append(page + 1)
    return result


def breaks(document: Document) -> set[str]:
    """Return the anchors of the headings that start a new page."""
    return {block.anchor for block in document.blocks
            if isinstance(block, Heading) and block.page_break}


@pytest.mark.parametrize("document", ["agenda-pack", "briefing"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_contents_page_numbers_are_the_pages_of_the_headings(solmera, document, language):
    model_document, _, pdf = solmera[document, language]
    entries = contents_entries(model_document)
    assert [entry.level for entry in entries].count(1) >= 6
    printed, last = printed_contents(pdf, len(entries))
    assert len(printed) == len(entries)
    assert printed == heading_pages(model_document, pdf_pages(pdf), entries, last + 1)
    assert printed == sorted(printed)


@pytest.mark.parametrize("document", ["agenda-pack", "briefing"])
def test_bookmarks_are_the_contents(solmera, document):
    from pypdf import PdfReader

    model_document, _, pdf = solmera[document, "fr"]
    reader = PdfReader(io.BytesIO(pdf))

    def flat(items, level=1):
        result = []
        for item in items:
            if isinstance(item, list):
                result += flat(item, level + 1)
            else:
                result.append((item.title, level, reader.get_destination_page_number(item) + 1))
        return result

    entries = contents_entries(model_document)
    outline = flat(reader.outline)
    assert [(title, level) for title, level, _ in outline] == [
        (entry.text, entry.level) for entry in entries]
    assert [page for _, _, page in outline] == printed_contents(pdf, len(entries))[0]


def docx_parts(data: bytes) -> dict[str, list[str]]:
    """Return the text of the DOCX's paragraphs, table cells included, from each paragraph in
    the "Heading 1" style to the next, by the heading's text."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    parts: dict[str, list[str]] = {}
    current: list[str] | None = None

    def walk(container) -> None:
        nonlocal current
        for block in container.iter_inner_content():
            if isinstance(block, DocxParagraph):
                if block.style.name == "Heading 1":
                    current = parts.setdefault(normalize(block.text), [])
                if current is not None and normalize(block.text):
                    current.append(normalize(block.text))
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)

    walk(docx.Document(io.BytesIO(data)))
    return parts


@pytest.mark.parametrize("document", ["agenda-pack", "briefing", *PARTS])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_docx_and_pdf_print_each_part_as_the_model(solmera, document, language):
    model_document, docx, pdf = solmera[document, language]
    parts = parts_of(model_document)
    assert parts
    assert docx_parts(docx) == {normalize(heading): [normalize(line) for line in lines
                                                     if normalize(line)]
                                for heading, lines in parts.items()}
    pages = pdf_pages(pdf)
    headings = level_one(model_document)
    first = printed_contents(pdf, len(contents_entries(model_document)))[1] + 1 \
        if contents_entries(model_document) else 0
    starts = heading_pages(model_document, pages, headings, first)  # each from a new page
    for number, (heading, lines) in enumerate(parts.items()):
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(pages)
        body = "".join(squeeze(page) for page in pages[starts[number] - 1:end])
        lines = [squeeze(line) for line in lines if squeeze(line)]
        assert find_in_order(body, lines) == [], heading


# --- the briefing pack ------------------------------------------------------------------------

def test_briefing_pack_parts_in_order(solmera):
    document = solmera["briefing", "en"][0]
    headings = [text(heading) for heading in level_one(document)]
    briefs = [f"Item {number}: {title}" for number, title in enumerate(
        [item.title["en"] for session in load_meeting(str(SOLMERA)).meeting.agenda
         for item in session.items if item.kind.value != "break"], start=1)]
    assert headings[:2 + len(briefs) + 5] == [
        "Steering brief", "Annotated programme", *briefs,
        "Draft outcome document", "List of participants", "Personality notes",
        "Participant notes", "Logistics note"]  # annexes follow
    assert all(heading.page_break for heading in level_one(document))  # each brief too
    parts = parts_of(document)
    steering = parts["Steering brief"]
    assert [line for line in steering if line in ("Objectives", "Key messages", "Handling",
                                                  "Press line")] == [
        "Objectives", "Key messages", "Handling", "Press line"]
    programme = parts["Annotated programme"]
    assert programme[1:6] == ["30\xa0November 2026", "Time", "Item", "Speakers", "Role"]
    assert programme.index("1. Opening of the Conference") < programme.index(
        "Opens the Conference and welcomes delegations")
    assert "Role: Opens the Conference and welcomes delegations" in parts[
        "Item 1: Opening of the Conference"]
    assert parts["Participant notes"][1::2] == ["Corvain Islands", "Estmark", "Oleandra", "IBMD"]
    assert parts["Logistics note"] == parts_of(solmera["logistics", "en"][0])["Logistics note"]


@pytest.mark.parametrize("language, classification", [("en", "RESTRICTED"),
                                                      ("fr", "DIFFUSION RESTREINTE")])
def test_briefing_pack_classification_on_cover_and_every_page(solmera, language, classification):
    import docx as python_docx

    document, docx, pdf = solmera["briefing", language]
    assert document.page.classification == classification
    assert [text(block) for block in document.blocks[:8]].count(classification) == 1  # on the cover
    pages = pdf_pages(pdf)
    assert len(pages) > 10
    assert squeeze(pages[0]).count(squeeze(classification)) == 3  # top, bottom, and on the cover
    for page in pages[1:]:
        assert squeeze(page).count(squeeze(classification)) >= 2
    section = python_docx.Document(io.BytesIO(docx)).sections[0]
    assert classification in " ".join(p.text for p in section.header.paragraphs)
    assert classification in " ".join(p.text for p in section.footer.paragraphs)


# --- the list of participants -------------------------------------------------------------------

@pytest.mark.parametrize("language, delegations", [
    ("en", ["Corvain Islands", "Estmark", "Moraçan", "Oleandra", "Saint Ottilie", "Upper Vessane",
            "Valmeria", "IBMD"]),
    ("fr", ["Haute-Vessane", "Îles Corvaines", "Marche de l’Est", "Moraçan", "Oléandre",
            "Sainte-Ottilie", "Valmérie", "BIDM"]),
])
def test_participants_by_delegation_collated_heads_first(solmera, language, delegations):
    from generator.wording import upper

    document = solmera["participants", language][0]
    names = [text(block) for block in document.blocks if isinstance(block, Paragraph)
             and block.level == 0 and block.runs and block.runs[0].bold]
    assert names == [upper(name, language) for name in delegations]  # each under its name
    lines = parts_of(document)[HEADINGS[language][2]]
    head = "(head of delegation)" if language == "en" else "(chef de délégation)"
    heads = [line for line in lines if line.endswith(head)]
    # the head comes first, with the courtesy title the data gives in the language
    lacrosse = next(line for line in heads if "Lacrosse" in line)
    assert lacrosse == {"en": "H.E. Mr. Édouard Lacrosse, Minister of the Interior and Migration "
                              f"{head}",
                        "fr": "S.E. M. Édouard Lacrosse, Ministre de l’Intérieur et des Migrations "
                              f"{head}"}[language]
    valmeria = lines.index(upper(delegations[-2], language))
    assert lines[valmeria + 2] == lacrosse and lines[valmeria + 3].startswith(
        {"en": "Ms. Maëlle Corbière", "fr": "Mme Maëlle Corbière"}[language])


def test_head_of_delegation_is_listed_first_whatever_the_input_order(tmp_path):
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["participants"][1]["delegation"] = [
        {"name": "Zoe Adviser", "title": "Adviser"},
        {"id": "ben", "name": "Ben Sample", "title": "Deputy Minister", "head": True}]
    data["participants"].append({"id": "ORG", "kind": "organization", "short_name": "Aardvark Org",
                                 "formal_name": "Aardvark Organization"})
    lines = parts_of(model(write_meeting(tmp_path, data), "participants"))["List of participants"]
    assert lines[1:] == ["ALPHA", "Ana Example, Minister of the Interior",
                         "BETA", "Ben Sample, Deputy Minister (head of delegation)",
                         "Zoe Adviser, Adviser", "AARDVARK ORG", "(to be confirmed)"]
    data["unnamed_delegations"] = "left out"
    lines = parts_of(model(write_meeting(tmp_path, data), "participants"))["List of participants"]
    assert lines[1:] == ["ALPHA", "Ana Example, Minister of the Interior",
                         "BETA", "Ben Sample, Deputy Minister (head of delegation)",
                         "Zoe Adviser, Adviser"]


# --- the logistics note's time zone ------------------------------------------------------------

@pytest.mark.parametrize("zone, day, language, line", [
    ("Asia/Baku", "2024-03-05", "en", "Port-Aurèle time (UTC+04:00)"),
    ("Asia/Baku", "2024-03-05", "ru", "местное время (Порт-Орель, UTC+04:00)"),
    ("Europe/Paris", "2024-03-05", "fr", "heure de Port-Aurèle (UTC+01:00)"),
    ("Europe/Paris", "2024-07-05", "en", "Port-Aurèle time (UTC+02:00)"),  # summer time that day
    ("America/New_York", "2024-03-05", "en", "Port-Aurèle time (UTC-05:00)"),
    ("Asia/Kolkata", "2024-03-05", "en", "Port-Aurèle time (UTC+05:30)"),
    ("Etc/GMT-4", "2024-03-05", "en", "Port-Aurèle time (UTC+04:00)"),
])
def test_time_zone_line_gives_the_offset_on_the_meeting_s_day(tmp_path, zone, day, language, line):
    """The zone is named after the meeting's city, never after the zone's own (Paris)."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data |= {"date": day, "languages": ["en", "ru", "fr"],
             "city": {"en": "Port-Aurèle", "ru": "Порт-Орель", "fr": "Port-Aurèle"},
             "agenda_pack": {"logistics": {"time_zone": zone}}}
    lines = parts_of(model(write_meeting(tmp_path, data), "logistics", language))
    (heading, printed), = lines.items()
    assert printed[-1] == line


def test_bad_time_zone_and_other_pack_problems_are_reported(tmp_path, capsys):
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["agenda_pack"] = {"logistics": {
        "time_zone": "Asia/Bakuu", "contacts": [{"name": "Desk", "email": "desk-at-example"}]}}
    source = write_meeting(tmp_path, data)
    assert main(["validate", str(source)]) == 2
    err = capsys.readouterr().err
    assert ("agenda_pack.logistics.time_zone: 'Asia/Bakuu' is not a time zone: write its IANA "
            "name, such as Asia/Baku or Europe/Paris; did you mean 'Asia/Baku'?") in err
    assert ("agenda_pack.logistics.contacts[0].email: 'desk-at-example' is not an e-mail "
            "address") in err
    data["agenda_pack"] = {"logistics": {}, "include_draft_outcome": True}
    data.pop("outcome")
    data["briefing"] = {"participant_notes": [{"participant": "BET", "note": "A."},
                                              {"participant": "BET", "note": "B."},
                                              {"participant": "GAM", "note": "C."}]}
    assert main(["validate", str(write_meeting(tmp_path, data))]) == 2
    err = capsys.readouterr().err
    assert "agenda_pack.logistics: give at least one of venue_address, registration" in err
    assert main(["validate", str(write_meeting(tmp_path, data | {"agenda_pack": {
        "include_draft_outcome": True}}))]) == 2
    err = capsys.readouterr().err
    assert ("agenda_pack.include_draft_outcome: there is no 'outcome' section to include; add one "
            "or set this to false") in err
    assert "briefing.participant_notes[1].participant: 'BET' has a note already" in err
    assert ("briefing.participant_notes[2].participant: there is no participant with the id "
            "'GAM'") in err


# --- other languages ----------------------------------------------------------------------------

def test_russian_pack_of_the_almaty_example_and_french_pack_build_without_missing_texts(
        tmp_path, capsys, solmera):
    out = tmp_path / "out"
    assert main(["build", str(ALMATY), "--only", "agenda-pack", "--lang", "ru",
                 "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    document = model(ALMATY, "agenda-pack", "ru")
    assert [text(heading) for heading in level_one(document)] == [
        "Предварительная программа", "Аннотированная повестка дня", "Список участников"]
    lines = parts_of(document)["Аннотированная повестка дня"]
    assert lines[lines.index("Пункт 7: Подписание Итогового протокола") + 1:][:2] == [
        "Ожидаемые действия", "Государствам-участникам предлагается подписать Итоговый протокол, "
        "выразив согласие с направлениями и приоритетами, определёнными Азербайджанской "
        "Республикой в качестве Председателя Алматинского процесса на 2023–2024 годы."]
    pdf = (out / "almaty-process-8th-som" / "agenda-pack-ru-v1.pdf").read_bytes()
    assert "Пакет документов" in pdf_pages(pdf)[0]
    french = solmera["agenda-pack", "fr"]
    assert "Fuseau horaire" in parts_of(french[0])["Note logistique"]
    assert "heure de Port-Aurèle (UTC+01:00)" in parts_of(french[0])["Note logistique"]
    assert squeeze("Dossier de réunion") in squeeze(pdf_pages(french[2])[0])
