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
def environment(folder: Path):
    """Return the Jinja2 environment for a template folder: autoescaped, strict, compiled once
    for every language. _(), ngettext(), pgettext() and the language-bound filters read the
    language and its wording from each render's context ("language", "wording")."""
    import jinja2

    from .caches import template_cache
    from .wording import upper

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,  # every data string reaches the XML as text, never as markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=template_cache(),  # compiled once per user, not on every run
    )
    env.install_gettext_callables(
        jinja2.pass_context(lambda context, message: context["wording"].gettext(message)),
        jinja2.pass_context(lambda context, *forms: context["wording"].ngettext(*forms)),
        newstyle=True,
        pgettext=jinja2.pass_context(lambda context, *forms: context["wording"].pgettext(*forms)),
        npgettext=jinja2.pass_context(
            lambda context, *forms: context["wording"].npgettext(*forms)))
    env.filters["words"] = jinja2.pass_context(_words)
    env.filters["upper"] = jinja2.pass_context(
        lambda context, text: upper(str(text), context["language"]))
    env.filters["paragraphs"] = lambda text: [part.strip() for part in text.split("\n\n") if part.strip()]
    env.filters["join_and"] = _join_and
    env.filters["nobreak"] = lambda text: str(text).replace(" ", "\u00a0")  # a line never parts it
    return env


def _words(context, number: int, case: str | None = None) -> str:
    """Return the number in words in the render's language, in the case if it has cases."""
    from .wording import number_in_words

    return number_in_words(number, context["language"], case)


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

    from .catalogs import wording

    try:
        messages = wording(folder, language)
        xml = environment(folder).get_template(f"{name}.xml.j2").render(
            language=language, wording=messages, **context)
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
    if messages.missing:
        lines = [f"{messages.path}: no translation of "
                 f"{message!r}{f' (context {context!r})' if context else ''}"
                 for context, message in sorted(messages.missing, key=lambda pair: pair[1])]
        raise TemplateError("\n".join(lines))
    return xml
