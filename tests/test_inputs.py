"""Bad input: every problem reported at once as FILE:LINE:COL: field: message, exit 2, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main

BASE = (Path(__file__).parent / "cases" / "minimal" / "input.yaml").read_text(encoding="utf-8")


def run(tmp_path: Path, capsys, data: bytes | None, *extra: str) -> tuple[int, str, Path]:
    """Return exit code, stderr and the input's path after `chancery build` on the data."""
    source = tmp_path / "meeting.yaml"
    if data is not None:
        source.write_bytes(data)
    out = tmp_path / "out"
    code = main(["build", str(source), "--out", str(out), *extra])
    return code, capsys.readouterr().err, source


def edited(old: str, new: str) -> bytes:
    assert old in BASE, old
    return BASE.replace(old, new, 1).encode("utf-8")


CASES = [
    # (name, edit, line, field, message pattern)
    ("yaml syntax", ("city: Valletta", "city: [Valletta"), 9, None, r"YAML syntax error"),
    ("unknown key", ("    short_name: Beta", "    shortname: Beta"), 21, r"participants\[1\]\.shortname",
     r"unknown field 'shortname'; did you mean 'short_name'\?"),
    ("missing field", ("city: Valletta\n", ""), 2, r"city", r"this required field is missing"),
    ("wrong type", ("originals: 2", "originals: two"), 47, r"outcome\.done_at\.originals",
     r"should be a valid integer.*'two'"),
    ("impossible date", ("date: 2024-03-05", "date: 2024-02-30"), 7, r"date",
     r"2024-02-30 is not a date"),
    ("end before start", ("date: 2024-03-05\n", "date: 2024-03-05\nend_date: 2024-03-01\n"), 8,
     r"end_date", r"ends \(2024-03-01\) before it starts \(2024-03-05\)"),
    ("duplicate id", ("  - id: BET", "  - id: ALP"), 20, r"participants\[1\]\.id",
     r"the id 'ALP' is already used"),
    ("unknown participant", ("chair: ALP", "chair: ALX"), 10, r"chair",
     r"there is no participant with the id 'ALX'; did you mean 'ALP'\?"),
    ("unknown speaker", ("speakers: [ana]", "speakers: [anna]"), 34, r"agenda\[0\]\.items\[0\]\.speakers\[0\]",
     r"no delegation member with the id 'anna'; did you mean 'ana'\?"),
    ("signatory not a participant",
     ("  done_at:", "  signatories:\n    - party: GAM\n  done_at:"), 47,
     r"outcome\.signatories\[0\]\.party", r"there is no participant with the id 'GAM'"),
    ("empty agenda", ("agenda:\n  - title: Plenary", "agenda: []\nx_agenda:\n  - title: Plenary"), 28,
     r"agenda", r"must not be empty"),
    ("control character", ("title: Opening", 'title: "Open\\x07ing"'), 33,
     r"agenda\[0\]\.items\[0\]\.title", r"control character \(U\+0007\)"),
    ("lone surrogate", ("title: Opening", 'title: "Open\\ud800ing"'), 33,
     r"agenda\[0\]\.items\[0\]\.title", r"lone surrogate \(U\+D800\)"),
    ("unprintable character", ("title: Opening", "title: Opening क"), 33,
     r"agenda\[0\]\.items\[0\]\.title", r"font cannot print: 'क' \(U\+0915"),
    ("impossible time", ('time: "09:30"', 'time: "25:30"'), 32, r"agenda\[0\]\.items\[0\]\.time",
     r"25:30 is not a time of day"),
]


@pytest.mark.parametrize("name, edit, line, field, pattern", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_nothing_written(tmp_path, capsys, name, edit, line, field, pattern):
    code, err, source = run(tmp_path, capsys, edited(*edit))
    assert code == 2
    field_part = rf" {field}:" if field else ""
    expected = rf"^{re.escape(str(source))}:{line}:\d+:{field_part} .*{pattern}"
    assert re.search(expected, err, re.MULTILINE), err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_raw_control_character_in_file(tmp_path, capsys):
    code, err, source = run(tmp_path, capsys, edited("title: Opening", "title: Open\x07ing"))
    assert code == 2
    assert re.search(rf"^{re.escape(str(source))}:33:\d+: .*#x0007", err, re.MULTILINE), err


def test_file_not_utf8(tmp_path, capsys):
    data = BASE.encode("utf-8").replace(b"Valletta", b"Vall\xe9tta")
    code, err, source = run(tmp_path, capsys, data)
    assert code == 2
    assert re.search(rf"^{re.escape(str(source))}:8:11: the file is not UTF-8 text \(byte 0xE9\)",
                     err, re.MULTILINE), err
    assert not (tmp_path / "out").exists()


def test_missing_file(tmp_path, capsys):
    code, err, source = run(tmp_path, capsys, None)
    assert code == 2
    assert f"{source}: no such file" in err


def test_every_problem_is_reported_at_once(tmp_path, capsys):
    data = BASE.replace("date: 2024-03-05", "date: 2024-02-30").replace(
        "    short_name: Beta", "    shortname: Beta").replace('time: "09:30"', 'time: "9h30"')
    code, err, source = run(tmp_path, capsys, data.encode())
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith(str(source))]
    assert [int(line.split(":")[1]) for line in lines] == sorted(int(line.split(":")[1]) for line in lines)
    for expected in (":7:", ":20:", ":21:", ":32:"):
        assert any(expected in line for line in lines), err
    assert "4 problems found; nothing was written" in err


def test_one_bad_file_stops_the_build_of_all(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(BASE, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(edited("chair: ALP", "chair: ALX"))
    code = main(["build", str(good), str(bad), "--out", str(tmp_path / "out")])
    assert code == 2
    assert f"{bad}:10:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_norway_and_times_stay_text(tmp_path, capsys):
    data = edited("country: Malta", "country: NO")
    source = tmp_path / "meeting.yaml"
    source.write_bytes(data)
    from generator.inputs import load_meeting

    meeting = load_meeting(str(source)).meeting
    assert meeting.country == "NO"
    assert meeting.agenda[0].items[1].time == "10:00-11:30"


def test_duplicate_key_is_reported(tmp_path, capsys):
    code, err, source = run(tmp_path, capsys, edited("city: Valletta", "city: Valletta\ncity: Mdina"))
    assert code == 2
    assert re.search(rf"^{re.escape(str(source))}:9:1: city: this key is written twice", err, re.M), err


def test_requested_document_without_its_section(tmp_path, capsys):
    data = BASE[:BASE.index("outcome:")].encode()
    code, err, source = run(tmp_path, capsys, data, "--only", "protocol")
    assert code == 2
    assert "there is no 'outcome' section, so no protocol can be built" in err
    assert not (tmp_path / "out").exists()


def test_validate_reports_valid_file(tmp_path, capsys):
    source = tmp_path / "meeting.yaml"
    source.write_text(BASE, encoding="utf-8")
    assert main(["validate", str(source)]) == 0
    assert capsys.readouterr().out.strip() == f"{source}: valid"


def test_alias_bomb_is_refused(tmp_path, capsys):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    code, err, source = run(tmp_path, capsys, "\n".join(lines).encode())
    assert code == 2
    assert re.search(rf"^{re.escape(str(source))}:\d+:\d+: .*more than 500,000 values", err, re.M)


def test_absurd_nesting_is_refused(tmp_path, capsys):
    code, err, source = run(tmp_path, capsys, ("a: " + "[" * 20000 + "]" * 20000).encode())
    assert code == 2
    assert f"{source}: the file nests lists and fields too deeply" in err
