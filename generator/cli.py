"""The command line: chancery validate | build | dump | schema."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import __version__
from .problems import InputError

EXIT_INPUT = 2
"""Exit code for bad input or bad usage: the user can fix it."""

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
    from .build import FORMATS
    from .templating import DOCUMENTS

    main = argparse.ArgumentParser(
        prog="chancery", description="Build meeting documents (agenda, outcome protocol, "
                                     "briefing pack) as DOCX and PDF from one YAML file.")
    main.add_argument("--version", action="version", version=f"chancery {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check meeting files and report every problem")
    validate.add_argument("files", nargs="+", metavar="FILE")

    for name, help_text in (("build", "write the documents into the output folder"),
                            ("dump", "print the document model as text (for checking templates)")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("files", nargs="+", metavar="FILE")
        command.add_argument("--only", type=lambda text: _names(text, DOCUMENTS, "document"),
                             metavar="DOCS", help=f"comma-separated, from {','.join(DOCUMENTS)} "
                                                  "(default: every document the file has data for)")
        command.add_argument("--templates", type=Path, metavar="DIR",
                             help="use the templates in DIR instead of the shipped ones")
        command.add_argument("--paper", choices=("A4", "Letter"), help="override the file's paper size")
        command.add_argument("--lang", type=_languages, metavar="LANGS",
                             help="comma-separated editions, each a language or languages joined "
                                  "by '+' for one edition in several: ru, en+ru (default: each "
                                  "of the document's languages, and the protocol in all of them)")
        command.add_argument("--fallback", metavar="LANG", type=_languages,
                             help="print the text in LANG where the input lacks a text in a "
                                  "document's language, with a warning for each")
        if name == "build":
            command.add_argument("--format", type=lambda text: _names(text, FORMATS, "format"),
                                 default=list(FORMATS), metavar="FORMATS",
                                 help="comma-separated, from docx,pdf (default: both)")
            command.add_argument("--out", type=Path, default=Path("outputs"), metavar="DIR",
                                 help="output folder (default: outputs)")

    commands.add_parser("schema", help="print the JSON Schema of meeting files")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    from .templating import TemplateError

    arguments = parser().parse_args(argv)
    try:
        return _run(arguments)
    except TemplateError as error:
        print(f"{error}\nchancery: the templates have a problem; nothing was written", file=sys.stderr)
        return EXIT_INPUT
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"chancery: {count} problem{'s' if count != 1 else ''} found; nothing was written",
              file=sys.stderr)
        if hasattr(error, "hint"):
            print(f"chancery: {error.hint}", file=sys.stderr)
        return EXIT_INPUT


def _run(arguments: argparse.Namespace) -> int:
    """Run one command; raise InputError for any problem in the inputs."""
    if arguments.command == "schema":
        from .meeting import Meeting

        print(json.dumps(Meeting.model_json_schema(), indent=2, ensure_ascii=False))
        return 0

    from .inputs import load_meeting

    loaded, problems = [], []
    for name in arguments.files:
        try:
            loaded.append(load_meeting(name))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    from .build import (
        MissingTexts, available_documents, build_outputs, check_requested, editions, make_documents,
        write_outputs,
    )
    from .templating import default_templates

    if arguments.command == "validate":  # every text each default edition needs is there too
        missing = []
        for meeting in loaded:
            try:
                make_documents(meeting, editions(meeting, available_documents(meeting)),
                               default_templates())
            except MissingTexts as error:
                missing.append(error)
        if missing:
            raise MissingTexts([problem for error in missing for problem in error.problems],
                               [gap for error in missing for gap in error.gaps])
        for name in arguments.files:
            print(f"{name}: valid")
        return 0
    from .writers.dump import render_dump

    templates = arguments.templates or default_templates()
    if not (templates / "agenda.xml.j2").is_file():
        print(f"chancery: {templates} holds no chancery templates", file=sys.stderr)
        return EXIT_INPUT
    fallback = _single_fallback(arguments.fallback)
    for meeting in loaded:
        check_requested(meeting, arguments.only or [])
    wanted = [(meeting, editions(meeting, arguments.only or available_documents(meeting),
                                 arguments.lang, chosen=arguments.only is not None))
              for meeting in loaded]
    if arguments.command == "dump":
        for meeting, chosen in wanted:
            documents, _ = make_documents(meeting, chosen, templates, arguments.paper, fallback)
            for _, document in documents:
                sys.stdout.write(render_dump(document))
        return 0
    outputs, warnings = [], []
    for meeting, chosen in wanted:
        files, notes = build_outputs(meeting, chosen, arguments.format, arguments.out, templates,
                                     arguments.paper, fallback)
        outputs += files
        warnings += notes
    write_outputs(outputs)
    for warning in warnings:
        print(warning, file=sys.stderr)
    for output in outputs:
        print(output.path)
    return 0


def _single_fallback(value: list[tuple[str, ...]] | None) -> str | None:
    """Return the one fallback language given, or None; exit with a usage error for more."""
    if value is None:
        return None
    if len(value) != 1 or len(value[0]) != 1:
        parser().error("--fallback takes one language, such as en")
    return value[0][0]


def run() -> None:
    """Entry point of the console script."""
    sys.exit(main())
