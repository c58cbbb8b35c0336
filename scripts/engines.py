"""The two PDF engines side by side: the same examples through reportlab and Typst, in one run.

    python scripts/engines.py               # every example in inputs/, a table in Markdown
    python scripts/engines.py --json        # the figures as JSON
    python scripts/engines.py --repeat 5    # time each document five times (the best counts)

For each engine it reports: the cold build (a new Python process building every PDF of an
example, import included) and its peak memory; the time per document once warm; pages and
file size; the validators (PDF/A self-check at 2b, Apache PDFBox Preflight at 1b, the pdfua
checker on the engine's tagged output, which reportlab cannot make); and typesetting quality
read from the pages by pdftotext -bbox-layout: the widest gap between words of each justified
line (a line whose text reaches the right margin and is not a paragraph's last), hyphenated
lines and headings left as the last line of a page. Run it from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGINES = ("reportlab", "typst")
LIST_MARK = re.compile(r"^(•|\(?[0-9]+(\.[0-9]+)*\.?\)?|\([a-z]+\))$")
"""A paragraph number or bullet, set in its own hanging space rather than between words."""
CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from generator.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cold_build(source: Path, engine: str, out: Path) -> dict:
    """Return the wall time (s, interpreter start included) and peak memory (MB) of a new
    process building every PDF of the example with the engine."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "build", str(source), "--format", "pdf", "--pdf-engine",
         engine, "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {"seconds": round(wall, 2), "peak_mb": round(figures["peak_mb"], 1)}


def words_by_line(pdf: Path) -> list[list[dict]]:
    """Return each page's lines as pdftotext -bbox-layout reads them: per line its words'
    boxes (pt, y down) and text, with the page size."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8", "replace")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    xml = re.sub(r'xmlns="[^"]*"', "", xml)
    root = ElementTree.fromstring(xml)
    pages = []
    for page in root.iter("page"):
        lines = []
        for block in page.iter("block"):
            block_lines = list(block.iter("line"))
            for index, line in enumerate(block_lines):
                words = [{"x0": float(word.get("xMin")), "x1": float(word.get("xMax")),
                          "y0": float(word.get("yMin")), "y1": float(word.get("yMax")),
                          "text": word.text or ""} for word in line.iter("word")]
                if words:
                    lines.append({"words": words, "last_in_block": index == len(block_lines) - 1,
                                  "width": float(page.get("width")),
                                  "height": float(page.get("height"))})
        pages.append(lines)
    return pages


def quality(pdf: Path, headings: set[str]) -> dict:
    """Return the typesetting figures read from the PDF's pages (see the module docstring)."""
    from generator.stylesheet import MARGIN, MM

    margin = MARGIN * MM
    gaps, hyphenated, heading_feet = [], 0, 0
    for lines in words_by_line(pdf):
        body = [line for line in lines
                if margin - 2 < line["words"][0]["y0"] and line["words"][0]["y1"] < line["height"] - margin + 2]
        for line in body:
            words = line["words"]
            text = words[-1]["text"]
            if re.search(r"\w[-\u00ad]+$", text):
                hyphenated += 1
            reaches = words[-1]["x1"] > line["width"] - margin - 1.5  # punctuation may hang
            if reaches and not line["last_in_block"] and len(words) > 3:
                height = words[0]["y1"] - words[0]["y0"]
                if LIST_MARK.match(words[0]["text"]):  # a hanging number or bullet
                    words = words[1:]
                widest = max(b["x0"] - a["x1"] for a, b in zip(words, words[1:]))
                gaps.append(widest / height if height else 0)  # in line heights (~ font size)
        if body:
            last = " ".join(word["text"] for word in body[-1]["words"])
            if any(last and heading.startswith(last) for heading in headings if len(last) > 3):
                heading_feet += 1
    return {"justified_lines": len(gaps),
            "widest_gap_median_em": round(statistics.median(gaps), 3) if gaps else None,
            "widest_gap_max_em": round(max(gaps), 3) if gaps else None,
            "gaps_over_half_em": sum(gap > 0.5 for gap in gaps), "gaps": gaps,
            "hyphenated_lines": hyphenated, "headings_at_page_foot": heading_feet}


def heading_texts(document) -> set[str]:
    """Return the text of every heading in the document."""
    from generator.document import Heading, Parallel, Part, Table

    found = set()

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Heading):
                found.add("".join(run.text for run in block.runs))
            elif isinstance(block, Part):
                walk(block.blocks)
            elif isinstance(block, Parallel):
                for cell in block.cells:
                    walk(cell.blocks)
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell.blocks)

    walk(document.blocks)
    return found


def preflight_errors(files: dict[str, bytes], folder: Path) -> dict[str, list[str]]:
    """Return Apache PDFBox Preflight's errors per file (empty: valid PDF/A-1b)."""
    from tests.test_pdfa import preflight

    folder.mkdir(parents=True, exist_ok=True)
    return preflight(files, folder)


def pdfua_findings(data: bytes, folder: Path) -> int:
    """Return the number of findings of the pdfua checker on the PDF."""
    import pdfua

    path = folder / "ua.pdf"
    path.write_bytes(data)
    return len(pdfua.validate(str(path)).findings)


