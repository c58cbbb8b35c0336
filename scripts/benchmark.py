"""Print chancery's speed targets as ratios measured in one run, each build in a fresh process.

    python scripts/benchmark.py [--runs N] [--no-curve] [--no-docxtpl]

The unit is the import floor: a fresh Python importing reportlab.platypus, docx, jinja2 and yaml
and doing nothing else, measured in the same run. Cases: the example meeting in English (agenda,
protocol, briefing pack x DOCX + PDF) with the user's cache filled and with an empty one; all
six editions of the example; a generated large meeting (1,000 participants, 200 agenda items,
100 operative paragraphs): its protocol and agenda, its briefing pack (also with three 20-page
PDF annexes), and its protocol in English and Russian side by side (peak memory); a warm
rebuild of the example inside one process (what a watcher does); the route a docxtpl user takes
(three DOCX files from Word templates, then one LibreOffice call converting all three), when
docxtpl and LibreOffice are installed; and the cost per participant and per agenda item from
100 to 10,000 as a curve. Also single steps the tests once timed (a 1,000-row DOCX table, a
200-row PDF table, the PDF/A step), each in a fresh process, imports included.
Each round runs every case once, so that a machine's changing load weighs on all cases alike;
machines are shared and noisy: compare figures within one run, not across runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.meetings import large_meeting  # noqa: E402
EXAMPLE = ROOT / "inputs" / "almaty-process-8th-som.yaml"

FLOOR_IMPORTS = "import reportlab.platypus, docx, jinja2, yaml"
"""What the import floor imports: the libraries every build needs, and nothing of chancery."""

_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - start, used.ru_maxrss, used.ru_utime + used.ru_stime)
"""

_WARM = """
import shutil, statistics, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generator.build import rebuild
file, runs = sys.argv[2], int(sys.argv[3])
with tempfile.TemporaryDirectory() as folder:
    rebuild(file, Path(folder) / "first", languages=[("en",)])  # the process is warm from here
    times = []
    for run in range(runs):
        start = time.perf_counter()
        rebuild(file, Path(folder) / str(run), languages=[("en",)])
        times.append(time.perf_counter() - start)
print(min(times), statistics.median(times))
"""
"""A watcher's process: one build, then timed rebuilds of the same file, each written whole."""

_DOCXTPL = """
import subprocess, sys
from pathlib import Path
import yaml
from docxtpl import DocxTemplate

templates, meeting_file, out, profile = map(Path, sys.argv[1:5])
data = yaml.safe_load(meeting_file.read_text(encoding="utf-8"))

def en(value):
    return value.get("en", "") if isinstance(value, dict) else ("" if value is None else str(value))

people = {person["id"]: person for participant in data["participants"]
          for person in participant.get("delegation", [])}
def speaker(who):
    if isinstance(who, dict):
        return en(who.get("name"))
    return en(people[who]["name"]) if who in people else str(who)

def speakers(item):
    return "; ".join(speaker(who) for who in item.get("speakers", []))

def numbered(paragraphs, prefix=""):
    lines = []
    for number, paragraph in enumerate(paragraphs, 1):
        lines.append(f"{prefix}{number}. {en(paragraph['text'])}")
        lines += numbered(paragraph.get("paragraphs", []), f"{prefix}{number}.")
    return lines

items = [{"time": en(item.get("time", "TBC")), "title": en(item["title"]), "speakers": speakers(item)}
         for session in data["agenda"] for item in session["items"]]
titles = {item["id"]: en(item["title"]) for session in data["agenda"] for item in session["items"]}
states = sorted(data["participants"], key=lambda participant: en(participant["short_name"]))
common = {"title": en(data["title"]), "date": str(data["date"]), "city": en(data["city"])}
outcome = data["outcome"]
contexts = {
    "agenda": {**common, "items": items},
    "protocol": {**common, "preamble": [en(text) for text in outcome.get("preamble", [])],
                 "paragraphs": numbered(outcome.get("paragraphs", [])),
                 "signatories": [en(state.get("formal_name", state["short_name"])) for state in states]},
    "briefing": {**common, "objectives": [en(text) for text in data["briefing"].get("objectives", [])],
                 "briefs": [{"title": titles.get(brief["item"], brief["item"]),
                             "points": [en(point) for point in brief.get("points_to_make", [])],
                             "background": en(brief.get("background", ""))}
                            for brief in data["briefing"].get("items", [])]},
}
files = []
for name, context in contexts.items():
    document = DocxTemplate(str(templates / f"{name}.docx"))
    document.render(context)
    files.append(out / f"{name}.docx")
    document.save(str(files[-1]))
subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for name in contexts:
    if not (out / f"{name}.pdf").stat().st_size:
        raise SystemExit(f"LibreOffice wrote no {name}.pdf")
"""
"""The docxtpl route: three DOCX files from Word templates, then one LibreOffice conversion."""


