"""Registration files: delegates read from CSV and XLSX, every problem at its cell, and back."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml

from generator import sheets
from generator.build import Edition, make_document
from generator.cli import main
from generator.inputs import load_meeting
from generator.meeting import Texts
from generator.source import read_source
from generator.templating import default_templates
from generator.writers.dump import render_dump

ROOT = Path(__file__).resolve().parent.parent
SOLMERA = ROOT / "inputs" / "solmera-process-3rd-ministerial.yaml"

MEETING = """\
id: registered
process: Example Process
ordinal: 1st
meeting_type: Ministerial Conference
title: 1st Ministerial Conference of the Example Process
date: 2024-03-05
city: Valletta
country: Malta
chair: ALP
languages: [en, fr]
participants:
  - id: ALP
    short_name: Alpha
    formal_name: {en: Republic of Alpha, fr: République d’Alpha}
    delegation:
      - id: ana
        name: Ana Example
        title: Minister of the Interior
        head: true
  - id: TUR
    short_name: Türkiye
    formal_name: {en: Republic of Türkiye, fr: République de Türkiye}
  - id: TKM
    short_name: {en: Turkmenistan, fr: Turkménistan}
    formal_name: Turkmenistan
  - id: IOM
    kind: organization
    short_name: {en: IOM, fr: OIM}
    formal_name: {en: International Organization for Migration, fr: Organisation internationale pour les migrations}
registrations:
{registrations}
agenda:
  - title: Plenary
    items:
      - title: Opening
        speakers: [ana]