def measure(repeat: int) -> dict:
    """Return every figure, by engine and document."""
    from generator.build import available_documents, editions, make_document
    from generator.inputs import load_meeting
    from generator.pdfa import check_pdfa
    from generator.rendering import pdf_writer
    from generator.templating import default_templates

    from generator.pdf_scripts import unsettable

    sources = []
    documents = {}
    for source in sorted((ROOT / "inputs").glob("*.yaml")):  # only what both engines can set
        loaded = load_meeting(str(source))
        made = {f"{loaded.meeting.id}/{edition.stem}": (edition, make_document(
            loaded, edition, default_templates())[0])
            for edition in editions(loaded, available_documents(loaded))}
        if any(unsettable(edition.languages, document) for edition, document in made.values()):
            continue  # Arabic or Chinese: reportlab refuses it
        sources.append(source)
        documents.update({name: document for name, (_, document) in made.items()})
    results: dict = {"cold": {}, "documents": {}}
    with tempfile.TemporaryDirectory(prefix="chancery-engines-") as folder:
        folder = Path(folder)
        for engine in ENGINES:
            results["cold"][engine] = {source.stem: cold_build(source, engine, folder / f"cold-{engine}")
                                       for source in sources}
        for engine in ENGINES:
            write = pdf_writer(engine)
            write(next(iter(documents.values())), pdfa="2b")  # warm: imports, fonts
            level_1b = {}
            for name, document in documents.items():
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    data = write(document, pdfa="2b")[0]
                    times.append(time.perf_counter() - start)
                path = folder / f"{engine}-{name.replace('/', '-')}.pdf"
                path.write_bytes(data)
                from pypdf import PdfReader

                figures = {"seconds": round(min(times), 3), "pages": len(PdfReader(str(path)).pages),
                           "kb": round(len(data) / 1024, 1),
                           "pdfa_2b_self_check": len(check_pdfa(data, "2b"))}
                level_1b[name] = write(document, pdfa="1b")[0]
                figures["pdfa_1b_self_check"] = len(check_pdfa(level_1b[name], "1b"))
                if engine == "typst":
                    tagged = pdf_writer(engine, pdfua=True)(document, pdfa="2b")[0]
                    figures["pdfua_findings"] = pdfua_findings(tagged, folder)
                else:
                    figures["pdfua_findings"] = None  # reportlab cannot tag
                figures.update(quality(path, heading_texts(document)))
                results["documents"].setdefault(name, {})[engine] = figures
            errors = preflight_errors({name.replace("/", "-"): data for name, data in level_1b.items()},
                                      folder / f"preflight-{engine}")
            for name in documents:
                results["documents"][name][engine]["preflight_1b_errors"] = len(
                    errors[name.replace("/", "-")])
    return results


def markdown(results: dict) -> str:
    """Return the figures as Markdown tables."""
    lines = ["| example | reportlab cold (s) | typst cold (s) | reportlab peak (MB) | typst peak (MB) |",
             "|---|---:|---:|---:|---:|"]
    for example in results["cold"]["reportlab"]:
        r, t = results["cold"]["reportlab"][example], results["cold"]["typst"][example]
        lines.append(f"| {example} | {r['seconds']} | {t['seconds']} | {r['peak_mb']} | {t['peak_mb']} |")
    lines += ["", "| document | engine | s | pages | KB | 2b self-check | 1b self-check | Preflight 1b "
              "| PDF/UA findings | justified lines | widest gap median (em) | max (em) | gaps > ½ em "
              "| hyphenated | headings at foot |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    totals = {engine: {} for engine in ENGINES}
    for name, engines in results["documents"].items():
        for engine, f in engines.items():
            ua = "n/a" if f["pdfua_findings"] is None else f["pdfua_findings"]
            lines.append(
                f"| {name} | {engine} | {f['seconds']} | {f['pages']} | {f['kb']} | "
                f"{f['pdfa_2b_self_check']} | {f['pdfa_1b_self_check']} | {f['preflight_1b_errors']} | "
                f"{ua} | {f['justified_lines']} | {f['widest_gap_median_em']} | "
                f"{f['widest_gap_max_em']} | {f['gaps_over_half_em']} | {f['hyphenated_lines']} | "
                f"{f['headings_at_page_foot']} |")
            for key in ("seconds", "pages", "kb", "justified_lines", "gaps_over_half_em",
                        "hyphenated_lines", "headings_at_page_foot", "preflight_1b_errors"):
                totals[engine][key] = totals[engine].get(key, 0) + f[key]
    lines += ["", "| totals | s | pages | KB | justified lines | widest gap median (em) | "
              "90th percentile (em) | gaps > ½ em | hyphenated | headings at foot | Preflight errors |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for engine, t in totals.items():
        gaps = sorted(gap for engines in results["documents"].values()
                      for gap in engines[engine]["gaps"])
        median = round(statistics.median(gaps), 3) if gaps else None
        high = round(gaps[int(0.9 * (len(gaps) - 1))], 3) if gaps else None
        lines.append(f"| {engine} | {t['seconds']:.2f} | {t['pages']} | {t['kb']:.0f} | "
                     f"{t['justified_lines']} | {median} | {high} | {t['gaps_over_half_em']} | "
                     f"{t['hyphenated_lines']} | {t['headings_at_page_foot']} | "
                     f"{t['preflight_1b_errors']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--repeat", type=int, default=3, help="timings per document (best kept)")
    arguments = parser.parse_args()
    os.environ.setdefault("CHANCERY_REQUIRE_TOOLS", "1")
    results = measure(max(arguments.repeat, 1))
    print(json.dumps(results, indent=1) if arguments.json else markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
