"""Mutation testing: put deliberate bugs into a scratch copy and print which ones no test catches.

    python scripts/mutate.py                 # every mutation, one at a time
    python scripts/mutate.py --jobs 2        # two at a time, each in its own copy
    python scripts/mutate.py --only dates    # the mutations whose name starts with "dates"
    python scripts/mutate.py --list          # name, file and tests of each mutation
    python scripts/mutate.py --tree DIR      # mutate another checkout (e.g. an older commit)

Each mutation replaces one snippet of one source file (it must occur there exactly once, else
the mutation is stale and the run stops: update it with the code), then runs the tests named
for it; a mutation is caught ("killed") when they fail, and survives when they pass. The
working tree is never touched: the mutations are made in copies under the system's temporary
folder. Exit status 0 when every mutation is caught, 1 when one survives, 2 for a stale
mutation or tests that fail before any mutation. Run it before closing an issue that touches
the writers, collation, dates, the archive or escaping, and add a mutation for each bug a
new test is written to catch.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PDF_TESTS = ("tests/test_pdf_writer.py", "tests/test_documents.py", "tests/test_contents.py",
             "tests/test_parallel.py", "tests/test_annexes.py")
DOCX_TESTS = ("tests/test_docx_writer.py", "tests/test_documents.py", "tests/test_contents.py",
              "tests/test_parallel.py", "tests/test_clients.py")
COLLATION_TESTS = ("tests/test_conventions.py", "tests/test_documents.py",
                   "tests/test_languages.py")
DATE_TESTS = ("tests/test_conventions.py", "tests/test_languages.py", "tests/test_golden.py")
ARCHIVE_TESTS = ("tests/test_archive.py",)
SCRIPT_TESTS = ("tests/test_scripts.py",)
MARKS_TESTS = ("tests/test_marks.py",)
CACHE_TESTS = ("tests/test_caches.py",)
TYPST_TESTS = ("tests/test_typst_writer.py",)
ESCAPING_TESTS = ("tests/test_pdf_writer.py", "tests/test_documents.py", "tests/test_properties.py")


@dataclass(frozen=True)
class Mutation:
    """One deliberate bug: a snippet of a source file replaced by another."""

    name: str
    """A short name, its area first ("pdf-", "docx-", "collation-", "dates-", "archive-",
    "escaping-", "caches-")."""
    path: str
    """The file, relative to the repository's root."""
    old: str
    """The snippet as it is in the file, exactly once."""
    new: str
    """What it becomes."""
    tests: tuple[str, ...]
    """The pytest arguments (files or test ids) that should catch it."""