@dataclass(frozen=True)
class Figure:
    """What the runs of one case measured."""

    best: float
    """The fastest run, seconds."""
    median: float
    """The median run, seconds."""
    peak: float
    """The largest peak resident memory of a run, MB."""
    cpu: float
    """The least processor time of a run (user and system, the command's processes), seconds:
    it moves far less than the time on the clock when other programs share the processor."""


def run_once(arguments: list[str], env: dict[str, str] | None = None
             ) -> tuple[float, float, float]:
    """Return the seconds, the peak memory (MB) and the processor seconds of the command in a
    fresh process."""
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *arguments], check=True,
                            capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, **(env or {})})
    seconds, kilobytes, cpu = result.stdout.split()
    return float(seconds), int(kilobytes) / 1024, float(cpu)


def figure(runs: list[tuple[float, float, float]]) -> Figure:
    """Return the figure of a case's runs, each (seconds, peak MB, processor seconds)."""
    times = [seconds for seconds, _, _ in runs]
    return Figure(min(times), statistics.median(times), max(peak for _, peak, _ in runs),
                  min(cpu for _, _, cpu in runs))


def measure(arguments: list[str], runs: int, env: dict[str, str] | None = None,
            before=None) -> Figure:
    """Return the figure of the command, each run a fresh process (before() is called ahead of
    each run, untimed)."""
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(run_once(arguments, env))
    return figure(results)


@dataclass(frozen=True)
class Case:
    """A build measured against the floor."""

    key: str
    label: str
    command: list[str]
    target: float | None = None
    """The most this case may take, as a multiple of the floor; None for no target."""
    env: dict[str, str] | None = None
    before: object = None
    """Called ahead of each run, untimed (such as emptying the output folder), or None."""


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


def write_word_templates(folder: Path) -> None:
    """Write the docxtpl route's Word templates of the agenda, protocol and briefing pack: the
    same parts as chancery's, in Jinja tags inside the Word file."""
    import docx

    def document(title_lines: list[str]):
        word = docx.Document()
        for line in title_lines:
            word.add_heading(line, level=1)
        return word

    agenda = document(["{{ title }}", "{{ city }}, {{ date }}"])
    table = agenda.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Time", "Item", "Speakers")):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for item in items %}"
    for cell, text in zip(table.rows[2].cells, ("{{ item.time }}", "{{ item.title }}",
                                                "{{ item.speakers }}")):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    agenda.save(str(folder / "agenda.docx"))

    protocol = document(["{{ title }}", "Outcome Protocol"])
    for lines in (["{%p for text in preamble %}", "{{ text }}", "{%p endfor %}"],
                  ["{%p for text in paragraphs %}", "{{ text }}", "{%p endfor %}"],
                  ["Done at {{ city }} on {{ date }}."],
                  ["{%p for state in signatories %}", "For the {{ state }}", "________________",
                   "{%p endfor %}"]):
        for line in lines:
            protocol.add_paragraph(line)
    protocol.save(str(folder / "protocol.docx"))

    briefing = document(["{{ title }}", "Briefing pack"])
    for line in ("Objectives", "{%p for text in objectives %}", "{{ text }}", "{%p endfor %}",
                 "{%p for brief in briefs %}", "{{ brief.title }}",
                 "{%p for point in brief.points %}", "{{ point }}", "{%p endfor %}",
                 "{{ brief.background }}", "{%p endfor %}"):
        briefing.add_paragraph(line)
    briefing.save(str(folder / "briefing.docx"))


def docxtpl_route(folder: Path) -> list[str] | None:
    """Return the docxtpl route's command (LibreOffice's profile made ahead, as a regular
    user's is), or None when docxtpl or LibreOffice is missing."""
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        return None
    if shutil.which("soffice") is None:
        return None
    templates, out, profile = folder / "word-templates", folder / "docxtpl-out", folder / "lo-profile"
    for made in (templates, out):
        made.mkdir()
    write_word_templates(templates)
    command = [sys.executable, "-c", _DOCXTPL, str(templates), str(EXAMPLE), str(out), str(profile)]
    subprocess.run(command, check=True)  # first LibreOffice start: makes the profile, untimed
    return command


