"""Outcome documents as meetings adopt them: several texts, their structure, every way of
adopting in English, Russian and French, who joined, chairs, honest gaps and their problems."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from docx.oxml.ns import qn

from generator.build import Edition, make_document
from generator.cli import main
from generator.document import Parallel, document_lines
from generator.inputs import load_meeting
from generator.templating import default_templates
from tests.readback import docx_lines, normalize, pdf_pages

ROOT = Path(__file__).resolve().parent.parent


def copy_styles(folder: Path) -> None:
    """Copy the examples' house styles beside a copy of an example, which names one."""
    import shutil

    shutil.copytree(ROOT / "inputs" / "styles", folder / "styles", dirs_exist_ok=True)
EXAMPLE = ROOT / "inputs" / "solmera-process-4th-ministerial.yaml"

BASE = {
    "id": "trio", "process": {"en": "Example Process", "ru": "Примерный процесс",
                              "fr": "Processus exemple"},
    "ordinal": {"en": "2nd", "ru": "2-я", "fr": "2e"},
    "meeting_type": {"en": "Ministerial Conference", "ru": "министерская конференция",
                     "fr": "Conférence ministérielle"},
    "title": {"en": "2nd Ministerial Conference", "ru": "2-я министерская конференция",
              "fr": "2e Conférence ministérielle"},
    "date": "2023-10-12", "city": {"en": "Baku", "ru": "Баку", "fr": "Bakou"},
    "country": {"en": "Azerbaijan", "ru": "Азербайджан", "fr": "Azerbaïdjan"},
    "chair": "ALP", "languages": ["en", "ru", "fr"],
    "participants": [
        {"id": "ALP", "short_name": {"en": "Alpha", "ru": "Альфа", "fr": "Alpha"},
         "formal_name": {"en": "Republic of Alpha", "ru": "Республика Альфа",
                         "fr": "République d’Alpha"},
         "signs_as": {"ru": "Республику Альфа", "fr": "la République d’Alpha"}},
        {"id": "BET", "short_name": {"en": "Beta", "ru": "Бета", "fr": "Bêta"},
         "formal_name": {"en": "Kingdom of Beta", "ru": "Королевство Бета",
                         "fr": "Royaume de Bêta"},
         "signs_as": {"ru": "Королевство Бета", "fr": "le Royaume de Bêta"}},
        {"id": "ORG", "kind": "organization", "short_name": "IOX",
         "formal_name": {"en": "International Office X", "ru": "Международное бюро X",
                         "fr": "Bureau international X"}},
    ],
    "agenda": [{"title": {"en": "Plenary", "ru": "Пленарное заседание", "fr": "Plénière"},
                "items": [{"title": {"en": "Opening", "ru": "Открытие", "fr": "Ouverture"}}]}],
    "outcome": {"adoption": "adopted", "status": "draft", "version": "0.1",
                "paragraphs": [{"text": {"en": "Agree.", "ru": "Согласны.", "fr": "Convenons."}}],
                "done_at": {"languages": ["en"]}},
}


def meeting(**outcome) -> dict:
    """Return the base meeting with the outcome's fields replaced."""
    data = json.loads(json.dumps(BASE))
    data["outcome"].update(outcome)
    return data


def lines(tmp_path: Path, data: dict, language: str, document: str = "protocol") -> list[str]:
    """Return the printed lines of one edition of the meeting, whitespace normalized."""
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    built, _ = make_document(load_meeting(str(source)), Edition(document, (language,)),
                             default_templates())
    return [normalize(line) for line in document_lines(built)]


FORMULAS = {
    # (adoption, status extra) -> the clause in en, ru, fr
    "adopted": ("Adopted at Baku on 12 October 2023.",
                "Принято в городе Баку 12 октября 2023 года.",
                "Adopté à Bakou, le 12 octobre 2023."),
    "endorsed": ("Endorsed at Baku on 12 October 2023.",
                 "Одобрено в городе Баку 12 октября 2023 года.",
                 "Approuvé à Bakou, le 12 octobre 2023."),
    "signed": ("Done at Baku on 12 October 2023 in [...] originals in the English language.",
               "Совершено в городе Баку 12 октября 2023 года в [...] экземплярах, каждый на "
               "английском языке.",
               "Fait à Bakou, le 12 octobre 2023, en [...] exemplaires originaux, chacun en "
               "langue anglaise."),
}


