"""Jinja2 templates that turn a meeting into document XML, with data always escaped."""

from __future__ import annotations

import contextvars
import os
import re
import time
from functools import cache
from pathlib import Path

from .files import TEMPLATE_FILE, UnreadableFile, read_regular

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


RENDER_SECONDS = 60
"""The longest one document's template may run; the shipped ones take well under a second."""

OUTPUT_CHARACTERS = 64_000_000
"""The most characters of XML one document's template may write (the example meeting's
largest document takes about 100,000)."""

MAX_VALUE = 1_000_000
"""The longest text or list, and the largest number of digits, one template operation may make."""

_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("deadline", default=float("inf"))

_WIDE_FORMAT = re.compile(r"[%:{][^%:{}]*?\d{5,}")


@cache
def _sandbox():
    """Return the class of sandboxed environment templates run in: Jinja2's sandbox (no
    underscore attributes, no unsafe methods), with limits on what one operation may make and
    on the time a render may take."""
    import operator

    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    def refuse(message: str):
        raise jinja2.exceptions.SecurityError(message)

    def tick() -> None:
        if time.monotonic() > _DEADLINE.get():
            refuse(f"the template ran longer than {RENDER_SECONDS} seconds (does it loop "
                   "or recurse without end?)")

    class Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset(("*", "**", "%"))

        def call_binop(self, context, operator_name, left, right):
            tick()
            if operator_name == "**" and isinstance(left, int) and isinstance(right, int) and (
                    right > 64 and abs(left) > 1):
                refuse(f"{left} ** {right} is too large a number for a template to make")
            if operator_name == "*":
                sized, count = ((left, right) if isinstance(right, int) else (right, left))
                if isinstance(count, int) and hasattr(sized, "__len__") and (
                        len(sized) * count > MAX_VALUE):
                    refuse(f"repeating a text or list {count} times makes more than "
                           f"{MAX_VALUE:,} items")
            if operator_name == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
                refuse("a format that wide is more than a template may make")
            function = {"*": operator.mul, "**": operator.pow, "%": operator.mod}[operator_name]
            return function(left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own names)
            tick()
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj, attribute):
            tick()
            return super().getattr(obj, attribute)

        def format_string(self, s, args, kwargs, format_func=None):
            if _WIDE_FORMAT.search(s):
                refuse("a format that wide is more than a template may make")
            return super().format_string(s, args, kwargs, format_func)

    return Sandbox


class _Loader:
    """Jinja2's file system loader, reading each template as a bounded regular file."""

    def __new__(cls, folder: str):
        import jinja2
        from jinja2.loaders import split_template_path

        class Loader(jinja2.FileSystemLoader):
            def get_source(self, environment, template):
                path = os.path.join(folder, *split_template_path(template))
                if not os.path.lexists(path):
                    raise jinja2.TemplateNotFound(template)
                try:
                    text = read_regular(path, limit=TEMPLATE_FILE, what="a template").decode("utf-8")
                except UnreadableFile as error:
                    raise TemplateError(f"{path}: {error.reason}") from None
                except UnicodeDecodeError as error:
                    raise TemplateError(f"{path}: not UTF-8 text ({error.reason})") from None
                modified = os.path.getmtime(path)

                def unchanged() -> bool:
                    try:
                        return os.path.getmtime(path) == modified
                    except OSError:
                        return False

                return text, path, unchanged

        return Loader(folder)


