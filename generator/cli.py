"""The command line: chancery validate | build | dump | schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .problems import InputError

EXIT_INPUT = 2
"""Exit code for bad input or bad usage: the user can fix it."""


def _names(text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    """Return the comma-separated names, each checked against the allowed ones."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(map(repr, unknown)) or '(none given)'}; choose from "
            f"{', '.join(allowed)}")
    return list(dict.fromkeys(names))


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
    if arguments.command == "validate":
        for name in arguments.files:
            print(f"{name}: valid")
        return 0

    from .build import available_documents, build_outputs, check_requested, make_document, write_outputs
    from .templating import default_templates

    templates = arguments.templates or default_templates()
    if not (templates / "agenda.xml.j2").is_file():
        print(f"chancery: {templates} holds no chancery templates", file=sys.stderr)
        return EXIT_INPUT
    for meeting in loaded:
        check_requested(meeting, arguments.only or [])
    if arguments.command == "dump":
        from .writers.dump import render_dump

        for meeting in loaded:
            for name in arguments.only or available_documents(meeting):
                sys.stdout.write(render_dump(make_document(meeting, name, templates, arguments.paper)))
        return 0
    outputs = [output for meeting in loaded
               for output in build_outputs(meeting, arguments.only or available_documents(meeting),
                                           arguments.format, arguments.out, templates,
                                           arguments.paper)]
    write_outputs(outputs)
    for output in outputs:
        print(output.path)
    return 0


def run() -> None:
    """Entry point of the console script."""
    sys.exit(main())
