"""Reproducible bytes: every writer writes the same bytes in another process (another hash seed)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "almaty-process-8th-som.yaml"
LEVELS = ("none", "1b", "2b")


def checksums(folder: str) -> dict[str, str]:
    """Return the SHA-256 of everything the writers write, by name: the sample document (every
    block type) in the dump, DOCX and PDF at each PDF/A level; each default edition of the
    example in DOCX and PDF; and a briefing pack binding PDF and image annexes found in folder
    (written there by write_annexes)."""
    from generator.build import Edition, available_documents, editions, make_document
    from generator.inputs import load_meeting
    from generator.rendering import render_formats
    from generator.templating import default_templates
    from generator.writers.docx import render_docx
    from generator.writers.dump import render_dump
    from generator.writers.pdf import render_pdf
    from tests.sample_document import sample_document

    written: dict[str, bytes] = {}
    sample = sample_document()
    written["sample.dump"] = render_dump(sample).encode()
    written["sample.docx"] = render_docx(sample)
    for level in LEVELS:
        written[f"sample-{level}.pdf"] = render_pdf(sample, level)
    loaded = load_meeting(str(EXAMPLE))
    for edition in editions(loaded, available_documents(loaded)):
        document = make_document(loaded, edition, default_templates())[0]
        for fmt, data in render_formats(document, ["docx", "pdf"]).items():
            written[f"{edition.stem}.{fmt}"] = data
    pack = load_meeting(str(Path(folder) / "meeting.yaml"))
    document = make_document(pack, Edition("briefing", ("en",)), default_templates())[0]
    for fmt, data in render_formats(document, ["docx", "pdf"], "1b").items():
        written[f"annexes.{fmt}"] = data
    return {name: hashlib.sha256(data).hexdigest() for name, data in written.items()}


def write_annexes(folder: Path) -> None:
    """Write a meeting whose briefing pack binds a PDF, a PNG and a JPEG annex into folder."""
    from tests.test_annexes import ANNEXES, good_annexes, meeting_file

    good_annexes(folder)
    meeting_file(folder, ANNEXES)


def checksums_elsewhere(folder: Path, seed: int) -> dict[str, str]:
    """Return checksums(folder) as computed by a new Python process with this hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run(
        [sys.executable, "-c", "import json, sys; from tests.test_reproducible import checksums; "
         "print(json.dumps(checksums(sys.argv[1])))", str(folder)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[dict[str, str]]:
    """Return the checksums from this process and from two others, with hash seeds 1 and 2."""
    folder = tmp_path_factory.mktemp("reproducible")
    write_annexes(folder)
    here = checksums(str(folder))
    return [here, checksums_elsewhere(folder, 1), checksums_elsewhere(folder, 2)]


def test_every_writer_is_covered(runs):
    names = set(runs[0])
    assert {"sample.dump", "sample.docx", "annexes.docx", "annexes.pdf", "protocol-en+ru.pdf",
            *(f"sample-{level}.pdf" for level in LEVELS)} <= names


@pytest.mark.parametrize("other", [1, 2], ids=["hash seed 1", "hash seed 2"])
def test_another_process_writes_the_same_bytes(runs, other):
    assert {name: digest for name, digest in runs[other].items() if digest != runs[0][name]} \
        == {}
    assert runs[other].keys() == runs[0].keys()