def warm_rebuild(runs: int) -> tuple[float, float]:
    """Return the best and median seconds of rebuilding the example in English inside one
    warm process."""
    result = subprocess.run([sys.executable, "-c", _WARM, str(ROOT), str(EXAMPLE), str(max(runs, 5))],
                            check=True, capture_output=True, text=True, cwd=ROOT)
    best, median = map(float, result.stdout.split())
    return best, median


CURVE = (100, 1000, 10000)
"""The numbers of participants, then of agenda items, the cost curve is measured at."""


FLAT = 1.5
"""The cost of each participant (or agenda item) added from 1,000 to 10,000 is flat if it is at
most this multiple of its cost from 100 to 1,000."""


def curve(folder: Path, runs: int) -> list[tuple[str, bool]]:
    """Print the seconds of the protocol and agenda x DOCX + PDF at each number of participants
    (20 agenda items) and of agenda items (100 participants), and the cost of each added one;
    return, for participants and for agenda items, whether that cost is flat (see FLAT)."""
    python = sys.executable
    flat = []
    for what, make in (("participants", lambda n: large_meeting(n, 20, 10)),
                       ("agenda items", lambda n: large_meeting(100, n, 10))):
        print(f"\ncost per {what[:-1]} (protocol + agenda x docx+pdf, {runs} run(s) each)")
        print(f"{what:>14} {'best s':>8} {'ms each':>9} {'ms each added':>14} {'peak MB':>8}")
        previous = None
        added_costs = []
        for count in CURVE:
            source = folder / f"curve-{what[0]}-{count}.yaml"
            # lines unfolded: folded at 80 columns, 10,000 agenda items exceed the 8 MB a
            # meeting file may have
            source.write_text(yaml.safe_dump(make(count), allow_unicode=True, width=10**9),
                              encoding="utf-8")
            out = folder / f"curve-out-{what[0]}-{count}"
            figure = measure([python, "-m", "generator", "build", str(source), "--only",
                              "protocol,agenda", "--out", str(out)], runs,
                             before=lambda out=out: shutil.rmtree(out, ignore_errors=True))
            added = ("" if previous is None else
                     f"{(figure.best - previous[1]) / (count - previous[0]) * 1000:.2f}")
            if previous is not None:
                added_costs.append((figure.best - previous[1]) / (count - previous[0]))
            print(f"{count:>14,} {figure.best:>8.2f} {figure.best / count * 1000:>9.2f} "
                  f"{added:>14} {figure.peak:>8.0f}", flush=True)
            previous = (count, figure.best)
        flat.append((what, added_costs[-1] <= FLAT * max(added_costs[-2], 1e-9)))
    return flat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case (default 3)")
    parser.add_argument("--curve-runs", type=int, default=1,
                        help="runs per point of the cost curve (default 1)")
    parser.add_argument("--no-curve", action="store_true",
                        help="leave out the cost curve (its 10,000 builds take minutes)")
    parser.add_argument("--no-docxtpl", action="store_true", help="leave out the docxtpl route")
    options = parser.parse_args()
    runs, python = options.runs, sys.executable
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        large = folder / "large.yaml"
        large.write_text(yaml.safe_dump(large_meeting(), allow_unicode=True), encoding="utf-8")
        annexed = folder / "annexed.yaml"
        data = large_meeting()
        data["briefing"]["annexes"] = write_annexes(folder)
        annexed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        bilingual = folder / "bilingual.yaml"
        bilingual.write_text(yaml.safe_dump(bilingual_meeting(), allow_unicode=True),
                             encoding="utf-8")
        out = folder / "out"

        def fresh_out() -> None:
            shutil.rmtree(out, ignore_errors=True)

        def build(source: Path, *arguments: str) -> list[str]:
            return [python, "-m", "generator", "build", str(source), *arguments, "--out", str(out)]

        # chancery's modules compiled as pip compiles them at install (else a run with
        # PYTHONDONTWRITEBYTECODE set compiles every module from source, as no user's does)
        subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)
        empty_cache = folder / "empty-cache"
        subprocess.run(build(EXAMPLE), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # fills the cache
        route = None if options.no_docxtpl else docxtpl_route(folder)

        cases = [
            Case("floor", f"import floor: {FLOOR_IMPORTS.removeprefix('import ')}",
                 [python, "-c", FLOOR_IMPORTS]),
            Case("example-en", "example, en: agenda, protocol, briefing x docx+pdf",
                 build(EXAMPLE, "--lang", "en"), 3, before=fresh_out),
            Case("example-first", "  the same, first run (empty user cache)",
                 build(EXAMPLE, "--lang", "en"), env={"CHANCERY_CACHE_DIR": str(empty_cache)},
                 before=lambda: (fresh_out(), shutil.rmtree(empty_cache, ignore_errors=True))),
            Case("example", "example: 6 editions (en, ru, en+ru) x docx+pdf", build(EXAMPLE),
                 4, before=fresh_out),
            Case("large", "large: protocol+agenda x docx+pdf",
                 build(large, "--only", "protocol,agenda"), 6, before=fresh_out),
            Case("briefing", "large: briefing x docx+pdf", build(large, "--only", "briefing"),
                 before=fresh_out),
            Case("annexed", f"large: briefing + 3 annexes of {ANNEX_PAGES} pages x docx+pdf",
                 build(annexed, "--only", "briefing"), before=fresh_out),
            Case("bilingual", "large, en+ru: protocol side by side x docx+pdf",
                 build(bilingual, "--only", "protocol", "--lang", "en+ru"), before=fresh_out),
        ] + [Case(f"step-{number}", name, [python, "-c", code])
             for number, (name, code) in enumerate(STEPS.items())]
        if route is not None:
            cases.append(Case("docxtpl", "docxtpl: 3 docx, then 1 LibreOffice call for 3 pdf",
                              route))
        # every case once a round, so that the machine's load weighs on all of them alike
        results: dict[str, list[tuple[float, float, float]]] = {case.key: [] for case in cases}
        for round_number in range(runs):
            print(f"round {round_number + 1} of {runs}", file=sys.stderr, flush=True)
            for case in cases:
                if case.before:
                    case.before()
                results[case.key].append(run_once(case.command, case.env))
        figures = {key: figure(measured) for key, measured in results.items()}

        targets: list[tuple[str, bool]] = []

        def verdict(name: str, met: bool) -> str:
            targets.append((name, met))
            return "met" if met else "MISSED"

        print(f"{'case':<58} {'best s':>7} {'median s':>9} {'peak MB':>8} {'cpu s':>6}  "
              "ratio (target; ratio of processor time)")
        for case in cases:
            measured = figures[case.key]
            ratio = "" if case.key == "floor" else measured.best / figures["floor"].best
            shown = "" if ratio == "" else f"{ratio:.2f}x floor"
            if case.target is not None:
                shown += (f" (at most {case.target:g}x: "
                          f"{verdict(case.label, ratio <= case.target)})")
            if ratio != "":
                shown += f"; cpu {measured.cpu / figures['floor'].cpu:.2f}x"
            print(f"{case.label:<58} {measured.best:>7.2f} {measured.median:>9.2f} "
                  f"{measured.peak:>8.0f} {measured.cpu:>6.2f}  {shown}")
            if case.key == "bilingual":
                print(f"{'':<58} peak {measured.peak:.0f} MB (under 150 MB: "
                      f"{verdict('large, en+ru: peak memory', measured.peak < 150)})")
            if case.key == "docxtpl":
                faster = measured.best / figures["example-en"].best
                print(f"{'':<58} chancery (example, en) is {faster:.2f}x faster (at least 3x: "
                      f"{verdict('ahead of docxtpl', faster >= 3)}; in processor time "
                      f"{measured.cpu / figures['example-en'].cpu:.2f}x)")
        if route is None:
            print("docxtpl route: left out (" + ("--no-docxtpl" if options.no_docxtpl else
                  "docxtpl or LibreOffice's soffice is not installed") + ")")
        best, median = warm_rebuild(runs)
        print(f"{'warm rebuild of the example, en, inside one process':<58} {best:>7.2f} "
              f"{median:>9.2f} {'':>8}  (under 0.3 s: {verdict('warm rebuild', best < 0.3)})",
              flush=True)
        if not options.no_curve:
            for what, flat in curve(folder, options.curve_runs):
                print(f"cost per {what[:-1]}: the last step adds at most {FLAT}x the ms each of "
                      f"the one before: {verdict(f'cost per {what[:-1]} flat', flat)}")
        missed = [name for name, met in targets if not met]
        print(f"\ntargets: {len(targets) - len(missed)} of {len(targets)} met"
              + (f"; missed: {'; '.join(missed)}" if missed else ""), flush=True)


if __name__ == "__main__":
    main()
