"""Golden cases: the model dump of each document of each case; `pytest --accept` re-blesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import available_documents, make_document
from generator.inputs import load_meeting
from generator.templating import default_templates
from generator.writers.dump import render_dump

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "almaty-process-8th-som": ROOT / "inputs" / "almaty-process-8th-som.yaml",
    **{path.parent.name: path for path in sorted((ROOT / "tests" / "cases").glob("*/input.yaml"))},
}
EXPECTED = ROOT / "tests" / "golden"


def documents():
    for case, source in CASES.items():
        for name in available_documents(load_meeting(str(source))):
            yield pytest.param(case, source, name, id=f"{case}-{name}")


@pytest.mark.parametrize("case, source, name", list(documents()))
def test_model_dump_matches_golden(case, source, name, request, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    dump = render_dump(make_document(load_meeting(str(source)), name, default_templates()))
    golden = EXPECTED / case / f"{name}.dump.txt"
    if request.config.getoption("--accept"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(dump, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run `pytest --accept` to create it"
    assert dump == golden.read_text(encoding="utf-8"), (
        f"{golden} differs from the current output; if the change is intended, "
        "run `pytest tests/test_golden.py --accept` and review the diff")
