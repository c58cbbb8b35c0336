"""The command line: chancery validate | build | dump | watch | participants | new | verify | seal | schema."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .problems import InputError

EXIT_INPUT = 2
"""Exit code for bad input or bad usage: the user can fix it."""

EXIT_DAMAGED = 1
"""Exit code of verify when an archive is not as its manifest says."""

if TYPE_CHECKING:
    from .build import Edition
    from .inputs import LoadedMeeting

PASSPHRASE_ENV = "CHANCERY_PKCS12_PASSPHRASE"
"""The environment variable seal reads the PKCS#12 passphrase from, unless told another."""

_LANGUAGE = re.compile(r"^[a-z]{2}$")


def _names(text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    """Return the comma-separated names, each checked against the allowed ones."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(map(repr, unknown)) or '(none given)'}; choose from "
            f"{', '.join(allowed)}")
    return list(dict.fromkeys(names))


def _documents(text: str) -> list[str]:
    """Return the comma-separated document names; each is checked once the file is read, since
    an outcome's id names a document too."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("no document named; write e.g. agenda,protocol")
    return list(dict.fromkeys(names))


def _languages(text: str) -> list[tuple[str, ...]]:
    """Return the editions' languages: "en,ru" is two editions, "en+ru" one bilingual edition."""
    editions = []
    for part in (part.strip() for part in text.split(",")):
        languages = tuple(language.strip() for language in part.split("+"))
        bad = [language for language in languages if not _LANGUAGE.match(language)]
        if bad or not part:
            raise argparse.ArgumentTypeError(
                f"{part!r} is not a language or languages joined by '+'; write e.g. ru, en+ru")
        if len(set(languages)) != len(languages):
            raise argparse.ArgumentTypeError(f"{part!r} names a language twice")
        editions.append(languages)
    return list(dict.fromkeys(editions))


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the chancery command."""
    from .rendering import FORMATS, PDF_ENGINES, PDFA_LEVELS
    from .templating import DOCUMENTS

    main = argparse.ArgumentParser(
        prog="chancery", description="Build meeting documents (agenda, outcome protocol, "
                                     "briefing pack) as DOCX and PDF from one YAML file.")
    main.add_argument("--version", action="version", version=f"chancery {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help=(
        "check meeting files, report every problem and list the texts given as one plain text "
        "that print the same in each language"))
    validate.add_argument("files", nargs="+", metavar="FILE", help="meeting files (YAML)")
    validate.add_argument("--fallback", metavar="LANG", type=_languages,
                          help="as build: a text missing in a language is printed in LANG, "
                               "with a warning for each, instead of being a problem")

    for name, help_text in (("build", "write the documents into the output folder"),
                            ("dump", "print the document model as text (for checking templates)"),
                            ("watch", "build, then build again whenever an input file is saved")):
        command = commands.add_parser(name, help=help_text)
        if name == "watch":
            command.add_argument("file", metavar="FILE", help="the meeting file (YAML)")
            command.add_argument("--open", metavar="PDF", dest="open_pdf",
                                 help="open this PDF of the build in the system's viewer, such "
                                      "as protocol-en or protocol-en-v0.1.pdf")
        else:
            command.add_argument("files", nargs="+", metavar="FILE", help="meeting files (YAML)")
        command.add_argument("--only", type=_documents, metavar="DOCS", help=(
            f"comma-separated, from {','.join(DOCUMENTS)} or the id of an outcome in outcomes "
            "('protocol' is every outcome) (default: every document the file has data for)"))
        command.add_argument("--templates", type=Path, metavar="DIR",
                             help="use the templates in DIR instead of the shipped ones")
        command.add_argument("--paper", choices=("A4", "Letter"), help="override the file's paper size")
        command.add_argument("--style", metavar="FILE", help=(
            "the house style file (YAML): emblem, letterhead, font, colours, margins, paper "
            "(default: the meeting file's house_style, else the built-in style)"))
        command.add_argument("--reference-docx", metavar="FILE", help=(
            "a Word file whose paragraph and character styles, page size, margins and header "
            "and footer artwork the DOCX files use"))
        command.add_argument("--lang", type=_languages, metavar="LANGS",
                             help="comma-separated editions, each a language or languages joined "
                                  "by '+' for one edition in several: ru, en+ru (default: each "
                                  "of the document's languages, and the protocol in all of them)")
        command.add_argument("--fallback", metavar="LANG", type=_languages,
                             help="print the text in LANG where the input lacks a text in a "
                                  "document's language, with a warning for each")
        if name in ("build", "watch"):
            command.add_argument("--format", type=lambda text: _names(text, FORMATS, "format"),
                                 default=list(FORMATS), metavar="FORMATS",
                                 help="comma-separated, from docx,pdf (default: both)")
            command.add_argument("--out", type=Path, default=Path("outputs"), metavar="DIR",
                                 help="output folder (default: outputs)")
            command.add_argument("--pdfa", choices=PDFA_LEVELS, default=PDFA_LEVELS[0],
                                 help="PDF/A level of the PDFs, or none for plain PDFs "
                                      f"(default: {PDFA_LEVELS[0]})")
            command.add_argument("--pdf-engine", choices=PDF_ENGINES, metavar="ENGINE",
                                 help="what sets the PDFs: reportlab or typst (default: the "
                                      "meeting file's pdf_engine, else reportlab); typst sets "
                                      "Arabic right to left and can tag PDFs (--pdfua)")
            command.add_argument("--pdfua", action="store_true",
                                 help="tag the PDFs for screen readers (PDF/UA-1: headings, "
                                      "lists, tables, reading order, languages); needs the "
                                      "typst engine")
            if name == "build":
                command.add_argument("--replace-draft", action="store_true",
                                     help="replace the files of a draft version already in the "
                                          "archive (a final or signed version is never replaced)")

    participants = commands.add_parser(
        "participants", help="write the list of participants as a spreadsheet (XLSX or CSV) "
                             "for corrections; it reads back as a registration file")
    participants.add_argument("file", metavar="FILE")
    participants.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    participants.add_argument("--out", type=Path, metavar="PATH",
                              help="the spreadsheet to write (default: <meeting id>-participants"
                                   ".xlsx or .csv in the current folder); never overwritten")
    participants.add_argument("--lang", metavar="LANG",
                              help="the language whose order and names the list follows "
                                   "(default: the meeting's first)")

    new = commands.add_parser("new", help="write a new meeting file that validates and builds "
                                          "at once; never overwrites a file")
    new.add_argument("file", type=Path, metavar="FILE.yaml")
    new.add_argument("--from", dest="earlier", metavar="OLD.yaml",
                     help="carry over the participants, process and house style of an earlier "
                          "meeting")
    new.add_argument("--process", help="the process, e.g. 'Almaty Process'")
    new.add_argument("--title", help="the meeting's full title")
    new.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD",
                     help="the meeting's (first) day")
    new.add_argument("--city")
    new.add_argument("--country")
    new.add_argument("--languages", type=_language_list, metavar="LANGS",
                     help="working languages, comma-separated, e.g. en,ru (default: en, or "
                          "those of --from)")

    verify = commands.add_parser("verify", help="check an archive folder against its manifest")
    verify.add_argument("folder", type=Path, metavar="FOLDER", help="such as outputs/<meeting id>")

    seal = commands.add_parser("seal", help="seal (digitally sign) a final PDF of an archive")
    seal.add_argument("file", type=Path, metavar="FILE.pdf",
                      help="a final or signed PDF listed in its folder's manifest")
    seal.add_argument("--pkcs12", type=Path, required=True, metavar="KEY.p12",
                      help="the key and certificate to seal with, as a PKCS#12 file")
    seal.add_argument("--reason", metavar="TEXT", help="the reason recorded in the seal")
    seal.add_argument("--passphrase-env", default=PASSPHRASE_ENV, metavar="VAR",
                      help="the environment variable holding the PKCS#12 passphrase "
                           f"(default: {PASSPHRASE_ENV}; no passphrase if it is not set)")

    commands.add_parser("schema", help="print the JSON Schema of meeting files")
    return main


def _date(text: str):
    """Return the date of 'YYYY-MM-DD' text."""
    import datetime as dt

    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
            return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-30")


def _language_list(text: str) -> list[str]:
    """Return the languages of "en,ru"."""
    from .meeting import known_language

    codes = [code.strip() for code in text.split(",") if code.strip()]
    bad = [code for code in codes if not _LANGUAGE.match(code) or not known_language(code)]
    if bad or not codes:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of language codes; write e.g. "
                                         "en,ru")
    return list(dict.fromkeys(codes))


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    from .archive import ArchiveError, DamagedManifest
    from .rendering import LayoutProblem
    from .templating import TemplateError

    _printable_streams()
    arguments = parser().parse_args(argv)
    try:
        return _COMMANDS[arguments.command](arguments)
    except TemplateError as error:
        print(f"{error}\nchancery: the templates have a problem; nothing was written", file=sys.stderr)
        return EXIT_INPUT
    except LayoutProblem as error:
        print(f"{error}\nchancery: nothing was written", file=sys.stderr)
        return EXIT_INPUT
    except InputError as error:
        _print_problems([str(problem) for problem in error.problems], "problem", "found")
        if hasattr(error, "hint"):
            print(f"chancery: {error.hint}", file=sys.stderr)
        return EXIT_INPUT
    except ArchiveError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        damaged = isinstance(error, DamagedManifest) and arguments.command == "verify"
        return EXIT_DAMAGED if damaged else EXIT_INPUT
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"chancery: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_INPUT


def _printable_streams() -> None:
    """Have standard output and error print what their encoding cannot (a non-ASCII name under
    an ASCII locale, a file name that is not UTF-8) as backslash escapes, never fail on it; a
    stream that already passes such bytes through (a C locale's) is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            reconfigure(errors="backslashreplace")


def _print_problems(messages: list[str], what: str, verb: str) -> None:
    """Print each message and a last line counting them, such as "chancery: 2 problems found;
    nothing was written"."""
    for message in messages:
        print(message, file=sys.stderr)
    count = len(messages)
    print(f"chancery: {count} {what}{'s' if count != 1 else ''} {verb}; nothing was written",
          file=sys.stderr)


def _schema(arguments: argparse.Namespace) -> int:
    """Print the JSON Schema of meeting files; return 0."""
    from .meeting import Meeting

    print(json.dumps(Meeting.model_json_schema(), indent=2, ensure_ascii=False))
    return 0


def _load(names: list[str], style: str | None = None,
          reference_docx: str | None = None) -> list[LoadedMeeting]:
    """Return the loaded meeting of each file, in the house style and with the reference Word
    file if given; raise InputError with every problem of all."""
    from .inputs import load_meeting

    loaded, problems = [], []
    for name in names:
        try:
            loaded.append(load_meeting(name, style, reference_docx))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return loaded


def _validate(arguments: argparse.Namespace) -> int:
    """Check the files, every text each default edition needs included; return 0 if valid."""
    from .build import MissingTexts, make_documents, requested_editions
    from .localize import language_name
    from .templating import default_templates

    from .prose import plain_texts

    fallback = _single_fallback(arguments.fallback)
    missing, warnings, loaded = [], [], _load(arguments.files)
    for meeting in loaded:
        try:
            warnings += make_documents(meeting, requested_editions(meeting, None),
                                       default_templates(), fallback=fallback)[1]
        except MissingTexts as error:
            missing.append(error)
    if missing:
        raise MissingTexts([problem for error in missing for problem in error.problems],
                           [gap for error in missing for gap in error.gaps])
    for warning in warnings:
        print(warning, file=sys.stderr)
    for meeting in loaded:
        for language, problems in plain_texts(meeting).items():
            print(f"{meeting.source.name}: {len(problems)} text{'s' if len(problems) != 1 else ''}"
                  f" given as one plain text print as written in {language_name(language)} "
                  f"({language}); give {{{', '.join(f'{code}: ...' for code in meeting.meeting.languages)}}} "
                  "to write each language's own:")
            for problem in problems:
                print(f"  {problem}")
        print(f"{meeting.source.name}: valid")
    return 0


def _wanted(arguments: argparse.Namespace) -> list[tuple[LoadedMeeting, list[Edition]]]:
    """Return (loaded meeting, editions) for each file of a build or dump; raise InputError."""
    from .build import requested_editions

    return [(meeting, requested_editions(meeting, arguments.only, arguments.lang))
            for meeting in _load(arguments.files, getattr(arguments, "style", None),
                                 getattr(arguments, "reference_docx", None))]


def _plan(arguments: argparse.Namespace) -> tuple[list[tuple[LoadedMeeting, list[Edition]]],
                                                   Path, str | None] | None:
    """Return what a build or dump makes: (loaded meeting, editions) for each file, the
    templates folder and the fallback language; None (after saying why) if the templates
    folder holds no templates; raise InputError for the files' problems."""
    from .templating import default_templates

    wanted = _wanted(arguments)
    templates = arguments.templates or default_templates()
    if not (templates / "agenda.xml.j2").is_file():
        print(f"chancery: {templates} holds no chancery templates", file=sys.stderr)
        return None
    return wanted, templates, _single_fallback(arguments.fallback)


def _dump(arguments: argparse.Namespace) -> int:
    """Print the document model of each edition; return the exit code."""
    from .build import make_documents
    from .writers.dump import render_dump

    plan = _plan(arguments)
    if plan is None:
        return EXIT_INPUT
    wanted, templates, fallback = plan
    for meeting, chosen in wanted:
        documents, _ = make_documents(meeting, chosen, templates, arguments.paper, fallback)
        for _, document in documents:
            sys.stdout.write(render_dump(document))
    return 0


def _build(arguments: argparse.Namespace) -> int:
    """Build the documents into the archive and print what became of each file; return the
    exit code."""
    from .workers import Writers, worker_count

    # the workers start first (before any thread, such as the progress bar's): they load the
    # writers while this process reads the meeting file and makes the documents
    with Writers(worker_count(_files_asked(arguments)), tuple(arguments.format),
                 arguments.pdfa) as writers:
        return _build_with(arguments, writers)


def _files_asked(arguments: argparse.Namespace) -> int:
    """Return how many files a build makes at least, as far as the command line tells before
    the meeting files are read (two documents each unless --only names them)."""
    documents = len(arguments.only) if arguments.only else 2
    editions = len(arguments.lang) if arguments.lang else 1
    return len(arguments.files) * documents * editions * len(arguments.format)


def _build_with(arguments: argparse.Namespace, writers) -> int:
    """Return _build's exit code, the files written by writers (a workers.Writers)."""
    from .archive import MANIFEST, ArchiveError, DamagedManifest, NotAnArchive, archive_outputs
    from .build import build_outputs

    writers.ready()
    plan = _plan(arguments)
    if plan is None:
        return EXIT_INPUT
    wanted, templates, fallback = plan
    outputs, warnings = [], []
    with _progress(sum(len(chosen) for _, chosen in wanted)) as advance:
        for meeting, chosen in wanted:
            files, notes = build_outputs(meeting, chosen, arguments.format, arguments.out,
                                         templates, arguments.paper, fallback, arguments.pdfa,
                                         progress=advance, engine=arguments.pdf_engine,
                                         pdfua=arguments.pdfua, writers=writers)
            outputs += files
            warnings += notes
    try:
        steps, recovered = archive_outputs(outputs, arguments.replace_draft)
    except ArchiveError as error:
        folder_problem = isinstance(error, (NotAnArchive, DamagedManifest))
        _print_problems(list(error.messages), "problem" if folder_problem else "file",
                        "found" if folder_problem else "refused")
        return EXIT_INPUT
    for line in [*map(str, warnings), *recovered]:
        print(line, file=sys.stderr)
    for step in steps:
        print(step.output.path if step.action == "new" else f"{step.output.path}: {step.action}")
    for folder in dict.fromkeys(step.output.path.parent for step in steps
                                if step.action != "unchanged"):
        print(folder / MANIFEST)
    return 0


def _watch(arguments: argparse.Namespace) -> int:
    """Build the meeting, then again on every save of a file it reads; return 0 when stopped."""
    from .templating import default_templates
    from .watcher import RenderMemo, watch

    templates = arguments.templates or default_templates()
    memo = RenderMemo()
    arguments.files = [arguments.file]
    arguments.replace_draft = True  # a watch rebuilds the draft it shows

    def say(line: str) -> None:
        print(line, flush=True)

    say(f"chancery: watching {arguments.file} (drafts are replaced as they change; a final "
        "version never is); Ctrl+C stops")
    try:
        watch(Path(arguments.file), lambda: _watch_round(arguments, templates, memo), templates,
              say, chosen=arguments.open_pdf)
    except KeyboardInterrupt:  # Ctrl+C during a build
        pass
    say("chancery: stopped watching")
    return 0


def _watch_round(arguments: argparse.Namespace, templates: Path, render):
    """Return what one build of a watch did (see watcher.Round), problems included."""
    from .archive import ArchiveError, archive_outputs
    from .build import build_outputs
    from .templating import TemplateError
    from .watcher import Round, watched_files

    result = Round()
    try:
        plan = _plan(arguments)
        if plan is None:
            result.problems.append(f"chancery: {templates} holds no chancery templates")
            return result
        wanted, templates, fallback = plan
        (loaded, chosen), = wanted
        result.watched = watched_files(Path(arguments.file), loaded, templates)
        outputs, warnings = build_outputs(loaded, chosen, arguments.format, arguments.out,
                                          templates, arguments.paper, fallback, arguments.pdfa,
                                          render=render, engine=arguments.pdf_engine,
                                          pdfua=arguments.pdfua)
        steps, recovered = archive_outputs(outputs, replace_draft=True)
    except InputError as error:
        result.problems = [str(problem) for problem in error.problems]
        if hasattr(error, "hint"):
            result.problems.append(f"chancery: {error.hint}")
        return result
    except TemplateError as error:
        result.problems = [str(error)]
        return result
    except ArchiveError as error:
        result.problems = list(error.messages)
        return result
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        result.problems = [f"chancery: {where}{error.strerror or error}"]
        return result
    result.problems = []
    result.written = [step.output.path for step in steps if step.action != "unchanged"]
    result.outputs = [step.output.path for step in steps]
    for line in [*map(str, warnings), *recovered]:
        print(line, file=sys.stderr)
    return result


def _participants(arguments: argparse.Namespace) -> int:
    """Write the list of participants as a spreadsheet; return the exit code."""
    from .registrations import participant_rows
    from .sheets import write_table

    loaded, = _load([arguments.file])
    meeting = loaded.meeting
    language = arguments.lang or meeting.languages[0]
    if language not in meeting.languages:
        raise InputError([loaded.source.problem(("languages",), (
            f"'{language}' is not one of the meeting's languages ({', '.join(meeting.languages)})"))])
    header, rows = participant_rows(meeting, language)
    data = write_table(header, rows, arguments.format)
    target = arguments.out or Path(f"{meeting.id}-participants.{arguments.format}")
    _write_new(target, data)
    print(target)
    return 0


def _write_new(target: Path, data: bytes) -> None:
    """Write a file that must not exist yet, whole or not at all; raise FileExistsError."""
    import tempfile

    if target.exists():
        raise FileExistsError(17, "the file exists; chancery never overwrites it: choose another "
                                  "name with --out, or move the old file away", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".chancery-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        try:
            os.link(temporary, target)  # fails if the file appeared meanwhile; never replaces
        except FileExistsError:
            raise
        except (AttributeError, NotImplementedError, OSError):  # no hard links (FAT, some shares)
            with open(target, "xb") as out:
                try:
                    out.write(data)
                except BaseException:
                    out.close()
                    target.unlink()
                    raise
    finally:
        os.unlink(temporary)


def _new(arguments: argparse.Namespace) -> int:
    """Write a new meeting file, checked to validate; return the exit code."""
    import tempfile

    from .build import MissingTexts, make_documents, requested_editions
    from .inputs import load_meeting
    from .scaffold import meeting_text
    from .source import read_source
    from .templating import default_templates

    target = arguments.file
    if target.suffix.lower() not in (".yaml", ".yml"):
        parser().error(f"{target}: a meeting file's name ends in .yaml")
    if target.exists():
        raise FileExistsError(17, "the file exists; chancery new never overwrites a file",
                              str(target))
    earlier, style = None, None
    if arguments.earlier:
        load_meeting(arguments.earlier)  # an earlier meeting with problems is reported first
        earlier = read_source(arguments.earlier).data
        if earlier.get("house_style"):  # the same style file, named from the new file's folder
            style = os.path.join(os.path.dirname(os.path.abspath(arguments.earlier)),
                                 os.path.expanduser(earlier["house_style"]))
            earlier = {**earlier, "house_style": Path(os.path.relpath(
                style, os.path.abspath(target.parent))).as_posix()}
    text = meeting_text(target, earlier, arguments.process, arguments.title, arguments.date,
                        arguments.city, arguments.country, arguments.languages,
                        Path(arguments.earlier).name if arguments.earlier else None)
    missing = []
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / target.name
        trial.write_text(text, encoding="utf-8")
        loaded = load_meeting(str(trial), style)  # the file must validate as written
        try:
            make_documents(loaded, requested_editions(loaded, None),
                           default_templates())
        except MissingTexts as error:  # texts carried by --from lack a language now wanted
            missing = [str(problem).replace(str(trial), str(target), 1)
                       for problem in error.problems]
    _write_new(target, text.encode("utf-8"))
    print(target)
    for line in missing:
        print(f"{line}", file=sys.stderr)
    if missing:
        print(f"chancery: {target} was written, but its documents cannot be built until the "
              f"{len(missing)} text{'s' if len(missing) != 1 else ''} above "
              f"{'are' if len(missing) != 1 else 'is'} given", file=sys.stderr)
    return 0


@contextlib.contextmanager
def _progress(total: int, stream=None):
    """Yield a function to call with each edition built: a progress bar (rich) on stderr when
    it is a terminal, which goes away when the build ends; else nothing."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield lambda edition: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(file=stream), transient=True) as bar:
        task = bar.add_task("building", total=total)
        yield lambda edition: bar.update(task, advance=1, description=edition.stem)


def _verify(arguments: argparse.Namespace) -> int:
    """Check an archive folder and print each problem and a summary; return the exit code."""
    from .archive import recovery_note, verify

    found = verify(arguments.folder)
    note = recovery_note(arguments.folder, found.recovered)
    for line in [*([note] if note else []), *found.problems, found.summary]:
        print(line)
    return EXIT_DAMAGED if found.problems else 0


def _seal(arguments: argparse.Namespace) -> int:
    """Seal a final PDF of an archive; return the exit code."""
    from .archive import seal_file

    from .files import KEY_FILE, read_regular

    passphrase = os.environ.get(arguments.passphrase_env)
    key = read_regular(arguments.pkcs12, limit=KEY_FILE, what="a key file")
    entry = seal_file(arguments.file, key,
                      None if passphrase is None else passphrase.encode(), arguments.reason)
    print(f"{arguments.file}: sealed by {entry.seal.signer} at {entry.seal.signed_at}")
    return 0


_COMMANDS = {"schema": _schema, "validate": _validate, "dump": _dump, "build": _build,
             "verify": _verify, "seal": _seal, "watch": _watch, "participants": _participants,
             "new": _new}
"""The function that runs each command."""


def _single_fallback(value: list[tuple[str, ...]] | None) -> str | None:
    """Return the one fallback language given, or None; exit with a usage error for more."""
    if value is None:
        return None
    if len(value) != 1 or len(value[0]) != 1:
        parser().error("--fallback takes one language, such as en")
    return value[0][0]


GC_THRESHOLD = (10_000, 50, 100)
"""The garbage collector's thresholds for a run of the command: a build makes many objects that
live until it ends (parsed templates, document trees, laid-out pages), and Python's default
(700 allocations) has the collector walk them again and again, about a twentieth of a build."""


def run() -> None:
    """Entry point of the console script."""
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    sys.exit(main())