@pytest.mark.parametrize("language", ["en", "ru", "fr"])
@pytest.mark.parametrize("adoption", list(FORMULAS))
def test_each_way_of_adopting_prints_its_formula(tmp_path, adoption, language):
    printed = lines(tmp_path, meeting(adoption=adoption), language)
    expected = FORMULAS[adoption][["en", "ru", "fr"].index(language)]
    if adoption == "signed":  # a draft without the number of originals: a placeholder
        expected = expected.replace(" in the English language", ", each in the English language")
    assert expected in printed, printed
    others = [FORMULAS[other][["en", "ru", "fr"].index(language)][:6] for other in FORMULAS
              if other != adoption]
    assert not [line for line in printed if line.startswith(tuple(others))]


CHAIR = {
    "en": ("Chair’s Summary", "Issued under the responsibility of the Chair (Alpha). This summary "
           "was neither negotiated nor adopted by the participants."),
    "ru": ("Резюме Председателя", "Публикуется под ответственность Председателя (Альфа). "
           "Настоящее резюме не согласовывалось и не принималось участниками."),
    "fr": ("Résumé de la présidence", "Publié sous la responsabilité de la présidence (Alpha). "
           "Le présent résumé n’a été ni négocié ni adopté par les participants."),
}


@pytest.mark.parametrize("language", ["en", "ru", "fr"])
def test_chairs_summary_is_titled_so_and_claims_no_adoption(tmp_path, language):
    printed = lines(tmp_path, meeting(adoption="chair", done_at={"depositary": "X"}), language)
    title, responsibility = CHAIR[language]
    assert title in printed and responsibility in printed
    assert not [line for line in printed
                if line.startswith(("Done at", "Adopted", "Совершено", "Принято", "Fait à",
                                    "Adopté", "The original", "Подлинник", "L’original"))]


JOINED = {
    "en": ("The following participating States did not join the adoption of this text: Beta.",
           "The following participants joined the adoption of this text: Alpha and IOX.",
           "Beta, reservation: Not on paragraph 1.",
           "The originals shall be deposited with the Secretariat."),
    "ru": ("К принятию настоящего текста не присоединились следующие государства-участники: Бета.",
           "К принятию настоящего текста присоединились следующие участники: IOX и Альфа.",
           "Бета, оговорка: Не по пункту 1.",
           "Подлинники сдаются на хранение Секретариату."),
    "fr": ("Les États participants suivants ne se sont pas associés à l’adoption du présent "
           "texte : Bêta.",
           "Les participants suivants se sont associés à l’adoption du présent texte : Alpha et "
           "IOX.",
           "Bêta, réserve : Pas sur le paragraphe 1.",
           "Les originaux sont déposés auprès du Secrétariat."),
}


@pytest.mark.parametrize("language", ["en", "ru", "fr"])
def test_who_did_not_join_and_reservations_are_printed(tmp_path, language):
    data = meeting(joined=["ALP", "ORG"], not_joined=["BET"], statements=[
        {"party": "BET", "text": {"en": "Not on paragraph 1.", "ru": "Не по пункту 1.",
                                  "fr": "Pas sur le paragraphe 1."}}],
        done_at={"languages": ["en"], "depositary": {
            "en": "the Secretariat", "ru": "Секретариату", "fr": "du Secrétariat"}})
    printed = lines(tmp_path, data, language)
    for line in JOINED[language]:
        assert line.replace(" :", "\u00a0:").replace("\u00a0", " ") in printed, (line, printed)


def test_a_signed_text_leaves_out_the_signature_of_who_did_not_join(tmp_path):
    printed = lines(tmp_path, meeting(adoption="signed", not_joined=["BET"]), "en")
    assert "For the Republic of Alpha" in printed
    assert "For the Kingdom of Beta" not in printed
    assert "The following participating States did not sign this text: Beta." in printed


@pytest.mark.parametrize("language, placeholder", [("en", "[date]"), ("ru", "[дата]"),
                                                   ("fr", "[date]")])
def test_a_draft_of_several_days_shows_a_date_placeholder(tmp_path, language, placeholder):
    data = meeting()
    data["end_date"] = "2023-10-13"
    printed = lines(tmp_path, data, language)
    assert any(placeholder in line for line in printed if line.startswith(("Adopted", "Принято",
                                                                           "Adopté")))
    assert not any("12 " in line for line in printed if line.startswith(("Adopted", "Принято",
                                                                         "Adopté")))


