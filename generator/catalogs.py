"""The templates' fixed wording in each language: gettext catalogs in templates/locale/<lang>.po.

The templates are written in English. A translator edits templates/locale/ru.po (or adds a
language by copying chancery.pot to <lang>.po) with any gettext editor; nothing is compiled.
A message the catalog does not translate is noted, so a build never prints English wording in a
Russian document without saying so.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import lru_cache
from pathlib import Path

from markupsafe import escape

from .files import TEMPLATE_FILE, UnreadableFile, read_regular

SOURCE_LANGUAGE = "en"
"""The language the templates are written in: it needs no catalog."""

DOMAIN = "chancery"
"""The gettext domain: templates/locale/chancery.pot holds every message."""


class CatalogError(Exception):
    """A catalog that cannot be read: its file and what is wrong."""


def catalog_folder(templates: Path) -> Path:
    """Return the folder of the catalogs that go with a template folder."""
    return templates / "locale"


def languages_with_wording(templates: Path) -> list[str]:
    """Return the languages the templates can be written in: English and every catalog's."""
    found = sorted(path.stem for path in catalog_folder(templates).glob("*.po"))
    return [SOURCE_LANGUAGE] + [language for language in found if language != SOURCE_LANGUAGE]


class Wording:
    """One language's translations of the templates' messages, as text (never markup)."""

    def __init__(self, language: str, translations: gettext.NullTranslations,
                 translated: frozenset[tuple[str | None, str]], path: Path | None):
        self.language = language
        self.path = path
        self._translations = translations
        self._translated = translated
        self.missing: set[tuple[str | None, str]] = set()
        """(context, message) pairs asked for that the catalog does not translate."""

    def _note(self, context: str | None, message: str) -> None:
        if self.path is not None and (context, message) not in self._translated:
            self.missing.add((context, message))

    def gettext(self, message: str) -> str:
        """Return the message in the language."""
        self._note(None, message)
        return escape(self._translations.gettext(message))

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """Return the singular or plural message for the number, in the language."""
        self._note(None, singular)
        return escape(self._translations.ngettext(singular, plural, number))

    def pgettext(self, context: str, message: str) -> str:
        """Return the message in the language, as used in the context."""
        self._note(context, message)
        return escape(self._translations.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, number: int) -> str:
        """Return the singular or plural message for the number in the context."""
        self._note(context, singular)
        return escape(self._translations.npgettext(context, singular, plural, number))


def wording(templates: Path, language: str) -> Wording:
    """Return a fresh Wording of the language for the templates; raise CatalogError if the
    language has no catalog or its catalog cannot be read."""
    path = catalog_folder(templates) / f"{language}.po"
    try:  # read each time, so that a process that builds again sees an edited catalog
        content = read_regular(path, limit=TEMPLATE_FILE, what="a catalog")
    except UnreadableFile as error:
        if os.path.lexists(path):
            raise CatalogError(f"{path}: {error.reason}") from None
        content = None
    translations, translated, path = _load(templates, language, content)
    return Wording(language, translations, translated, path)


@lru_cache(maxsize=32)
def _load(templates: Path, language: str, content: bytes | None):
    """Return (translations, translated (context, message) pairs, catalog path or None) of the
    catalog's content, None when there is no catalog file."""
    path = catalog_folder(templates) / f"{language}.po"
    if language == SOURCE_LANGUAGE and content is None:
        return gettext.NullTranslations(), frozenset(), None
    if content is None:
        raise CatalogError(f"{path}: no such catalog, so nothing can be written in '{language}'; "
                           f"chancery has wording in {', '.join(languages_with_wording(templates))}")
    kept = _kept_catalog(language, content)
    if kept is not None:
        return kept[0], kept[1], path
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    try:
        with io.BytesIO(content) as stream:
            catalog = read_po(stream, locale=language, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot be read as a gettext catalog ({error})") from None
    translated = frozenset((message.context, _singular(message.id)) for message in catalog
                           if message.id and not message.fuzzy and _complete(message.string))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    _keep_catalog(language, content, compiled.getvalue(), translated)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled), translated, path


def _catalog_key(language: str, content: bytes) -> str:
    """Return the cache key of a catalog's compiled form: its language, its bytes and Babel's
    version."""
    import hashlib

    import babel

    from .caches import code_key, entry_key

    return entry_key("catalog", babel.__version__, language, hashlib.sha256(content).hexdigest(),
                     code_key(_load.__wrapped__, _complete, _singular))


def _kept_catalog(language: str, content: bytes):
    """Return (translations, translated pairs) of the catalog compiled before, from the user's
    cache folder, or None when it holds none for these very bytes (reading a catalog loads
    its language's plural rules, which costs more than the build's use of it)."""
    import marshal

    from .caches import read_entry

    kept = read_entry("catalogs", _catalog_key(language, content))
    if kept is None:
        return None
    try:
        compiled, pairs = marshal.loads(kept)
        translated = frozenset((context, message) for context, message in pairs)
        if not all(isinstance(message, str) and isinstance(context, str | None)
                   for context, message in translated):
            return None
        return gettext.GNUTranslations(io.BytesIO(compiled)), translated
    except (EOFError, ValueError, TypeError, OSError, UnicodeDecodeError):  # made again
        return None


def _keep_catalog(language: str, content: bytes, compiled: bytes,
                  translated: frozenset[tuple[str | None, str]]) -> None:
    """Keep a catalog's compiled form and translated pairs in the user's cache folder."""
    import marshal

    from .caches import write_entry

    write_entry("catalogs", _catalog_key(language, content),
                marshal.dumps((compiled, sorted(translated, key=lambda pair: (pair[0] or "", pair[1])))))


def _singular(message_id: str | tuple[str, ...]) -> str:
    """Return the singular form of a message id (plural messages have a tuple)."""
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _complete(string: str | tuple[str, ...]) -> bool:
    """Return whether every form of a translation is filled in."""
    forms = string if isinstance(string, tuple) else (string,)
    return all(form for form in forms)
