"""The documentation: generated references current, links whole, the README's commands real."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
PENDING = {"outcomes.md", "limits.md", "spreadsheets.md", "performance.md"}
"""Pages of docs/ written on other branches, which the index already links: a link to one may
lead nowhere until it arrives, and is checked like any other once it has."""


def test_generated_references_are_current():
    """docs/meeting-file.md and docs/commands.md are what the schema and the parser make."""
    result = subprocess.run([sys.executable, "scripts/make_docs.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, (
        f"{result.stderr.strip()}\nThe meeting file or the command line changed: regenerate "
        "the reference pages with\n    python scripts/make_docs.py\nand commit them.")


def test_the_check_fails_on_a_stale_page(monkeypatch, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_docs
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    for name in make_docs.PAGES:
        (tmp_path / name).write_text((ROOT / "docs" / name).read_text(encoding="utf-8")
                                     .replace("|", "¦", 1), encoding="utf-8")
    monkeypatch.setattr(make_docs, "DOCS", tmp_path)
    assert make_docs.main(["--check"]) == 1
    assert make_docs.main([]) == 0
    assert make_docs.main(["--check"]) == 0


def test_every_field_and_command_is_documented():
    from generator.cli import parser
    from generator.meeting import Meeting

    text = (ROOT / "docs" / "meeting-file.md").read_text(encoding="utf-8")
    schema = Meeting.model_json_schema()
    for definition in [schema, *schema["$defs"].values()]:
        for field in definition.get("properties", {}):
            assert f"| `{field}` |" in text, field
    commands = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in parser()._subparsers._group_actions[0].choices:
        assert f"## chancery {name}" in commands, name


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_links_between_pages_lead_somewhere(page):
    """Every relative link names a file that exists (and a heading in it, after '#')."""
    assert page.is_file(), page
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() and linked.parent == ROOT / "docs" and linked.name in PENDING:
            continue
        assert linked.exists(), f"{page.name}: {target} leads nowhere"
        if anchor and linked.suffix == ".md":
            headings = [re.sub(r"[^\w\- ]", "", line.lstrip("#").strip()).lower().replace(" ", "-")
                        for line in linked.read_text(encoding="utf-8").splitlines()
                        if line.startswith("#")]
            assert anchor in headings, f"{page.name}: no heading #{anchor} in {path or page.name}"


def test_the_docs_index_links_every_page():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    linked = set(LINK.findall(index))
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name != "README.md":
            assert page.name in linked, f"docs/README.md does not link {page.name}"


def test_readme_keeps_the_two_set_up_commands_at_its_top():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    top = "\n".join(lines[:25])
    assert ("python3 -m venv .venv && .venv/bin/pip install -q . && "
            ".venv/bin/chancery build inputs/almaty-process-8th-som.yaml") in top
    assert ("python3 -m venv .venv && .venv/bin/pip install -q '.[test]' && "
            ".venv/bin/python -m pytest") in top
    assert len(lines) <= 200, "the README stays short: new material goes into docs/"