def test_co_chairs_print_in_the_title_block_and_the_author(tmp_path):
    data = meeting(adoption="chair")
    del data["chair"]
    data["co_chairs"] = ["BET", "ALP"]
    printed = lines(tmp_path, data, "en")
    assert "under the co-chairmanship of Beta and Alpha" in printed
    assert ("Issued under the responsibility of the Co-Chairs (Beta and Alpha). This summary was "
            "neither negotiated nor adopted by the participants.") in printed
    assert lines(tmp_path, data, "ru")[3] == "Сопредседатели: Бета и Альфа"


def test_no_ordinal_reads_naturally(tmp_path):
    data = meeting()
    del data["ordinal"]
    assert lines(tmp_path, data, "ru")[1] == "Министерская конференция"
    assert lines(tmp_path, data, "en")[1] == "Ministerial Conference"


def test_structure_numbers_letters_and_roman_numerals(tmp_path):
    data = meeting(preamble=[{"opening": {"en": "Recalling", "ru": "Ссылаясь на",
                                          "fr": "Rappelant"},
                              "text": {"en": "the past,", "ru": "прошлое,", "fr": "le passé,"}}],
                   paragraphs=[
                       {"text": "A", "enumeration": ["a1", {"text": "a2", "enumeration": [
                           "r1", "r2"]}, "a3"]},
                       {"text": "B", "numbered": False, "enumeration": ["b1"]},
                       {"text": "C", "paragraphs": [{"text": "C1"}], "enumeration": ["c1"]}],
                   sections=[{"title": "Domain", "paragraphs": [{"text": "D"}],
                              "table": {"columns": ["Action", "Lead"], "rows": [["x", ""]]}}])
    printed = lines(tmp_path, data, "en")
    start = printed.index("1. A")
    assert printed[start:start + 12] == [
        "1. A", "(a) a1", "(b) a2", "(i) r1", "(ii) r2", "(c) a3", "B", "(a) b1", "2. C",
        "(a) c1", "2.1 C1", "Domain"]
    assert printed[start + 12:start + 16] == ["3. D", "Action", "Lead", "x"]
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    built, _ = make_document(load_meeting(str(source)), Edition("protocol", ("fr",)),
                             default_templates())
    preamble = next(block for block in built.blocks if getattr(block, "style", "") == "Preamble")
    assert [(run.text, run.italic) for run in preamble.runs] == [("Rappelant", True),
                                                                 (" le passé,", False)]


def test_unofficial_summary_is_marked_on_every_page(tmp_path):
    data = meeting(text_status="unofficial summary", status="final",
                   paragraphs=[{"text": {"en": f"Paragraph {n} " + "text " * 80,
                                         "ru": "Пункт", "fr": "Paragraphe"}} for n in range(25)])
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--only", "protocol", "--lang", "en", "--format", "pdf",
                 "--pdfa", "none", "--out", str(out)]) == 0
    pages = pdf_pages((out / "trio" / "protocol-en-v0.1.pdf").read_bytes())
    assert len(pages) >= 3
    for page in pages:
        assert "Unofficial summary: not the adopted text" in normalize(page)
    assert "This is an unofficial summary of the text adopted, not the adopted text." in (
        normalize(pages[0]))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """Return the archive folder of the 4th Solmera example built in DOCX and PDF."""
    out = tmp_path_factory.mktemp("example")
    assert main(["build", str(EXAMPLE), "--only", "protocol", "--lang", "en,fr", "--pdfa",
                 "none", "--out", str(out)]) == 0
    return out / "solmera-process-4th-ministerial"