"""


def meeting_file(tmp_path: Path, registrations: str) -> Path:
    path = tmp_path / "meeting.yaml"
    path.write_text(MEETING.replace("{registrations}", registrations), encoding="utf-8")
    return path


def members(path: Path) -> dict[str, list]:
    """Return {participant id: [person, ...]} of the loaded meeting."""
    return {p.id: list(p.delegation) for p in load_meeting(str(path)).meeting.participants}


def failure(tmp_path: Path, capsys, path: Path) -> list[str]:
    """Return the problem lines of a build that must fail with exit 2 and write nothing."""
    out = tmp_path / "out"
    assert main(["build", str(path), "--out", str(out)]) == 2
    assert not out.exists()
    return capsys.readouterr().err.splitlines()[:-1]


def xlsx(path: Path, rows: list[list], sheet: str = "Delegates", merges: tuple[str, ...] = (),
         extra_sheet: bool = False) -> Path:
    book = openpyxl.Workbook()
    if extra_sheet:
        book.active.title = "Notes"
        book.active["A1"] = "Registration export"
        worksheet = book.create_sheet(sheet)
    else:
        worksheet = book.active
        worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for merge in merges:
        worksheet.merge_cells(merge)
    book.save(path)
    return path


CSV_ROWS = [["Country", "Title", "First name", "Last name", "Function", "Function (fr)",
             "Head of delegation", "E-mail"],
            ["Türkiye", "Mr.", "Çağrı", "Öztürk", "Director General", "Directeur général",
             "yes", "c.ozturk@example.org"],
            ["Republic of Türkiye", "Ms.", "Zoé", "Café", "Adviser", "Chargée d’affaires", "", ""],
            ["", "", "", "", "", "", "", ""],
            ["IOM", "", "Lena", "Weiß", "Chief of Mission", "Cheffe de mission", "", ""]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_each_encoding_and_delimiter(tmp_path, encoding, delimiter):
    rows = CSV_ROWS if encoding != "cp1252" else [
        [cell.replace("Çağrı", "Cagri").replace("Öztürk", "Ozturk") for cell in row]
        for row in CSV_ROWS]
    text = "\r\n".join(delimiter.join(f'"{cell}"' if delimiter in cell else cell
                                      for cell in row) for row in rows) + "\r\n"
    (tmp_path / "delegates.csv").write_bytes(text.encode(encoding))
    found = members(meeting_file(tmp_path, "  - file: delegates.csv"))
    turkiye = found["TUR"]
    assert [p.name for p in turkiye] == [rows[1][2] + " " + rows[1][3], "Zoé Café"]
    assert turkiye[0].head and turkiye[0].honorific == "Mr."
    assert turkiye[0].title == Texts({"en": "Director General", "fr": "Directeur général"})
    assert turkiye[0].email == "c.ozturk@example.org"
    assert turkiye[1].title == Texts({"en": "Adviser", "fr": "Chargée d’affaires"})  # ’ is 0x92
    assert [p.name for p in found["IOM"]] == ["Lena Weiß"]
    assert [p.name for p in found["ALP"]] == ["Ana Example"]


def test_xlsx_as_excel_users_make_it(tmp_path):
    rows = [["Registered delegates (export of 3 March)"], [],
            ["Delegation ", "Mr/Ms", "Name", "Name (fr)", "Position", "Position (fr)", "HoD",
             "Notes"],
            ["Türkiye  ", "Mr.", "  Kemal   Aydın ", "Kemal Aydın", 12345, "Conseiller", True, "x"],
            [None, "Ms.", "Elif Şahin", "Elif Şahin", "Adviser", "Conseillère", None, None],
            [None] * 8,
            ["turkmenistan", "Mr.", "Merdan Ataýew", "Merdan Ataýew", "Consul", "Consul", "no",
             None]]
    path = xlsx(tmp_path / "delegates.xlsx", rows, merges=("A4:A5",), extra_sheet=True)
    found = members(meeting_file(tmp_path, "  - file: delegates.xlsx\n    sheet: Delegates"))
    assert [p.name for p in found["TUR"]] == ["Kemal Aydın", "Elif Şahin"]
    assert found["TUR"][0].title == Texts({"en": "12345", "fr": "Conseiller"})
    assert found["TUR"][0].head and not found["TUR"][1].head
    assert [p.name for p in found["TKM"]] == ["Merdan Ataýew"]
    assert path.exists()


def test_every_problem_at_its_cell_at_once(tmp_path, capsys):
    rows = [["Country", "Title", "First name", "Last name", "Function", "Head of delegation",
             "E-mail"],
            ["Turkiye", "Mr.", "Kemal", "Aydın", "Adviser", "", ""],                 # row 2
            ["Alpha", "Ms.", "Ana", "Example", "Minister", "yes", ""],               # row 3
            ["Alpha", "", "", "", "Adviser", "", ""],                                # row 4
            ["Alpha", "", "Ola", "Nordmann", dt.datetime(2024, 1, 2), "", ""],       # row 5
            ["Alpha", "", "Per", "Hansen", "=B2&C2", "", ""],                        # row 6
            ["Alpha", "", "Kari", "Berg", "Adviser", "maybe", ""],                   # row 7
            ["Alpha", "", "Liv", "Dahl", "Adviser", "", "liv-at-example.org"],       # row 8
            ["Atlantis", "", "Mo", "Ray", "Adviser", "", ""],                        # row 9
            ["Alpha", "", "Sven", "Lund", "Adviser", "", ""],                        # row 10
            ["Alpha", "", "Sven", "Lund", "Adviser", "", ""]]                        # row 11
    xlsx(tmp_path / "delegates.xlsx", rows, sheet="Sheet1")
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: delegates.xlsx"))
    name = str(tmp_path / "delegates.xlsx")
    expected = [
        (2, "A", "Country", r"no participant is named 'Turkiye'; did you mean 'Türkiye'\?"),
        (3, "A", None, r"Ana Example is given twice in the delegation of ALP: also at .*meeting\.yaml:16"),
        (4, "D", "Last name", r"no name: give the person's name, or delete the row"),
        (5, "E", "Function", r"holds a date or time \(2024-01-02\).*format the column as Text"),
        (6, "E", "Function", r"holds a formula \(=B2&C2\) whose value the file does not keep"),
        (7, "F", "Head of delegation", r"write 'yes' for the head of delegation.*'maybe'"),
        (8, "G", "E-mail", r"'liv-at-example.org' is not an e-mail address"),
        (9, "A", "Country", r"no participant is named 'Atlantis'; add it to the meeting file's"),
    ]
    assert len(lines) == len(expected) + 1, "\n".join(lines)
    for line, (row, column, field, message) in zip(lines, expected):
        place = re.escape(f"{name}:Sheet1:{row}:{column}:") + (f" {field}:" if field else "")
        assert re.match(place + " " + message, line), line
    assert lines[-1] == (f"{name}:Sheet1:11:A: Sven Lund is given twice in the delegation "
                         f"of ALP: also at {name}:Sheet1:10; give each delegate once")


def test_csv_problems_name_row_and_column_without_a_sheet(tmp_path, capsys):
    (tmp_path / "d.csv").write_text("Name;Country\nKemal Aydın;Turkmenistan\nZoé;Turkey\n",
                                    encoding="utf-8")
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: d.csv"))
    assert lines == [f"{tmp_path / 'd.csv'}:3:B: Country: no participant is named 'Turkey'; "
                     "did you mean 'Türkiye'?"]


def test_column_mapping_and_its_mistakes(tmp_path, capsys):
    xlsx(tmp_path / "d.xlsx", [["Pays", "Nom complet", "Fonction", "Nom (fr)", "Job"],
                               ["Alpha", "Jean Dupont", "Conseiller", "Jean Dupont", "Adviser"]])
    path = meeting_file(tmp_path, "  - file: d.xlsx\n    columns: {delegation: Pays, name: Nom "
                                  "complet, 'function (fr)': Fonction, 'function (en)': Job}")
    jean = members(path)["ALP"][1]
    assert jean.name == "Jean Dupont"
    assert jean.title == Texts({"en": "Adviser", "fr": "Conseiller"})
    path = meeting_file(tmp_path, "  - file: d.xlsx\n    columns: {delgation: Pays, 'head (fr)': X}")
    lines = failure(tmp_path, capsys, path)
    assert re.match(r".*meeting\.yaml:\d+:\d+: registrations\[0\]\.columns\.delgation: 'delgation' "
                    r"is not a field of a registration; did you mean 'delegation'\?", lines[0])
    assert "is the same in every language; write it without '(fr)'" in lines[1]


@pytest.mark.parametrize("entry, message", [
    ("  - file: missing.csv", r"registrations\[0\]\.file: 'missing.csv' does not exist"),
    ("  - file: d.xlsx\n    sheet: Delgates",
     r"registrations\[0\]\.sheet: 'd.xlsx' has no sheet 'Delgates' \(its sheets: Delegates\); "
     r"did you mean 'Delegates'\?"),
    ("  - file: d.ods", r"'d.ods' is not a .csv or .xlsx file \(save it from its program"),
    ("  - file: fake.xlsx", r"'fake.xlsx' is not an XLSX file: it is damaged"),
    ("  - file: nohead.csv", r"nohead.csv: no header row names the columns"),
])
def test_files_that_cannot_be_read(tmp_path, capsys, entry, message):
    xlsx(tmp_path / "d.xlsx", [["Country", "Name"], ["Alpha", "Jo"]])
    (tmp_path / "fake.xlsx").write_text("Country,Name\n", encoding="utf-8")
    (tmp_path / "nohead.csv").write_text("a,b\nc,d\n", encoding="utf-8")
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, entry))
    assert len(lines) == 1 and re.search(message, lines[0]), lines


def test_a_zip_that_unpacks_too_large_is_not_opened(tmp_path, capsys, monkeypatch):
    xlsx(tmp_path / "d.xlsx", [["Country", "Name"], ["Alpha", "Jo"]])
    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 1000)
    sheets._read_table.cache_clear()
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: d.xlsx"))
    assert re.search(r"'d.xlsx' would unpack to .* MB; .*zip bomb", lines[0]), lines


def test_a_sheet_too_long_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 5)
    xlsx(tmp_path / "d.xlsx", [["Country", "Name"]] + [["Alpha", f"P{n}"] for n in range(9)])
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: d.xlsx"))
    assert "holds more than 5 rows" in lines[0], lines


def three_hundred(tmp_path: Path) -> Path:
    """Return a meeting of 300 delegates in 30 delegations given by an XLSX file."""
    names = ["Türkiye", "Turkmenistan", "Tajikistan", "Azerbaijan", "Iran (Islamic Republic of)",
             "Italy", "Kazakhstan", "Kyrgyzstan", "Pakistan", "Uzbekistan"]
    states = [(f"S{n:02d}", f"{names[n % 10]}{'' if n < 10 else f' {n // 10}'}")
              for n in range(30)]
    participants = [{"id": ident, "short_name": name, "formal_name": f"Republic of {name}"}
                    for ident, name in states]
    rows = [["Country", "Title", "First name", "Last name", "Function", "Head of delegation"]]
    for n in range(300):
        ident, name = states[n % 30]
        rows.append([name, "Ms." if n % 2 else "Mr.", f"Given{n:03d}", f"Family{n:03d}",
                     "Delegate", "yes" if n < 30 else ""])
    xlsx(tmp_path / "delegates.xlsx", rows)
    data = yaml.safe_load(MEETING.replace("{registrations}", "  - file: delegates.xlsx"))
    data.update(participants=participants, chair="S00", languages=["en"])
    data["agenda"][0]["items"][0].pop("speakers")
    path = tmp_path / "meeting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_three_hundred_delegates_build_in_collation_order(tmp_path, capsys):
    path = three_hundred(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(path), "--out", str(out), "--only", "participants",
                 "--format", "pdf", "--pdfa", "none"]) == 0, capsys.readouterr().err
    pdf = out / "registered" / "participants-en-v1.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    found = re.findall(r"Given(\d{3}) Family\1", text)
    assert len(found) == 300 and len(set(found)) == 300
    order = [line.split()[0] for line in text.splitlines()
             if re.match(r"^\s*(AZERBAIJAN|IRAN|ITALY|KAZAKHSTAN|KYRGYZSTAN|PAKISTAN|TAJIKISTAN|"
                         r"TÜRKIYE|TURKMENISTAN|UZBEKISTAN)\b", line)]
    firsts = list(dict.fromkeys(name.strip() for name in order))
    assert firsts == ["AZERBAIJAN", "IRAN", "ITALY", "KAZAKHSTAN", "KYRGYZSTAN", "PAKISTAN",
                      "TAJIKISTAN", "TÜRKIYE", "TURKMENISTAN", "UZBEKISTAN"]
    # each delegation under its name, its head first
    assert re.search(r"TÜRKIYE\n\s*Mr\. Given000 Family000, Delegate \(head of delegation\)",
                     text)


def without_delegations(tmp_path: Path, spreadsheet: Path) -> Path:
    """Return the Solmera meeting with its delegations taken out and read from the spreadsheet."""
    data = read_source(str(SOLMERA)).data
    for participant in data["participants"]:
        participant.pop("delegation", None)
    data["registrations"] = [{"file": spreadsheet.name}]
    data["house_style"] = str(ROOT / "inputs" / data["house_style"])
    path = tmp_path / "solmera.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_participants_spreadsheet_reads_back_unchanged(tmp_path, capsys, fmt):
    sheet = tmp_path / f"list.{fmt}"
    assert main(["participants", str(SOLMERA), "--format", fmt, "--out", str(sheet)]) == 0
    assert capsys.readouterr().out.strip() == str(sheet)
    original = load_meeting(str(SOLMERA))
    again = load_meeting(str(without_delegations(tmp_path, sheet)))
    for before, after in zip(original.meeting.participants, again.meeting.participants):
        assert sorted(before.delegation, key=repr) == sorted(after.delegation, key=repr), before.id
    for language in ("en", "fr"):
        edition = Edition("participants", (language,))
        assert (render_dump(make_document(original, edition, default_templates())[0]) ==
                render_dump(make_document(again, edition, default_templates())[0]))
    header = (openpyxl.load_workbook(sheet).active[1] if fmt == "xlsx" else None)
    if header is not None:
        assert [cell.value for cell in header][:6] == ["Delegation", "Id", "Honorific (en)",
                                                       "Honorific (fr)", "Name (en)", "Name (fr)"]
        rows = list(openpyxl.load_workbook(sheet).active.iter_rows(min_row=2, values_only=True))
        assert [row[0] for row in rows[:3]] == ["Corvain Islands", "Estmark", "Moraçan"]
    assert main(["participants", str(SOLMERA), "--format", fmt, "--out", str(sheet)]) == 2
    assert "never overwrites" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_participants_spreadsheet_never_holds_a_formula(tmp_path, fmt):
    source = MEETING.replace("{registrations}", "  []").replace(
        "name: Ana Example", "name: \"=HYPERLINK(\\\"http://x.example\\\",\\\"Ana\\\")\"").replace(
        "title: Minister of the Interior", "title: \"+1 Minister\"\n        honorific: \"@Ms\"")
    path = tmp_path / "m.yaml"
    path.write_text(source, encoding="utf-8")
    sheet = tmp_path / f"list.{fmt}"
    assert main(["participants", str(path), "--format", fmt, "--out", str(sheet)]) == 0
    if fmt == "xlsx":
        row = openpyxl.load_workbook(sheet).active[2]  # formulas as written, not values
        cells = {cell.value: cell.data_type for cell in row if cell.value}
        assert cells['=HYPERLINK("http://x.example","Ana")'] == "s"
        assert cells["+1 Minister"] == "s" and cells["@Ms"] == "s"
    else:
        text = sheet.read_bytes().decode("utf-8-sig")
        assert "'=HYPERLINK" in text and ",'+1 Minister," in text and ",'@Ms," in text
        assert not re.search(r"(^|,)[=+@-]", text, re.M)
    again = tmp_path / "again.yaml"
    block = "      - id: ana\n        name: Ana Example\n        title: Minister of the Interior\n"
    assert block in MEETING
    again.write_text(MEETING.replace(block, "      - name: Someone Else\n        title: x\n")
                     .replace("speakers: [ana]", "speakers: []")
                     .replace("{registrations}", f"  - file: list.{fmt}"), encoding="utf-8")
    ana = next(p for p in members(again)["ALP"] if p.id == "ana")
    assert ana.name == '=HYPERLINK("http://x.example","Ana")' and ana.title == "+1 Minister"
    assert ana.honorific == "@Ms"


def test_the_sample_registration_files_add_to_the_solmera_example(tmp_path):
    data = read_source(str(SOLMERA)).data
    data["registrations"] = [{"file": str(ROOT / "inputs" / "solmera-delegates.csv")},
                             {"file": str(ROOT / "inputs" / "solmera-delegates.xlsx")}]
    path = tmp_path / "solmera.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(ROOT / "inputs" / "styles", tmp_path / "styles")  # the style it names
    loaded = load_meeting(str(path))
    before = load_meeting(str(SOLMERA)).meeting
    added = {p.id: [m.name for m in p.delegation[len(q.delegation):]]
             for p, q in zip(loaded.meeting.participants, before.participants)}
    assert added["VAL"] == ["Bastien Morvan", "Clémence Aubrac", "Léon Gaudreau"]
    assert added["COR"] == ["Anaïs Quéré"] and added["IBMD"] == ["Sigrid Holmvik"]
    assert sum(map(len, added.values())) == 9
    dump = render_dump(make_document(loaded, Edition("participants", ("fr",)),
                                     default_templates())[0])
    assert "M. Bastien Morvan" in dump and "Conseiller, Direction générale des migrations" in dump


def test_windows_line_ends_in_the_meeting_file(tmp_path, capsys):
    (tmp_path / "d.csv").write_bytes("Country;Name\r\nAlpha;Jo Windows\r\n".encode("utf-8-sig"))
    path = meeting_file(tmp_path, "  - file: d.csv")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert [p.name for p in members(path)["ALP"]] == ["Ana Example", "Jo Windows"]
    path.write_bytes(path.read_bytes().replace(b"chair: ALP", b"chair: ALX"))
    assert failure(tmp_path, capsys, path) == [
        f"{path}:9:8: chair: there is no participant with the id 'ALX'; did you mean 'ALP'?"]


def test_a_mapped_language_column_leaves_the_default_one_in_use(tmp_path):
    xlsx(tmp_path / "d.xlsx", [["Country", "Name", "Function", "Fonction"],
                               ["Alpha", "Jean Dupont", "Adviser", "Conseiller"]])
    path = meeting_file(tmp_path, "  - file: d.xlsx\n    columns: {'function (fr)': Fonction}")
    jean = members(path)["ALP"][1]
    assert jean.title == Texts({"en": "Adviser", "fr": "Conseiller"})


def test_a_csv_file_has_no_sheet(tmp_path, capsys):
    (tmp_path / "d.csv").write_text("Country,Name\nAlpha,Jo\n", encoding="utf-8")
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: d.csv\n    sheet: One"))
    assert re.match(r".*meeting\.yaml:\d+:\d+: registrations\[0\]\.sheet: 'd.csv' is a CSV file, "
                    r"which has no sheets; remove 'sheet: One'", lines[0]), lines


def test_a_text_in_some_languages_only_is_one_problem_at_its_header(tmp_path, capsys):
    xlsx(tmp_path / "d.xlsx", [["Country", "Name", "Function (fr)"]] +
         [["Alpha", f"P{n}", "Conseiller"] for n in range(50)], sheet="Sheet1")
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: d.xlsx"))
    assert lines == [f"{tmp_path / 'd.xlsx'}:Sheet1:1:C: Function (fr): the function is given in "
                     "fr only; add a column 'Function (en)' for each other language of the "
                     "meeting, or a column 'Function' for every language"]


def test_a_text_missing_in_one_language_of_a_row(tmp_path, capsys):
    xlsx(tmp_path / "d.xlsx", [["Country", "Name", "Function (en)", "Function (fr)"],
                               ["Alpha", "Jo", "Adviser", ""], ["Alpha", "Li", "", ""]],
         sheet="Sheet1")
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: d.xlsx"))
    assert lines == [f"{tmp_path / 'd.xlsx'}:Sheet1:2:D: Function (fr): no function in fr, though "
                     "the row gives it in another language: fill the cell"]


def test_country_and_organization_columns_side_by_side(tmp_path):
    xlsx(tmp_path / "d.xlsx", [["Name", "Country", "Organization"],
                               ["Jo Alpha", "Alpha", None], ["Mo Iom", None, "IOM"],
                               ["Li Both", "Türkiye", "IOM"]])
    found = members(meeting_file(tmp_path, "  - file: d.xlsx"))
    assert [p.name for p in found["ALP"]][1:] == ["Jo Alpha"]
    assert [p.name for p in found["IOM"]] == ["Mo Iom"]
    assert [p.name for p in found["TUR"]] == ["Li Both"]


def test_far_formatting_is_not_read_and_a_far_value_is_refused(tmp_path, capsys):
    import time

    book = openpyxl.Workbook()
    book.active.append(["Country", "Name"])
    book.active.append(["Alpha", "Jo Far"])
    book.active.cell(1_000_000, 150).number_format = "0"  # a whole column formatted, as Excel does
    book.save(tmp_path / "d.xlsx")
    started = time.perf_counter()
    assert [p.name for p in members(meeting_file(tmp_path, "  - file: d.xlsx"))["ALP"]] == [
        "Ana Example", "Jo Far"]
    assert time.perf_counter() - started < 2
    book.active.cell(20_000, 2, "stray")
    book.save(tmp_path / "d.xlsx")
    lines = failure(tmp_path, capsys, meeting_file(tmp_path, "  - file: d.xlsx"))
    assert re.search(r"'d.xlsx' holds more than 10,000 rows \(row 20,000 is not empty\)", lines[0])
