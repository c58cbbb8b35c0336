"""Print how long chancery watch takes to rebuild the Almaty example once warm.

    python scripts/watch_timing.py [--format docx,pdf] [--rounds N]

A copy of the example is built once (cold), then edited and rebuilt N times in the same
process, as `chancery watch` does: once in a text of the briefing pack only, once in a
participant's English name (every English document changes). Each round is one save: load and
check the file, make every document, lay out those that changed, write the archive.
Machines are shared and noisy: compare figures within one run, not across runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator import cli  # noqa: E402
from generator.templating import default_templates  # noqa: E402
from generator.watcher import RenderMemo  # noqa: E402

EXAMPLE = ROOT / "inputs" / "almaty-process-8th-som.yaml"
EDITS = {"a briefing text": "Have the Outcome Protocol signed",
         "a participant's name": "en: Vusal Huseynov"}


def main() -> None:
    """Print the cold build's time and the median warm rebuild of each edit, in seconds."""
    options = argparse.ArgumentParser()
    options.add_argument("--format", default="docx,pdf")
    options.add_argument("--rounds", type=int, default=5)
    given = options.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        meeting = Path(folder) / EXAMPLE.name
        shutil.copy(EXAMPLE, meeting)
        text = meeting.read_text(encoding="utf-8")
        arguments = cli.parser().parse_args(["watch", str(meeting), "--out", str(Path(folder) / "out"),
                                             "--format", given.format])
        arguments.files, arguments.replace_draft = [arguments.file], True
        memo = RenderMemo()
        started = time.perf_counter()
        cli._watch_round(arguments, default_templates(), memo)
        print(f"cold build: {time.perf_counter() - started:.3f} s")
        for what, anchor in EDITS.items():
            times = []
            for number in range(1, given.rounds + 1):
                meeting.write_text(text.replace(anchor, f"{anchor} {what[0]}{number}"),
                                   encoding="utf-8")
                started = time.perf_counter()
                result = cli._watch_round(arguments, default_templates(), memo)
                times.append(time.perf_counter() - started)
                assert not result.problems, result.problems
            print(f"edit of {what}: median {statistics.median(times):.3f} s, "
                  f"max {max(times):.3f} s over {given.rounds} rounds")


if __name__ == "__main__":
    main()