def test_each_outcome_is_a_document_of_its_own(example):
    manifest = json.loads((example / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"] if isinstance(manifest, dict) and "files" in manifest else manifest
    names = sorted({entry["document"] for entry in (files.values() if isinstance(files, dict)
                                                    else files)})
    assert names == ["action-plan", "chair-summary", "declaration"]
    assert (example / "declaration-fr-v1.0.pdf").is_file()
    assert (example / "chair-summary-en-v1.0.docx").is_file()


def test_example_reads_back_in_docx_and_pdf(example):
    import docx

    data = (example / "declaration-en-v1.0.docx").read_bytes()
    text = docx_lines(data)
    assert "(a)\texpanding legal pathways for labour migration;".replace("\t", " ") in text
    assert "(i) sharing information on smuggling routes;" in text
    body = docx.Document(io.BytesIO(data)).element.body
    italic = [run.findtext(qn("w:t")) for run in body.iter(qn("w:r"))
              if run.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None]
    assert "Recalling" in italic and "Welcoming" in italic
    raised = [run.findtext(qn("w:t")) for run in body.iter(qn("w:r"))
              if run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}") is not None]
    assert raised.count("1") >= 2  # Eastreach's mark, in the text and in the list, and the note
    assert any(line.startswith("1 References to Eastreach") for line in text)
    pdf = " ".join(normalize(page) for page in
                   pdf_pages((example / "declaration-fr-v1.0.pdf").read_bytes()))
    assert "Adopté à Lumenport, le 17 mai 2028." in pdf
    assert "ne se sont pas associés à l’adoption du présent texte : Marche de l’Est et Saint" in pdf
    assert "Annexe I" in pdf and "12 États et 3 organisations ont pris part à la réunion." in pdf
    plan = docx_lines((example / "action-plan-en-v1.0.docx").read_bytes())
    assert plan[plan.index("Action"):plan.index("Action") + 3] == ["Action", "Lead", "Timeline"]
    assert "Endorsed at Lumenport on 17 May 2028." in plan


def test_only_names_an_outcome_and_refuses_what_is_no_document(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(EXAMPLE), "--only", "chair-summary", "--lang", "en", "--format",
                 "docx", "--out", str(out)]) == 0
    built = sorted(path.name for path in (out / "solmera-process-4th-ministerial").iterdir())
    assert built == ["chair-summary-en-v1.0.docx", "manifest.json"]
    capsys.readouterr()
    assert main(["build", str(EXAMPLE), "--only", "declaraton", "--out", str(tmp_path / "o2")]) == 2
    err = capsys.readouterr().err
    assert re.search(r"solmera-process-4th-ministerial\.yaml:\d+:\d+: outcomes: --only names "
                     r"'declaraton', which is no document of this meeting; choose from .*"
                     r"declaration, action-plan, chair-summary", err), err
    assert not (tmp_path / "o2").exists()


def test_example_builds_and_validates_with_no_warning(tmp_path, capsys):
    assert main(["validate", str(EXAMPLE)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == f"{EXAMPLE}: valid\n"


# Input problems: (name, edit of the minimal case, marker on the expected line, field, message)
MINIMAL = (ROOT / "tests" / "cases" / "minimal" / "input.yaml").read_text(encoding="utf-8")
SEVERAL = MINIMAL.replace("outcome:\n  type: Joint Communiqué", "outcomes:\n  - id: communique\n"
                          "    type: Joint Communiqué").replace(
    "  adoption: signed\n  status: final\n  version: \"1.0\"\n  paragraphs:\n"
    "    - text: Agree to meet again in 2025.\n  done_at:\n    originals: 2",
    "    adoption: signed\n    status: final\n    version: \"1.0\"\n    paragraphs:\n"
    "      - text: Agree to meet again in 2025.\n    done_at:\n      originals: 2\n"
    "  - id: summary\n    adoption: chair\n    paragraphs:\n      - text: Met.")

PROBLEMS = [
    ("chair given a list", MINIMAL, ("chair: ALP", "chair: [ALP, BET]"), "chair: [ALP",
     r"chair: takes one participant; for several write co_chairs: \[ALP, BET\]"),
    ("item chair given a list", MINIMAL, ("chair: ana", "chair: [ana, ben]"), "chair: [ana",
     r"agenda\[0\]\.items\[1\]\.chair: takes one delegation member; for several write chairs: "
     r"\[ana, ben\]"),
    ("chair and co-chairs", MINIMAL, ("chair: ALP", "chair: ALP\nco_chairs: [ALP, BET]"),
     "co_chairs:", r"co_chairs: give either chair \(one participant\) or co_chairs"),
    ("no chair", MINIMAL, ("chair: ALP\n", ""), "id: minimal",
     r"chair: give the participant that chairs \(chair: AZE\), or those that chair together"),
    ("co-chair unknown", MINIMAL, ("chair: ALP", "co_chairs: [ALP, BTE]"), "co_chairs:",
     r"co_chairs\[1\]: there is no participant with the id 'BTE'; did you mean 'BET'\?"),
    ("presiding unknown", MINIMAL, ("  - title: Plenary", "  - title: Plenary\n    presiding: bob"),
     "presiding: bob", r"agenda\[0\]\.presiding: there is no delegation member with the id 'bob'"),
    ("outcome and outcomes", MINIMAL, ("outcome:", "outcomes:\n  - id: x\n    paragraphs:\n"
                                                   "      - text: A.\noutcome:"), "- id: x",
     r"outcomes: give either outcome \(one document\) or outcomes \(several\), not both"),
    ("outcome without id", SEVERAL, ("  - id: summary\n    adoption", "  - adoption"),
     "adoption: chair",
     r"outcomes\[1\]: give each of several outcomes an id"),
    ("outcome id of a document", SEVERAL, ("id: summary", "id: agenda"), "id: agenda",
     r"outcomes\[1\]\.id: 'agenda' is the name of another document"),
    ("outcome id twice", SEVERAL, ("id: summary", "id: communique"), "  - id: communique\n    adoption",
     r"outcomes\[1\]\.id: the id 'communique' is already used by another outcome"),
    ("final signed text without originals", MINIMAL, ("  done_at:\n    originals: 2",
                                                      "  done_at:\n    place: Mdina"), "place: Mdina",
     r"outcome\.done_at: a final text to be signed needs the number of originals: add originals"),
    ("final text of several days without date", MINIMAL,
     ("date: 2024-03-05", "date: 2024-03-05\nend_date: 2024-03-06"), "originals: 2",
     r"outcome\.done_at: a final text of a meeting of several days needs the date it was signed"),
    ("date of adoption not a day of the meeting", MINIMAL,
     ("    originals: 2", "    originals: 2\n    date: 2024-03-09"), "date: 2024-03-09",
     r"outcome\.done_at\.date: 2024-03-09 is not a day of the meeting"),
    ("an adopted text is not signed", MINIMAL,
     ("adoption: signed\n  status: final", "adoption: adopted\n  status: signed"), "status: signed",
     r"outcome\.status: a text that is adopted is not signed; write status: final"),
    ("did not join unknown", MINIMAL, ("  done_at:", "  not_joined: [GAM]\n  done_at:"),
     "not_joined", r"outcome\.not_joined\[0\]: there is no participant with the id 'GAM'"),
    ("joined and did not join", MINIMAL, ("  done_at:", "  joined: [BET]\n  not_joined: [BET]\n"
                                                        "  done_at:"), "not_joined",
     r"outcome\.not_joined\[0\]: 'BET' is also in joined"),
    ("chair's summary joined", MINIMAL, ("adoption: signed", "adoption: chair\n  not_joined: [BET]"),
     "not_joined", r"outcome\.not_joined: a chair's summary is issued under the chair's "
                   r"responsibility and nobody adopts or signs it"),
    ("statement by unknown party", MINIMAL,
     ("  done_at:", "  statements:\n    - party: GAM\n      text: No.\n  done_at:"), "party: GAM",
     r"outcome\.statements\[0\]\.party: there is no participant with the id 'GAM'"),
    ("table row too short", MINIMAL, ("  done_at:", "  sections:\n    - title: S\n      table:\n"
                                                    "        columns: [A, B]\n        rows:\n"
                                                    "          - [x]\n  done_at:"),
     "columns: [A, B]",
     r"outcome\.sections\[0\]\.table: row 1 has 1 texts for 2 columns"),
    ("no text", MINIMAL, ("    - text: Agree to meet again in 2025.", "    []"), "type: Joint",
     r"outcome: give paragraphs or sections, or set text_status: not available"),
    ("participation below the list", MINIMAL, ("agenda:", "participation: {states: 1}\nagenda:"),
     "participation:", r"participation\.states: 1 is fewer than the 2 states the list"),
    ("participation differs from a complete list", MINIMAL,
     ("agenda:", "participation: {states: 5}\nagenda:"), "participation:",
     r"participation\.states: the list names 2 states, not 5; if it names only some, add "
     r"complete: false"),
    ("another word is no typo", MINIMAL, ("city: Valletta", "city: Valletta\nhost_city: Valletta"),
     "host_city", r"host_city: unknown field 'host_city'; expected one of: "),
    ("the end is not the span", MINIMAL, ('time: "09:30"', 'time: "09:30"\n        end_time: "10:00"'),
     "end_time", r"agenda\[0\]\.items\[0\]\.end_time: unknown field 'end_time'; expected one of: "),
    ("chairs at the top means co-chairs", MINIMAL, ("chair: ALP", "chairs: [ALP, BET]"),
     "chairs:", r"chairs: unknown field 'chairs'; did you mean 'co_chairs'\?"),
    ("data cannot pose as fallback text", MINIMAL,
     ("title: Opening", 'title: "Open\\ue002en\\ue003ing\\ue004"'), 'title: "Open',
     r"agenda\[0\]\.items\[0\]\.title: contains characters the document font cannot print: "
     r"'\\ue002' \(U\+E002"),
    ("a slip of spelling is", MINIMAL, ("chair: ALP", "chair: ALP\nco_organisers: [Agency]"),
     "co_organisers", r"co_organisers: unknown field 'co_organisers'; did you mean "
                      r"'co_organizers'\?"),
]


@pytest.mark.parametrize("name, base, edit, marker, pattern", PROBLEMS,
                         ids=[case[0] for case in PROBLEMS])
def test_new_input_problems_are_reported_and_nothing_written(tmp_path, capsys, name, base, edit,
                                                            marker, pattern):
    assert edit[0] in base, edit[0]
    text = base.replace(edit[0], edit[1], 1)
    line = text[:text.index(marker)].count("\n") + 1
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(text, encoding="utf-8")
    code = main(["build", str(source), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert re.search(rf"^{re.escape(str(source))}:{line}:\d+: {pattern}", err, re.M), err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_did_you_mean_never_suggests_a_key_of_another_meaning():
    from generator.inputs import suggestion
    from generator.meeting import Item, Meeting

    meeting, item = list(Meeting.model_fields), list(Item.model_fields)
    assert suggestion("host_city", meeting) is None  # difflib alone says 'host'
    assert suggestion("chairs", meeting) == "co_chairs"  # difflib alone says 'chair'
    assert suggestion("previous_chairs", meeting) is None  # one previous chair, not several
    assert suggestion("end_time", item) is None  # difflib alone says 'time'
    assert suggestion("moderater", item) == "moderator"
    assert suggestion("moderatrs", item) == "moderators"
    assert suggestion("co-organisers", meeting) == "co_organizers"
    assert suggestion("enddate", meeting) == "end_date"


def test_missing_formal_name_prints_the_short_name_and_validate_warns(tmp_path, capsys):
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(MINIMAL.replace("    formal_name: Kingdom of Beta\n", ""), encoding="utf-8")
    assert main(["validate", str(source)]) == 0
    captured = capsys.readouterr()
    line = MINIMAL.splitlines().index("  - id: BET") + 1
    assert re.search(rf"^{re.escape(str(source))}:{line}:\d+: participants\[1\]: warning: no "
                     r"formal_name for 'BET'; the short name prints", captured.err, re.M)
    assert captured.out == f"{source}: valid\n"
    built, _ = make_document(load_meeting(str(source)), Edition("protocol", ("en",)),
                             default_templates())
    assert "For Beta" in document_lines(built)  # no article before a short name by default


def test_validate_lists_plain_prose_per_language_and_takes_fallback(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("title: {en: Opening of the Conference, fr: Ouverture de la Conférence}",
                        "title: Opening of the Conference")
    text = text.replace("          fr: Approuvons le Plan d’action de Lumenport 2029-2031.\n", "")
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(text, encoding="utf-8")
    assert main(["validate", str(source)]) == 2  # a French paragraph is missing
    assert "no French (fr) text" in capsys.readouterr().err
    assert main(["validate", str(source), "--fallback", "en"]) == 0
    captured = capsys.readouterr()
    assert "warning: no French (fr) text; printed the English one instead" in captured.err
    line = text.splitlines().index("        title: Opening of the Conference") + 1
    for language, name in (("en", "English"), ("fr", "French")):
        heading = (f"{source}: 1 text given as one plain text print as written in {name} "
                   f"({language}); give {{en: ..., fr: ...}} to write each language's own:")
        assert heading in captured.out
        block = captured.out.split(heading)[1].splitlines()[1]
        assert block == f"  {source}:{line}:16: agenda[0].items[0].title: one plain text"


def test_fallback_notes_stay_in_their_column_side_by_side(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "          fr: Approuvons le Plan d’action de Lumenport 2029-2031.\n", "")
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(text, encoding="utf-8")
    built, used = make_document(load_meeting(str(source)), Edition("declaration", ("en", "fr")),
                                default_templates(), fallback="en")
    assert [gap.path for gap in used] == [("outcomes", 0, "paragraphs", 1, "text")]
    notes = built.blocks[-1]
    assert isinstance(notes, Parallel)
    english, french = ([normalize(" ".join(run.text for run in block.runs)) for block in cell.blocks]
                       for cell in notes.cells)
    assert english == ["1 References to Eastreach are without prejudice to positions on its "
                       "status and are in line with the Belmonde Understanding of 2019."]
    assert french[0] == "1 Texte disponible en langue anglaise uniquement."
    row = next(block for block in built.blocks if isinstance(block, Parallel) and any(
        "Endorse the Lumenport" in run.text for inner in block.cells[1].blocks
        for run in getattr(inner, "runs", ())))
    runs = row.cells[1].blocks[0].runs
    assert (runs[0].language, runs[-1].superscript, runs[-1].text) == ("en", True, "1")


def test_a_footnoted_name_carries_its_note_into_the_signature_block(tmp_path):
    import docx

    data = meeting(adoption="signed", status="final", done_at={"originals": 2,
                                                               "languages": ["en"]})
    data["participants"][1]["footnote"] = "Beta's note."
    data["agenda"][0]["items"][0]["speakers"] = [{"name": "Bo", "affiliation": "Beta"}]
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--only", "protocol", "--lang", "en", "--pdfa", "none",
                 "--out", str(out)]) == 0
    word = (out / "trio" / "protocol-en-v0.1.docx").read_bytes()
    paragraphs = docx.Document(io.BytesIO(word)).paragraphs
    signing = [p for table in docx.Document(io.BytesIO(word)).tables  # the grid of blocks
               for cell in table._cells for p in cell.paragraphs]
    party = next(p for p in signing if p.text.startswith("For the Kingdom of Beta"))
    assert party.text == "For the Kingdom of Beta1" and party.runs[-1].font.superscript
    assert paragraphs[-1].text == "1 Beta's note." and paragraphs[-1].style.name == "Footnote"
    pdf = normalize(" ".join(pdf_pages((out / "trio" / "protocol-en-v0.1.pdf").read_bytes())))
    assert "For the Kingdom of Beta1" in pdf and "1 Beta's note." in pdf


MORE = {
    "en": ["The following participating States did not join the endorsement of this text: Beta.",
           "Beta, interpretative statement: As meant.",
           "Text not available", "The text of this document is not available.",
           "3 States and 1 organization took part in the meeting.",
           "This list is not complete: it names only the participants whose names are known.",
           "Presiding: Ana Example, Minister (Alpha)", "Co-Chairs: Ana Example, Minister (Alpha); "
           "Ben Sample, Deputy (Beta)", "Moderators: Ana Example, Minister (Alpha); Ben Sample, "
           "Deputy (Beta)", "Co-organizers: the Agency", "Observer State"],
    "ru": ["К одобрению настоящего текста не присоединились следующие государства-участники: Бета.",
           "Бета, заявление о толковании: Как понято.",
           "Текст отсутствует", "Текст настоящего документа отсутствует.",
           "В работе совещания приняли участие 3 государства и 1 организация.",
           "Настоящий список не является полным: в нем указаны только участники, чьи имена известны.",
           "Председательствует: Ана Пример, министр (Альфа)", "Сопредседатели: Ана Пример, министр "
           "(Альфа); Бен Образец, заместитель (Бета)", "Модераторы: Ана Пример, министр (Альфа); "
           "Бен Образец, заместитель (Бета)", "Соорганизаторы: Агентство",
           "Государство-наблюдатель"],
    "fr": ["Les États participants suivants ne se sont pas associés à l’approbation du présent "
           "texte : Bêta.", "Bêta, déclaration interprétative : Tel qu’entendu.",
           "Texte non disponible", "Le texte du présent document n’est pas disponible.",
           "3 États et 1 organisation ont pris part à la réunion.",
           "La présente liste n’est pas complète : elle ne mentionne que les participants dont le "
           "nom est connu.", "Présidence de séance : Ana Exemple, ministre (Alpha)",
           "Coprésidence : Ana Exemple, ministre (Alpha) ; Ben Modèle, adjoint (Bêta)",
           "Modération : Ana Exemple, ministre (Alpha) ; Ben Modèle, adjoint (Bêta)",
           "Coorganisateurs : l’Agence", "État observateur"],
}


@pytest.mark.parametrize("language", ["en", "ru", "fr"])
def test_every_other_formula_in_each_language(tmp_path, language):
    data = meeting(adoption="endorsed", text_status="not available", paragraphs=[],
                   not_joined=["BET"], statements=[
                       {"party": "BET", "kind": "interpretative statement",
                        "text": {"en": "As meant.", "ru": "Как понято.", "fr": "Tel qu’entendu."}}],
                   annexes=[{"title": {"en": "List", "ru": "Список", "fr": "Liste"},
                             "list_of_participants": True}])
    data["participants"][0]["delegation"] = [
        {"id": "ana", "name": {"en": "Ana Example", "ru": "Ана Пример", "fr": "Ana Exemple"},
         "title": {"en": "Minister", "ru": "министр", "fr": "ministre"}, "head": True}]
    data["participants"][1]["delegation"] = [
        {"id": "ben", "name": {"en": "Ben Sample", "ru": "Бен Образец", "fr": "Ben Modèle"},
         "title": {"en": "Deputy", "ru": "заместитель", "fr": "adjoint"}}]
    data["participants"].append({"id": "OBS", "kind": "observer state", "short_name": {
        "en": "Gamma", "ru": "Гамма", "fr": "Gamma"}, "formal_name": {
        "en": "Gamma", "ru": "Гамма", "fr": "Gamma"}})
    data["participation"] = {"states": 3, "organizations": 1, "complete": False}
    data["co_organizers"] = [{"en": "the Agency", "ru": "Агентство", "fr": "l’Agence"}]
    data["agenda"][0]["presiding"] = "ana"
    data["agenda"][0]["items"][0].update(chairs=["ana", "ben"], moderators=["ana", "ben"])
    printed = lines(tmp_path, data, language)
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    agenda, _ = make_document(load_meeting(str(source)), Edition("agenda", (language,)),
                              default_templates())
    printed += [normalize(line) for line in document_lines(agenda)]
    protocol, _ = make_document(load_meeting(str(source)), Edition("protocol", (language,)),
                                default_templates())
    printed += normalize(protocol.page.marking or "").split(" · ")
    for expected in MORE[language]:
        assert expected in printed, (expected, printed)


def test_the_agenda_pack_gives_each_outcome_its_own_part_numbered_from_one(tmp_path):
    from generator.document import Heading

    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "outcomes:\n", "agenda_pack:\n  include_draft_outcome: true\n\noutcomes:\n", 1)
    text = text.replace("  - id: chair-summary\n    symbol: SP/MC4/2028/3\n    adoption: chair\n"
                        "    status: final", "  - id: chair-summary\n    symbol: SP/MC4/2028/3\n"
                        "    adoption: chair\n    status: draft")
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(text, encoding="utf-8")
    pack, _ = make_document(load_meeting(str(source)), Edition("agenda-pack", ("fr",)),
                            default_templates())
    parts = [normalize(heading.runs[0].text) for heading in pack.blocks
             if isinstance(heading, Heading) and heading.level == 1]
    assert parts[-3:] == ["Déclaration de Lumenport", "Plan d’action de Lumenport 2029-2031",
                          "Projet : Résumé de la présidence"]
    printed = [normalize(line) for line in document_lines(pack)]
    firsts = [line for line in printed if line.startswith("1. ")]
    assert firsts[0] == "1. Ouverture de la Conférence"  # the programme's first item
    assert firsts[1:] == ["1. Nous engageons à :", "1. Les États participants :",
                      "1. La Conférence a été ouverte par la coprésidence, qui a rappelé les "
                      "acquis du Plan d’action de Port-Aurèle."]


def test_pdf_hyphenates_fallback_text_in_its_own_language():
    from generator import stylesheet
    from generator.document import Paragraph, Run
    from generator.writers.pdf import PdfWriter, Settings

    writer = PdfWriter(Settings(styles=stylesheet.paragraph_styles(), frame_width=400,
                                frame_height=700), "fr")
    english = writer.visit(Paragraph((Run("Endorse the plan.", language="en"),
                                      Run("1", superscript=True))))[0]
    french = writer.visit(Paragraph((Run("Approuvons le plan."),)))[0]
    from generator.hyphenation import hyphenator

    assert english.style.hyphenationLang is hyphenator("en") is not None
    assert french.style.hyphenationLang is hyphenator("fr") is not None
    assert english.style.hyphenationLang is not french.style.hyphenationLang


@pytest.mark.parametrize("document", ["agenda", "briefing", "agenda-pack", "participants"])
def test_fallback_text_is_marked_in_every_document(tmp_path, document):
    text = (ROOT / "inputs" / "solmera-process-3rd-ministerial.yaml").read_text(encoding="utf-8")
    text = text.replace("title: {en: Opening of the Conference, fr: Ouverture de la Conférence}",
                        "title: {en: Opening of the Conference}")
    text = text.replace("title: {en: Minister of the Interior and Migration, fr: Ministre de "
                        "l’Intérieur et des Migrations}",
                        "title: {en: Minister of the Interior and Migration}")
    source = tmp_path / "meeting.yaml"
    copy_styles(tmp_path)
    source.write_text(text, encoding="utf-8")
    built, used = make_document(load_meeting(str(source)), Edition(document, ("fr",)),
                                default_templates(), fallback="en")
    assert used
    printed = [normalize(line) for line in document_lines(built)]
    assert printed[-1] == "1 Texte disponible en langue anglaise uniquement."
    assert any(line.endswith("Migration1") or line.endswith("Migration (Valmérie)1")
               or line.endswith("Conference1") or line.endswith("Migration (chef de délégation)1")
               for line in printed), printed
