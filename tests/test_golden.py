"""Golden cases: the model dump of each document of each case; `pytest --accept` re-blesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import available_documents, editions, make_document
from generator.inputs import load_meeting
from generator.templating import default_templates
from generator.writers.dump import render_dump

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    **{path.stem: path for path in sorted((ROOT / "inputs").glob("*.yaml"))},
    **{path.parent.name: path for path in sorted((ROOT / "tests" / "cases").glob("*/input.yaml"))},
}
EXPECTED = ROOT / "tests" / "golden"


def documents():
    for case, source in CASES.items():
        loaded = load_meeting(str(source))
        for edition in editions(loaded, available_documents(loaded)):
            yield pytest.param(case, source, edition, id=f"{case}-{edition.stem}")


@pytest.mark.parametrize("case, source, edition", list(documents()))
def test_model_dump_matches_golden(case, source, edition, request, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    document, _ = make_document(load_meeting(str(source)), edition, default_templates())
    dump = render_dump(document)
    golden = EXPECTED / case / f"{edition.stem}.dump.txt"
    if request.config.getoption("--accept"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(dump, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run `pytest --accept` to create it"
    assert dump == golden.read_text(encoding="utf-8"), (
        f"{golden} differs from the current output; if the change is intended, "
        "run `pytest tests/test_golden.py --accept` and review the diff")
