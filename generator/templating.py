"""Jinja2 templates that turn a meeting into document XML, with data always escaped."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DOCUMENTS = ("agenda", "agenda-pack", "annotated-agenda", "participants", "logistics",
             "concept-note", "protocol", "briefing")
"""The documents chancery builds, each from templates/<name>.xml.j2: the programme ("agenda"),
the agenda pack and each of the pack's other parts alone, the outcome document ("protocol") and
the briefing pack."""


def default_templates() -> Path:
    """Return the folder of the templates shipped with chancery."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"  # pip installs templates/ inside the package
    return installed if installed.is_dir() else package.parent / "templates"


@cache
def environment(folder: Path, language: str):
    """Return the Jinja2 environment for a template folder in a language: autoescaped, strict,
    with the language's wording installed for _(), ngettext() and pgettext()."""
    import jinja2

    from .catalogs import wording
    from .wording import number_in_words, upper

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,  # every data string reaches the XML as text, never as markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
    )
    messages = wording(folder, language)
    env.install_gettext_callables(messages.gettext, messages.ngettext, newstyle=True,
                                  pgettext=messages.pgettext, npgettext=messages.npgettext)
    env.globals["wording"] = messages
    env.filters["words"] = lambda number, case=None: number_in_words(number, language, case)
    env.filters["upper"] = lambda text: upper(str(text), language)
    env.filters["paragraphs"] = lambda text: [part.strip() for part in text.split("\n\n") if part.strip()]
    env.filters["join_and"] = _join_and
    return env


def _join_and(words: list[str], conjunction: str = "and") -> str:
    """Return "A", "A and B" or "A, B and C"."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


class TemplateError(Exception):
    """A template that cannot be read or fails while writing: its file, line and what is wrong."""


def render_template(folder: Path, name: str, language: str, **context) -> str:
    """Return the document XML that the template writes in the language for the context; raise
    TemplateError naming the template file and line, or the catalog and message, if it cannot."""
    import jinja2

    from .catalogs import CatalogError

    try:
        env = environment(folder, language)
        xml = env.get_template(f"{name}.xml.j2").render(language=language, **context)
    except CatalogError as error:
        raise TemplateError(str(error)) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"{folder / error.name}: no such template") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:  # raised while rendering: find the template's line
        trace = error.__traceback__
        place = f"{folder / (name + '.xml.j2')}"
        while trace is not None:
            if trace.tb_frame.f_code.co_filename.endswith(".j2"):
                place = f"{trace.tb_frame.f_code.co_filename}:{trace.tb_lineno}"
            trace = trace.tb_next
        raise TemplateError(f"{place}: {error}") from None
    messages = env.globals["wording"]
    if messages.missing:
        lines = [f"{messages.path}: no translation of "
                 f"{message!r}{f' (context {context!r})' if context else ''}"
                 for context, message in sorted(messages.missing, key=lambda pair: pair[1])]
        raise TemplateError("\n".join(lines))
    return xml
