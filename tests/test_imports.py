"""A build loads only the libraries its formats need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "almaty-process-8th-som.yaml"

_PROBE = """
import sys
from generator.cli import main
code = main(sys.argv[1:])
print(code, *sorted(name for name in ("docx", "pikepdf", "pyhanko", "reportlab.platypus")
                    if name in sys.modules))
"""


def loaded(tmp_path: Path, *arguments: str) -> list[str]:
    """Return the exit code and the watched libraries a fresh process loaded for the build."""
    result = subprocess.run([sys.executable, "-c", _PROBE, "build", str(EXAMPLE), "--only",
                             "protocol", "--lang", "en", "--out", str(tmp_path), *arguments],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()[-1].split()  # after the files the build lists


@pytest.mark.parametrize(("arguments", "expected"), [
    (("--format", "pdf", "--pdfa", "none"), ["0", "reportlab.platypus"]),
    (("--format", "pdf"), ["0", "pikepdf", "reportlab.platypus"]),
    (("--format", "docx"), ["0", "docx"]),
])
def test_a_build_loads_only_what_its_formats_need(tmp_path, arguments, expected):
    assert loaded(tmp_path, *arguments) == expected
    assert len(list((tmp_path / "almaty-process-8th-som").glob("protocol-en-*"))) == 1