MUTATIONS = (
    # --- the PDF writer
    Mutation("pdf-cover-furniture-drawn", "generator/writers/pdf.py",
             "        if not (first and self.page.cover):\n            self.draw_header(canvas)",
             "        if True:\n            self.draw_header(canvas)", ("tests/test_housestyle.py",)),
    Mutation("pdf-heading-colour-dropped", "generator/stylesheet.py",
             'if name in COLOURED and house.heading_colour != "000000":', "if False:",
             ("tests/test_housestyle.py",)),
    Mutation("docx-cover-page-number", "generator/writers/docx.py",
             "        if page.cover:\n            footer.is_linked_to_previous = False",
             "        if False:\n            footer.is_linked_to_previous = False",
             ("tests/test_housestyle.py",)),
    Mutation("style-svg-external-image-allowed", "generator/housestyle.py",
             'if tag in ("image", "use", "script", "foreignObject", "feImage")', "if tag in ()",
             ("tests/test_housestyle.py",)),
    Mutation("pdf-bullet-twice", "generator/writers/pdf.py",
             "            paragraph.keepWithNext = 1\n        return [paragraph]",
             "            paragraph.keepWithNext = 1\n"
             "        return [paragraph, paragraph] if node.style == 'Bullet' else [paragraph]",
             ("tests/test_documents.py::test_pdf_text_is_the_model_text_exactly",)),
    Mutation("pdf-number-dropped", "generator/writers/pdf.py",
             "bullet = node.number or (stylesheet.BULLET",
             "bullet = (stylesheet.BULLET", PDF_TESTS),
    Mutation("pdf-signature-title-dropped", "generator/writers/pdf.py",
             "                  for text in (node.name, node.title) if text]",
             "                  for text in (node.name,) if text]", PDF_TESTS),
    Mutation("pdf-signature-block-split", "generator/writers/pdf.py",
             "        return [KeepTogether(self.signature_parts(node))]",
             "        return self.signature_parts(node)", PDF_TESTS),
    Mutation("pdf-signature-last-block-alone", "generator/writers/pdf.py",
             "            rows[-2:] = [KeepTogether(rows[-2:])]", "            pass",
             ("tests/test_signatures.py",)),
    Mutation("pdf-signatures-one-column", "generator/writers/__init__.py",
             "    columns = max(node.columns, 1)", "    columns = 1", ("tests/test_signatures.py",)),
    Mutation("side-by-side-two-blocks-per-party", "generator/transforms.py",
             "        elif isinstance(row[0], Signatures):  # one instrument",
             "        elif False:  # one instrument", ("tests/test_signatures.py",)),
    Mutation("hyphenation-splits-names", "generator/hyphenation.py",
             "    if not word or any(char.isupper() or char.isdigit() for char in word):",
             "    if not word:", ("tests/test_typesetting.py",)),
    Mutation("pdf-testimonium-not-apart", "generator/stylesheet.py",
             "space_before=TESTIMONIUM_SPACE,", "space_before=0,", ("tests/test_signatures.py",)),
    Mutation("pdf-title-not-balanced", "generator/writers/pdf.py",
             "            node = balance(node, self.state.width, spec.size, spec.bold)",
             "            pass", ("tests/test_typesetting.py",)),
    Mutation("pdf-narrow-columns-justified", "generator/writers/pdf.py",
             "        ragged = self.state.width < stylesheet.NARROW_MEASURE * MM",
             "        ragged = False", ("tests/test_typesetting.py",)),
    Mutation("pdf-header-row-not-repeated", "generator/writers/pdf.py",
             "repeatRows=repeat,", "repeatRows=0,", PDF_TESTS),
    Mutation("pdf-contents-page-off-by-one", "generator/writers/pdf.py",
             "number = ParagraphFlowable(str(page), self.page_style)",
             "number = ParagraphFlowable(str(page + 1), self.page_style)", PDF_TESTS),
    Mutation("pdf-marking-missing", "generator/furniture.py",
             "if page.marking else ()", "if False else ()", PDF_TESTS),
    Mutation("pdf-watermark-missing", "generator/writers/pdf.py",
             "        if self.page.watermark:\n            self.draw_watermark",
             "        if False:\n            self.draw_watermark", PDF_TESTS),
    Mutation("pdf-classification-once", "generator/writers/pdf.py",
             "        canvas.drawCentredString(self.width / 2, footer_classification_middle(bottom)",
             "        (lambda *drawn: None)(self.width / 2, footer_classification_middle(bottom)",
             PDF_TESTS + ("tests/test_marks.py",)),
    Mutation("pdf-classification-small", "generator/writers/pdf.py",
             "size = self.house.size  # the body's\n        font = face_name(bold=True)",
             "size = stylesheet.FURNITURE_SIZE\n        font = face_name(bold=True)",
             ("tests/test_marks.py",)),
    Mutation("docx-classification-top-only", "generator/writers/docx.py",
             "for container, top in ((header, True), (footer, False)):",
             "for container, top in ((header, True),):", ("tests/test_marks.py",)),
    Mutation("pdf-page-label-off-by-one", "generator/writers/pdf.py",
             '.replace("{page}", str(page))', '.replace("{page}", str(page - 1))', PDF_TESTS),
    Mutation("pdf-columns-swapped", "generator/writers/pdf.py",
             "for cell, language in zip(node.cells, node.languages)]",
             "for cell, language in zip(node.cells[::-1], node.languages[::-1])]", PDF_TESTS),
    Mutation("pdf-annex-page-lost", "generator/writers/pdf.py",
             "        for index in range(node.pages):",
             "        for index in range(node.pages - 1):", PDF_TESTS),
    # --- the DOCX writer
    Mutation("docx-bullet-twice", "generator/writers/docx.py",
             "                             language=self.state.language)\n"
             "        self.add_runs(paragraph, node.runs)",
             "                             language=self.state.language)\n"
             "        self.add_runs(paragraph, node.runs)\n"
             "        if node.style == 'Bullet':\n"
             "            self.add_runs(self.add_paragraph(node.style), node.runs)", DOCX_TESTS),
    Mutation("docx-number-dropped", "generator/writers/docx.py",
             "        if node.number:\n            docx_xml.add_run(paragraph, f\"{node.number}",
             "        if False:\n            docx_xml.add_run(paragraph, f\"{node.number}",
             DOCX_TESTS),
    Mutation("docx-signature-rows-all-kept", "generator/writers/docx.py",
             "docx_xml.set_keep_with_next(paragraph, keep)",
             "docx_xml.set_keep_with_next(paragraph, True)",
             ("tests/test_signatures.py", *DOCX_TESTS)),
    Mutation("docx-signature-line-space-dropped", "generator/writers/docx.py",
             "docx_xml.set_spacing(paragraph, before=stylesheet.SIGNATURE_SPACE - 0.7)",
             "pass", ("tests/test_signatures.py", *DOCX_TESTS)),
    Mutation("docx-signature-title-dropped", "generator/writers/docx.py",
             'lines += [("Signature", line) for line in (node.name, node.title) if line]',
             'lines += [("Signature", line) for line in (node.name,) if line]', DOCX_TESTS),
    Mutation("docx-header-row-not-repeated", "generator/writers/docx_xml.py",
             '    if header:\n        add_child(properties, "w:tblHeader")',
             '    if False:\n        add_child(properties, "w:tblHeader")', DOCX_TESTS),
    Mutation("docx-rows-may-split", "generator/writers/docx_xml.py",
             '    if not split:\n        add_child(properties, "w:cantSplit")',
             '    if False:\n        add_child(properties, "w:cantSplit")', DOCX_TESTS),
    Mutation("docx-contents-page-off-by-one", "generator/writers/docx_xml.py",
             "    append_run(link, str(page), language=language)",
             "    append_run(link, str(page + 1), language=language)", DOCX_TESTS),
    Mutation("docx-watermark-always", "generator/writers/docx.py",
             "        if page.watermark:\n            docx_xml.add_watermark(paragraph, "
             "page.watermark,",
             "        if True:\n            docx_xml.add_watermark(paragraph, "
             "page.watermark or 'DRAFT',",
             ("tests/test_documents.py::test_draft_marking_on_every_page_and_none_when_final",)),
    Mutation("docx-watermark-missing", "generator/writers/docx.py",
             "        if page.watermark:\n            docx_xml.add_watermark(paragraph, ",
             "        if False:\n            docx_xml.add_watermark(paragraph, ",
             DOCX_TESTS),
    Mutation("docx-contents-page-fixed-text", "generator/writers/docx_xml.py",
             'code.text = f" PAGEREF {name} \\\\h "', 'code.text = ""', ("tests/test_finish.py",)),
    Mutation("docx-watermark-hollow", "generator/writers/docx_xml.py",
             'fill.set("on", "t")', 'fill.set("on", "f")', ("tests/test_finish.py",)),
    Mutation("docx-watermark-upright", "generator/writers/docx_xml.py",
             "rotation:{360 - angle:.1f}", "rotation:{angle:.1f}", ("tests/test_finish.py",)),
    Mutation("docx-header-no-hairline", "generator/writers/docx.py",
             "        if lines:\n            docx_xml.add_bottom_border(",
             "        if False:\n            docx_xml.add_bottom_border(",
             ("tests/test_docx_writer.py",)),
    Mutation("docx-header-ordinal-on-the-baseline", "generator/writers/docx.py",
             "                                 superscript=run.superscript)",
             "                                 superscript=False)", ("tests/test_docx_writer.py",)),
    Mutation("docx-fonts-whole", "generator/writers/docx_xml.py",
             "    data = subset(data, text)", "    data = data",
             ("tests/test_docx_writer.py", "tests/test_clients.py")),
    Mutation("docx-subset-without-the-alphabets", "generator/subsets.py",
             "    characters = set(ALWAYS | REPERTOIRE)", "    characters = set(ALWAYS)",
             ("tests/test_docx_writer.py", "tests/test_clients.py")),
    Mutation("docx-subset-without-the-watermark", "generator/subsets.py",
             '        characters.update("".join(root.xpath("//@string")))', "",
             ("tests/test_docx_writer.py",)),
    Mutation("pdf-header-staggered", "generator/furniture.py",
             "        result += zip(start + [()] * (count - len(start)), end + [()] * "
             "(count - len(end)))",
             "        result += [(line, ()) for line in start] + [((), line) for line in end]",
             ("tests/test_finish.py", "tests/test_documents.py")),
    Mutation("pdf-header-no-hairline", "generator/writers/pdf.py",
             "            canvas.line(left, y, right, y)", "            pass",
             ("tests/test_finish.py",)),
    Mutation("pdf-header-ordinal-on-the-baseline", "generator/writers/pdf.py",
             "            scale = SUPERSCRIPT_SCALE if run.superscript else 1.0",
             "            scale = 1.0", ("tests/test_finish.py",)),
    Mutation("pdf-contents-no-leader", "generator/writers/pdf.py",
             "            canvas.line(first + radius, y, first + radius + (dots - 0.5) * gap, y)",
             "            pass", ("tests/test_finish.py",)),
    Mutation("pdf-hyphens-unlimited", "generator/writers/pdf.py",
             "        if run > stylesheet.CONSECUTIVE_HYPHENS:",
             "        if run > 99:", ("tests/test_finish.py",)),
    Mutation("pdf-title-block-cramped", "generator/stylesheet.py",
             'space_after=TITLE_BLOCK_SPACE,', 'space_after=6,', ("tests/test_finish.py",)),
    Mutation("docx-zip-time-of-day", "generator/writers/docx.py",
             "entry = zipfile.ZipInfo(name, date_time=stamp)",
             "entry = zipfile.ZipInfo(name, date_time=__import__('time').localtime()[:6])",
             ("tests/test_reproducible.py", "tests/test_docx_writer.py")),
    Mutation("docx-parts-in-set-order", "generator/writers/docx.py",
             "for name in sorted(members, key=lambda name: (name != CONTENT_TYPES, name)):",
             "for name in [CONTENT_TYPES, *(set(members) - {CONTENT_TYPES})]:",
             ("tests/test_reproducible.py",)),
    Mutation("pdf-keywords-in-set-order", "generator/pdfa.py",
             '"/Keywords": ", ".join(metadata.keywords)',
             '"/Keywords": ", ".join(set(metadata.keywords))',
             ("tests/test_reproducible.py",)),
    # --- collation
    Mutation("collation-code-points", "generator/collation.py",
             "return _collator().sort_key(text)", "return tuple(map(ord, text))",
             COLLATION_TESTS),
    Mutation("collation-article-kept", "generator/collation.py",
             "            text = text[len(article):].lstrip()", "            pass",
             COLLATION_TESTS),
    Mutation("collation-reversed", "generator/collation.py",
             "key=lambda item: sort_key(name(item), language))",
             "key=lambda item: sort_key(name(item), language), reverse=True)", COLLATION_TESTS),
    Mutation("collation-unstable-ties", "generator/collation.py",
             "key=lambda item: sort_key(name(item), language))",
             "key=lambda item: sort_key(name(item), language) + (-id(item),))",
             COLLATION_TESTS),
    # --- dates
    Mutation("dates-month-shifted", "generator/dates.py",
             "names[day.month]",
             "names[day.month % 12 + 1]",
             ("tests/test_conventions.py::test_any_span_names_the_last_year_and_puts_the_day_first",)),
    Mutation("dates-nominative-months", "generator/dates.py",
             'months["format"]["wide"]', 'months["stand-alone"]["wide"]', DATE_TESTS),
    Mutation("dates-hyphen-for-en-dash", "generator/dates.py",
             'return "{}–{}" if', 'return "{}-{}" if', DATE_TESTS),
    Mutation("dates-no-premier", "generator/dates.py",
             'return "1er" if number == 1 else str(number)', "return str(number)", DATE_TESTS),
    Mutation("dates-no-year-word", "generator/dates.py",
             '"ru": _Rules(year_word=True),', '"ru": _Rules(year_word=False),', DATE_TESTS),
    Mutation("dates-breaking-space", "generator/dates.py",
             'NO_BREAK = "\\u00a0"', 'NO_BREAK = " "', DATE_TESTS),
    Mutation("dates-first-year-dropped", "generator/dates.py",
             "year=start.year != end.year)", "year=False)", DATE_TESTS),
    Mutation("dates-first-month-dropped", "generator/dates.py",
             "month=(start.year, start.month) != (end.year, end.month),", "month=False,",
             DATE_TESTS),
    Mutation("dates-french-et-always", "generator/dates.py",
             'return "{} et {}" if end - start == dt.timedelta(days=1) else "du {} au {}"',
             'return "{} et {}"', DATE_TESTS),
    # --- Spanish, Arabic and Chinese
    Mutation("collation-arabic-hamza-kept", "generator/collation.py",
             ".translate(_HAMZA_MARKS)", "", SCRIPT_TESTS),
    Mutation("collation-pinyin-tones-last", "generator/collation.py",
             "style=Style.TONE3, neutral_tone_with_five=True", "style=Style.NORMAL", SCRIPT_TESTS),
    Mutation("dates-arabic-times-not-isolated", "generator/dates.py",
             'return f"{LEFT_TO_RIGHT_ISOLATE}{written}{POP_ISOLATE}"', "return written",
             SCRIPT_TESTS),
    Mutation("dates-arabic-days-dashed", "generator/dates.py",
             'return "{} و{}" if', 'return "{}-{}" if', SCRIPT_TESTS),
    Mutation("docx-arabic-paragraphs-left-to-right", "generator/writers/docx_scripts.py",
             'child_in_order(properties if properties is not None else _properties(paragraph),\n'
             '                           "w:bidi", PARAGRAPH_ORDER)', "None", SCRIPT_TESTS),
    Mutation("docx-side-by-side-columns-swapped", "generator/writers/docx_scripts.py",
             "if paragraphs and all(", "if paragraphs and any(", SCRIPT_TESTS),
    Mutation("docx-arabic-size-not-copied", "generator/writers/docx_scripts.py",
             '("w:sz", "w:szCs")', '("w:caps", "w:smallCaps")', SCRIPT_TESTS),
    Mutation("pdf-arabic-not-refused", "generator/build.py",
             "        check_pdf_scripts(loaded, [(edition, document)",
             "        (loaded, [(edition, document)", SCRIPT_TESTS),
    # --- the archive
    Mutation("archive-final-replaced", "generator/archive.py",
             "    if recorded.kept:", "    if False:", ARCHIVE_TESTS),
    Mutation("archive-draft-replaced-unasked", "generator/archive.py",
             "    if replace_draft:\n        return \"replaced\", None",
             "    if True:\n        return \"replaced\", None", ARCHIVE_TESTS),
    Mutation("archive-unlisted-file-overwritten", "generator/archive.py",
             'return ("new", None) if present is None else ("", (',
             'return ("new", None) if True else ("", (', ARCHIVE_TESTS),
    Mutation("archive-missing-file-not-restored", "generator/archive.py",
             "        if recorded.seal is None:\n            return \"restored\", None",
             "        if False:\n            return \"restored\", None", ARCHIVE_TESTS),
    Mutation("archive-verify-ignores-changes", "generator/archive.py",
             "    if sha256(data) != entry.sha256:", "    if False:", ARCHIVE_TESTS),
    Mutation("archive-verify-ignores-unlisted", "generator/archive.py",
             "if path.name not in (MANIFEST, _LOCK) and path.name not in manifest.files]",
             "if False]", ARCHIVE_TESTS),
    Mutation("archive-version-skips-one", "generator/archive.py",
             "{int(digits) + 1:0{len(digits)}d}", "{int(digits) + 2:0{len(digits)}d}",
             ARCHIVE_TESTS),
    # --- escaping
    Mutation("escaping-templates-not-autoescaped", "generator/templating.py",
             "autoescape=True,", "autoescape=False,", ESCAPING_TESTS),
    Mutation("escaping-pdf-runs-raw", "generator/writers/pdf.py",
             'text = escape(run.text, quote=False).replace("\\n", "<br/>")',
             'text = run.text.replace("\\n", "<br/>")', ESCAPING_TESTS),
    Mutation("escaping-pdf-contents-raw", "generator/writers/pdf.py",
             "self.paragraph = ParagraphFlowable(escape(text, quote=False), style)",
             "self.paragraph = ParagraphFlowable(text, style)", ESCAPING_TESTS),
    Mutation("escaping-validator-refuses-ampersand", "generator/meeting.py",
             "    if not value.strip():\n        raise ValueError(\"must not be empty",
             "    if not value.strip() or '&' in value:\n        raise ValueError(\"must not be empty",
             ("tests/test_properties.py",)),
    # --- marks and the contents of the packs
    Mutation("marks-programme-unmarked", "templates/agenda.xml.j2",
             ' marking="{{ pack.agenda_marking(programme=true) }}"', "", MARKS_TESTS),
    Mutation("marks-date-invented", "templates/_parts.xml.j2",
             'view.day(date) if date else _("[date of issue]")', "view.day(date)", MARKS_TESTS),
    Mutation("marks-day-invented", "templates/_parts.xml.j2",
             'view.day(value) if value else _("[day to be confirmed]")', "view.day(value)",
             MARKS_TESTS),
    Mutation("marks-breaks-numbered", "generator/context.py",
             'numbered = [item for item in self.items() if item.kind.value != "break"]',
             "numbered = self.items()", MARKS_TESTS),
    Mutation("marks-briefing-days-dropped", "templates/briefing.xml.j2",
             "{% if view.several_days %}<p style=", "{% if false %}<p style=", MARKS_TESTS),
    Mutation("marks-affiliation-repeated", "templates/_parts.xml.j2",
             "{% if line.delegation and not (line.title and line.titled) %}",
             "{% if line.delegation %}", MARKS_TESTS),
    Mutation("marks-side-event-bare-tbc", "templates/_parts.xml.j2",
             '{% if day and value == "TBC" %}', "{% if false %}", MARKS_TESTS),
    Mutation("marks-honorific-dropped", "templates/_pack.xml.j2",
             "{% if member.honorific %}{{ member.honorific }} {% endif %}", "", MARKS_TESTS),
    Mutation("marks-zone-city", "templates/_pack.xml.j2",
             "city=meeting.city, offset=zone.offset", "city=zone.city, offset=zone.offset",
             MARKS_TESTS),
    Mutation("marks-empty-annotation-heading", "templates/_pack.xml.j2",
             "{% if not (item.annotated or item.description) %}", "{% if false %}",
             MARKS_TESTS),
    Mutation("marks-heading-date-line-loose", "templates/_pack.xml.j2",
             '<p style="Note" keep-with-next="yes">{{ parts.when(when, item.time) }}</p>',
             '<p style="Note">{{ parts.when(when, item.time) }}</p>', MARKS_TESTS),
    # --- the caches
    Mutation("caches-collation-offsets-wrong", "generator/collation.py",
             "marshal.dumps((points.tobytes(), offsets.tobytes(), implicit))",
             "marshal.dumps((points.tobytes(), points.tobytes(), implicit))", CACHE_TESTS),
    Mutation("caches-months-any-locale", "generator/dates.py",
             'return kept_value("months", (babel.__version__, locale), make,',
             'return kept_value("months", (babel.__version__,), make,', CACHE_TESTS),
    Mutation("caches-catalog-any-content", "generator/catalogs.py",
             "language, hashlib.sha256(content).hexdigest(),", "language,", CACHE_TESTS),
    Mutation("caches-font-of-another-file", "generator/parsed_fonts.py",
             "if (of != digest or not", "if (not", CACHE_TESTS),
    Mutation("caches-code-constants-ignored", "generator/caches.py",
             "digest.update(marshal.dumps(function.__code__))",
             "digest.update(function.__code__.co_code)", CACHE_TESTS),
    Mutation("typst-quote-unescaped", "generator/writers/typst.py",
             "        if char in '\"\\\\':", "        if char in '\\\\':", TYPST_TESTS),
    Mutation("typst-page-count-current", "generator/writers/typst.py",
             "str(counter(page).final().first())", "str(counter(page).get().first())",
             ("tests/test_documents.py::test_page_x_of_y_on_every_page[typst]",)),
    Mutation("typst-header-row-once", "generator/writers/typst.py",
             "table.header(repeat: true,", "table.header(repeat: false,",
             ("tests/test_documents.py::test_a_large_agenda_repeats_its_header_row_on_every_page",)),
    Mutation("typst-contents-page-off", "generator/writers/typst.py",
             "counter(page).at({label}).first())", "counter(page).at({label}).first() + 1)",
             TYPST_TESTS),
    Mutation("typst-left-to-right-only", "generator/writers/typst.py",
             '    direction = "rtl" if right_to_left(primary) else "ltr"', '    direction = "ltr"',
             TYPST_TESTS),
    Mutation("typst-no-watermark", "generator/writers/typst.py",
             "background: {{ {self.watermark(page.watermark)};", "background: {{ [];",
             TYPST_TESTS),
    Mutation("typst-pdfa1-icc-v4-kept", "generator/writers/typst.py",
             "                    obj[1].write(icc_profile())", "                    pass",
             ("tests/test_typst_writer.py::test_preflight_accepts_every_example_in_1b",)),
    Mutation("typst-signature-rows-breakable", "generator/writers/typst.py",
             '        return (f"block(breakable: false, above: {_pt(party_spec.space_before)}',
             '        return (f"block(breakable: true, above: {_pt(party_spec.space_before)}',
             ("tests/test_typst_writer.py::test_a_signature_block_at_a_page_foot_moves_whole_to_the_next_page",)),
    Mutation("typst-compounds-not-kept", "generator/writers/typst.py",
             "        if any(char.isupper() or char.isdigit() for char in match.group(0)):",
             "        if False:", ("tests/test_documents.py::test_hyphenation_a_reader_does_not_notice",)),
    Mutation("typst-parallel-rows-centred", "generator/writers/typst.py",
             "* count)}), column-gutter: {_pt(gutter)}, \"",
             "* count)}), align: horizon, column-gutter: {_pt(gutter)}, \"",
             ("tests/test_typst_writer.py::test_side_by_side_rows_start_level",)),
    Mutation("typst-not-tagged", "generator/writers/typst.py",
             "pdf_tags=pdfua)", "pdf_tags=False)", TYPST_TESTS),
    Mutation("typst-header-status-a-line-low", "generator/writers/typst.py",
             "self.furniture_text(status, end, baseline)]",
             "self.furniture_text(status, end, baseline + 11)]",
             ("tests/test_finish.py::test_the_pdf_header_is_one_line_with_a_hairline_under_it[typst]",)),
    Mutation("typst-hairline-black", "generator/writers/typst.py",
             'f"paint: {_colour(self.house.rule_colour)}, cap: \\"butt\\")))")\n        return',
             'f"paint: black, cap: \\"butt\\")))")\n        return',
             ("tests/test_finish.py::test_the_pdf_header_is_one_line_with_a_hairline_under_it[typst]",)),
    Mutation("typst-classification-at-furniture-size", "generator/writers/typst.py",
             "        size = self.house.size\n        ascent, descent",
             "        size = stylesheet.FURNITURE_SIZE\n        ascent, descent",
             ("tests/test_marks.py::test_classification_centred_bold_at_body_size_top_and_bottom_of_every_page",)),
    Mutation("typst-cover-furnished", "generator/writers/typst.py",
             'cover = "true" if page.cover else "false"', 'cover = "false"',
             ("tests/test_housestyle.py::test_pack_cover_has_no_running_header_or_page_number_in_either_format[typst]",)),
    Mutation("typst-letterhead-every-page", "generator/writers/typst.py",
             "if first {{ {letterhead} }}", "{{ {letterhead} }}",
             ("tests/test_housestyle.py::test_solmera_emblem_is_drawn_as_vectors_on_the_cover_and_in_the_letterhead[typst]",)),
    Mutation("typst-built-in-margins", "generator/writers/typst.py",
             "self.margins = stylesheet.margins(document.house)", "self.margins = stylesheet.margins()",
             ("tests/test_housestyle.py::test_solmera_style_paper_margins_colours_in_the_pdf[typst]",)),
    Mutation("typst-house-font-ignored", "generator/writers/typst.py",
             "        if document.house.font:  # the house faces", "        if False:  # the house faces",
             ("tests/test_housestyle.py::test_png_emblem_letterhead_and_own_font_embedded_in_both_formats[typst]",)),
    Mutation("typst-contents-without-leaders", "generator/writers/typst.py",
             "par([#{text}#h({_pt(gap)})#{leader}])", "par([#{text}])",
             ("tests/test_finish.py::test_pdf_contents_lines_have_drawn_dot_leaders_to_their_page_numbers[typst]",)),
    # --- the work a build spares (issue 15): each shortcut gives what the long way gives
    Mutation("caches-ink-any-text", "generator/furniture.py",
             '(hashlib.sha256(font).hexdigest(), text)', '(hashlib.sha256(font).hexdigest(),)',
             CACHE_TESTS),
    Mutation("caches-languages-any-locale", "generator/templating.py",
             'kept_value("languages", (babel.__version__, locale), make,',
             'kept_value("languages", (babel.__version__,), make,', CACHE_TESTS),
    Mutation("localize-kept-with-gaps", "generator/localize.py",
             "    if len(gaps.found) == found:  # nothing missing", "    if True:  # nothing missing",
             ("tests/test_documents.py", "tests/test_languages.py", "tests/test_inputs.py")),
    Mutation("localize-mixed-lists-kept", "generator/localize.py",
             "        if any(inner):", "        if inner and all(inner):",
             ("tests/test_documents.py", "tests/test_languages.py")),
    Mutation("typography-apostrophes-straight", "generator/typography.py",
             """    if '"' in text or "'" in text:""", """    if '"' in text:""",
             ("tests/test_typesetting.py",)),
    Mutation("source-characters-unchecked", "generator/source.py",
             "    suspect = bool(FORBIDDEN.search(joined) or unprintable(joined))",
             "    suspect = False", ("tests/test_hostile.py", "tests/test_inputs.py")),
    Mutation("source-every-scalar-text", "generator/source.py",
             "    if node.tag == _STRING:  # most of a meeting", "    if True:  # most of a meeting",
             ("tests/test_hostile.py", "tests/test_inputs.py")),
    Mutation("affiliation-any-word-start", "generator/context.py",
             "        if _starts_word(words, name, whole=True):",
             "        if _starts_word(words, name, whole=False):", ("tests/test_marks.py",)),
    Mutation("header-lines-any-font", "generator/furniture.py",
             "    return _header_lines(page, width, face_name(), face_name(bold=True))",
             "    return _header_lines(page, width)", ("tests/test_typesetting.py",)),
    Mutation("docx-reference-every-template-style", "scripts/make_reference_docx.py",
             "    drop_unused_styles(document)\n", "", ("tests/test_docx_writer.py",)),
    Mutation("workers-first-error-first", "generator/workers.py",
             "                if pdfs[index].exception() is None:  # else",
             "                if True:  # else", ("tests/test_workers.py",)),
    Mutation("workers-killed-worker-fails-the-build", "generator/workers.py",
             "        except BrokenProcessPool:  # a worker was killed (out of memory, say)",
             "        except ZeroDivisionError:  # a worker was killed (out of memory, say)",
             ("tests/test_workers.py",)),
    Mutation("workers-forked-beside-threads", "generator/workers.py",
             "    return count if count >= 2 and _threads() == 1 else 0",
             "    return count if count >= 2 else 0", ("tests/test_workers.py",)),
    Mutation("workers-all-load-beside-the-build", "generator/workers.py",
             "    if rank >= at_once:", "    if False:", ("tests/test_workers.py",)),
    Mutation("workers-one-let-go", "generator/workers.py",
             "            for _ in range(self.held):", "            for _ in range(1):",
             ("tests/test_workers.py",)),
    Mutation("workers-no-process-fails-the-build", "generator/workers.py",
             "            except OSError:  # no process can be started",
             "            except ZeroDivisionError:  # no process can be started",
             ("tests/test_workers.py",)),
    Mutation("workers-outlive-a-killed-build", "generator/workers.py",
             "    _end_with(build)\n", "",
             ("tests/test_workers.py::test_workers_end_when_the_build_is_killed",)),
    Mutation("workers-documents-out-of-order", "generator/workers.py",
             "            for index in range(len(documents)):\n                result = {}",
             "            for index in reversed(range(len(documents))):\n                result = {}",
             ("tests/test_workers.py",)),
)
"""The mutation set. A name may be given to --only; tests are run in the order given."""