@cache
def environment(folder: Path):
    """Return the Jinja2 environment for a template folder: sandboxed (see _sandbox) unless it
    is the shipped templates' folder, autoescaped, strict, compiled once for every language.
    _(), ngettext(), pgettext() and the language-bound filters read the language and its
    wording from each render's context ("language", "wording")."""
    import jinja2

    from .caches import template_cache
    from .wording import upper

    trusted = folder.resolve() == default_templates().resolve()  # the shipped templates
    env = (jinja2.Environment if trusted else _sandbox())(
        loader=_Loader(str(folder)),
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
    env.filters["join_and"] = jinja2.pass_context(_join_and)
    env.filters["language_name"] = jinja2.pass_context(_language_name)
    env.filters["nobreak"] = lambda text: str(text).replace(" ", "\u00a0")  # a line never parts it
    for name in ("center", "indent", "wordwrap", "truncate", "format"):  # no huge widths
        env.filters[name] = _bounded(env.filters[name])
    env.globals.pop("lipsum", None)  # it makes text of any size
    return env


def _bounded(function):
    """Return the filter refusing a number argument above MAX_VALUE and a format that wide."""
    import jinja2

    def bounded(*args, **kwargs):
        values = [*args, *kwargs.values()]
        if any(isinstance(value, int) and value > MAX_VALUE for value in values) or any(
                isinstance(value, str) and _WIDE_FORMAT.search(value) for value in values[:1]):
            raise jinja2.exceptions.SecurityError(f"a filter argument larger than {MAX_VALUE:,}")
        return function(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(function, attribute):
            setattr(bounded, attribute, getattr(function, attribute))
    return bounded


def _words(context, number: int, case: str | None = None) -> str:
    """Return the number in words in the render's language, in the case if it has cases."""
    from .wording import number_in_words

    return number_in_words(number, context["language"], case)


def _join_and(context, words: list[str], conjunction: str = "and") -> str:
    """Return "A", "A and B" or "A, B and C", joined as the render's language joins a list
    ("A، B وC" in Arabic, "A、B和C" in Chinese); conjunction is kept for old templates."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    wording = context["wording"]
    between = str(wording.pgettext("between the names of a list", ", "))
    last = str(wording.pgettext("before the last name of a list", " and "))
    return f"{between.join(words[:-1])}{last}{words[-1]}"


class TemplateError(Exception):
    """A template that cannot be read or fails while writing: its file, line and what is wrong."""


def _written(chunks) -> str:
    """Return the template's output, checking its size and the time as it is written."""
    import jinja2

    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > OUTPUT_CHARACTERS:
            raise jinja2.exceptions.SecurityError(
                f"the template wrote more than {OUTPUT_CHARACTERS:,} characters")
        if time.monotonic() > _DEADLINE.get():
            raise jinja2.exceptions.SecurityError(
                f"the template ran longer than {RENDER_SECONDS} seconds")
        parts.append(chunk)
    return "".join(parts)


def _place(folder: Path, name: str, error: BaseException | None) -> str:
    """Return "file:line" of the template line the error was raised in, else the template."""
    place = f"{folder / (name + '.xml.j2')}"
    trace = error.__traceback__ if error is not None else None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith(".j2"):
            place = f"{trace.tb_frame.f_code.co_filename}:{trace.tb_lineno}"
        trace = trace.tb_next
    return place


def _language_name(context, code: str) -> str:
    """Return the language's name in the render's language, as Babel spells it."""
    return _language_names(context["language"].replace("-", "_")).get(code, code)


@cache
def _language_names(locale: str) -> dict[str, str]:
    """Return the names of the languages in the locale's language, by code, kept in the user's
    cache folder for this Babel (loading a locale's data costs more than a page's text)."""
    import babel

    from .caches import kept_value

    def make() -> dict[str, str]:
        from babel import Locale

        return dict(Locale.parse(locale).languages)

    return kept_value("languages", (babel.__version__, locale), make,
                      lambda names: isinstance(names, dict)
                      and all(isinstance(name, str) for name in names.values()))


def render_template(folder: Path, name: str, language: str, **context) -> str:
    """Return the document XML that the template writes in the language for the context; raise
    TemplateError naming the template file and line, or the catalog and message, if it cannot."""
    import jinja2

    from .catalogs import CatalogError, wording
    from .problems import InputError

    token = _DEADLINE.set(time.monotonic() + RENDER_SECONDS)
    try:
        messages = wording(folder, language)
        xml = _written(environment(folder).get_template(f"{name}.xml.j2").generate(
            language=language, wording=messages, **context))
    except CatalogError as error:
        raise TemplateError(str(error)) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"{folder / error.name}: no such template") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:  # raised while rendering: find the template's line
        raise TemplateError(f"{_place(folder, name, error)}: {error}") from None
    except (InputError, TemplateError):
        raise
    except RecursionError as error:
        raise TemplateError(f"{_place(folder, name, error)}: the template calls itself without "
                            "end (a macro or include that never stops)") from None
    except Exception as error:  # any failure of a user's template is the template's problem
        raise TemplateError(f"{_place(folder, name, error)}: "
                            f"{type(error).__name__}: {error}") from None
    finally:
        _DEADLINE.reset(token)
    if messages.missing:
        lines = [f"{messages.path}: no translation of "
                 f"{message!r}{f' (context {context!r})' if context else ''}"
                 for context, message in sorted(messages.missing, key=lambda pair: pair[1])]
        raise TemplateError("\n".join(lines))
    return xml
