"""Print wall time and peak memory of chancery builds, each in a fresh (cold) process.

    python scripts/benchmark.py [--runs N]

Cases: the example meeting (six editions x 2 formats), and a generated large meeting (1,000
participants, 200 agenda items, 100 operative paragraphs): its protocol and agenda in both
formats, its briefing pack, the briefing pack with three 20-page PDF annexes (PDF/A-2b), and its
protocol in English and Russian side by side. Also the cost of importing the libraries alone,
for scale, and single steps the tests once timed (a 1,000-row DOCX table, a 200-row PDF table,
the PDF/A step), each in a fresh process.
Machines are shared and noisy: compare figures within one run, not across runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.meetings import large_meeting  # noqa: E402
EXAMPLE = ROOT / "inputs" / "almaty-process-8th-som.yaml"


_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def bilingual_meeting() -> dict:
    """Return the large meeting in English and Russian, every operative paragraph in both."""
    data = large_meeting()
    data["languages"] = ["en", "ru"]
    data["outcome"]["done_at"]["languages"] = ["en", "ru"]
    for participant in data["participants"]:
        participant["signs_as"] = {"ru": f"Государство {participant['id']}"}
    for paragraph in data["outcome"]["paragraphs"]:
        paragraph["text"] = {"en": paragraph["text"], "ru": "Пункт по-русски. " * 12}
    return data


ANNEX_PAGES = 20
"""Pages of each generated annex."""


def write_annexes(folder: Path, count: int = 3) -> list[dict]:
    """Write count PDFs of ANNEX_PAGES pages each, text on every page in the embedded Noto
    Serif (so that they can be part of PDF/A), and return their entries for briefing.annexes."""
    from reportlab.pdfgen.canvas import Canvas

    from generator.fonts import face_name, register_pdf_fonts

    register_pdf_fonts()
    annexes = []
    for number in range(1, count + 1):
        name = f"annex-{number}.pdf"
        canvas = Canvas(str(folder / name), pagesize=(595.0, 842.0), invariant=1)
        for page in range(1, ANNEX_PAGES + 1):
            canvas.setFont(face_name(), 11)
            for line in range(40):
                canvas.drawString(60, 780 - line * 18, f"Annex {number}, page {page}, line "
                                  f"{line + 1}: remittances, regular migration and training.")
            canvas.showPage()
        canvas.save()
        annexes.append({"title": f"Generated annex {number}", "file": name})
    return annexes


STEPS = {
    "step: 1,000-row table (3 cells) to DOCX": """
from tests.sample_document import sample_document, para
from generator.document import Cell, Row, Table
from generator.writers.docx import render_docx
from dataclasses import replace
rows = tuple(Row(tuple(Cell((para(f"row {i} cell {j}", "Table Text"),)) for j in range(3)))
             for i in range(1000))
render_docx(replace(sample_document(rows=1), blocks=(Table((1, 3, 3), rows),)))
""",
    "step: 200-row table to PDF": """
from tests.sample_document import sample_document, para
from generator.document import Cell, Row, Table
from generator.writers.pdf import render_pdf
from dataclasses import replace
rows = tuple(Row((Cell((para(f"{n}:00", "Table Text"),)),
                  Cell((para(f"Item {n}: exchange of views on migration", "Table Text"),)),
                  Cell((para("Mr. Вюсал Гусейнов", "Table Text"),)))) for n in range(200))
render_pdf(replace(sample_document(rows=1), blocks=(Table((1, 3, 3), rows),)))
""",
    "step: PDF/A-2b archival step, 20 times": """
from tests.sample_document import sample_document
from generator.pdfa import archival
from generator.writers.pdf import render_pdf
document = sample_document()
plain = render_pdf(document, "none")
for _ in range(20):
    archival(plain, document.metadata, "2b")
""",
}
"""Steps the tests once timed, each in a fresh process (imports included: compare with the
"imports only" case)."""


def measure(arguments: list[str], runs: int) -> tuple[float, float, float]:
    """Return (best seconds, median seconds, peak MB) of the command, each run a fresh process."""
    times, peaks = [], []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", _WRAPPER, *arguments], check=True,
                                capture_output=True, text=True, cwd=ROOT)
        seconds, kilobytes = result.stdout.split()
        times.append(float(seconds))
        peaks.append(int(kilobytes) / 1024)
    return min(times), statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case (default 3)")
    runs = parser.parse_args().runs
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        large = Path(folder) / "large.yaml"
        large.write_text(yaml.safe_dump(large_meeting(), allow_unicode=True), encoding="utf-8")
        annexed = Path(folder) / "annexed.yaml"
        data = large_meeting()
        data["briefing"]["annexes"] = write_annexes(Path(folder))
        annexed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        bilingual = Path(folder) / "bilingual.yaml"
        bilingual.write_text(yaml.safe_dump(bilingual_meeting(), allow_unicode=True),
                             encoding="utf-8")
        out = str(Path(folder) / "out")
        cases = [
            ("imports only (reportlab, docx, jinja2, yaml, pydantic)",
             [python, "-c", "import reportlab.platypus, docx, jinja2, yaml, pydantic"]),
            ("example: 6 editions (en, ru, en+ru) x docx+pdf", [python, "-m", "generator", "build", str(EXAMPLE),
                                                 "--out", out]),
            ("large: protocol+agenda x docx+pdf", [python, "-m", "generator", "build", str(large),
                                                   "--only", "protocol,agenda", "--out", out]),
            ("large: briefing x docx+pdf", [python, "-m", "generator", "build", str(large),
                                            "--only", "briefing", "--out", out]),
            (f"large: briefing + 3 annexes of {ANNEX_PAGES} pages x docx+pdf",
             [python, "-m", "generator", "build", str(annexed), "--only", "briefing",
              "--out", str(Path(folder) / "out-annexed")]),  # the same meeting id as "large"
            ("large, en+ru: protocol side by side x docx+pdf",
             [python, "-m", "generator", "build", str(bilingual), "--only", "protocol",
              "--lang", "en+ru", "--out", out]),
        ] + [(name, [python, "-c", code]) for name, code in STEPS.items()]
        print(f"{'case':<55} {'best s':>7} {'median s':>9} {'peak MB':>8}")
        for name, command in cases:
            best, median, peak = measure(command, runs)
            print(f"{name:<55} {best:>7.2f} {median:>9.2f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