SKIPPED = {".git", ".venv", "outputs", "__pycache__", ".pytest_cache", ".hypothesis"}
"""Folders not copied into a scratch copy."""


def stale(mutations: tuple[Mutation, ...], tree: Path) -> list[str]:
    """Return a line for each mutation whose snippet is not in its file exactly once."""
    lines = []
    for mutation in mutations:
        count = (tree / mutation.path).read_text(encoding="utf-8").count(mutation.old)
        if count != 1:
            lines.append(f"{mutation.name}: its snippet occurs {count} times in {mutation.path}")
    return lines


def scratch_copy(tree: Path, parent: Path, number: int) -> Path:
    """Return a copy of the tree (sources, tests, templates; no .git, outputs or caches)."""
    copy = parent / f"copy-{number}"
    shutil.copytree(tree, copy, ignore=lambda _, names: [n for n in names if n in SKIPPED])
    return copy


def run_tests(copy: Path, tests: tuple[str, ...], timeout: float) -> tuple[int, str]:
    """Return pytest's exit status on the tests in the copy (stopping at the first failure),
    and its last line; a run over the timeout (s) counts as a failure (status -1)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # no stale bytecode of a mutated file
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               "-W", "ignore::pytest.PytestUnraisableExceptionWarning", *tests]
    try:
        result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True,
                                timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout:.0f} s"
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    failed = next((line for line in lines if line.startswith("FAILED ")), "")
    return result.returncode, failed or (lines[-1] if lines else result.stderr.strip()[-200:])


def mutate(copy: Path, mutation: Mutation, timeout: float) -> tuple[str, str, float]:
    """Return the verdict on one mutation made in the copy ("killed", "SURVIVED" or "error"),
    what decided it and the seconds it took; the copy's file is restored afterwards."""
    path = copy / mutation.path
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(mutation.old, mutation.new, 1), encoding="utf-8")
    start = time.perf_counter()
    try:
        status, detail = run_tests(copy, mutation.tests, timeout)
    finally:
        path.write_text(original, encoding="utf-8")
    seconds = time.perf_counter() - start
    if status == 0:
        return "SURVIVED", detail, seconds
    if status in (1, -1):
        return "killed", detail, seconds
    return "error", f"pytest exit status {status}: {detail}", seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], metavar="PREFIX",
                        help="only the mutations whose name starts with PREFIX (repeatable)")
    parser.add_argument("--jobs", type=int, default=1, help="mutations run at once (default 1)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds the tests of one mutation may take (default 900)")
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="the checkout to mutate (default: this one)")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    options = parser.parse_args(argv)
    chosen = tuple(m for m in MUTATIONS
                   if not options.only or any(m.name.startswith(p) for p in options.only))
    if options.list:
        for mutation in chosen:
            print(f"{mutation.name:<40} {mutation.path:<32} {' '.join(mutation.tests)}")
        return 0
    if not chosen:
        print(f"no mutation is named {' or '.join(options.only)}*", file=sys.stderr)
        return 2
    tree = options.tree.resolve()
    problems = stale(chosen, tree)
    if problems:
        print("stale mutations (update them in scripts/mutate.py):", *problems,
              sep="\n  ", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chancery-mutate-") as parent:
        copies = [scratch_copy(tree, Path(parent), n) for n in range(max(options.jobs, 1))]
        tests = tuple(dict.fromkeys(test for m in chosen for test in m.tests))
        status, detail = run_tests(copies[0], tests, options.timeout)
        if status != 0:
            print(f"the tests fail before any mutation: {detail}", file=sys.stderr)
            return 2
        free = list(copies)

        def one(mutation: Mutation) -> tuple[Mutation, tuple[str, str, float]]:
            copy = free.pop()
            try:
                return mutation, mutate(copy, mutation, options.timeout)
            finally:
                free.append(copy)

        survived = errors = 0
        with ThreadPoolExecutor(max_workers=len(copies)) as pool:
            for mutation, (verdict, detail, seconds) in pool.map(one, chosen):
                print(f"{verdict:<9} {mutation.name:<40} {seconds:6.1f} s  {detail}", flush=True)
                survived += verdict == "SURVIVED"
                errors += verdict == "error"
    print(f"{len(chosen)} mutations: {len(chosen) - survived - errors} killed, {survived} "
          f"survived, {errors} errors, in {(time.perf_counter() - started) / 60:.1f} min")
    return 1 if survived else 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
