"""Extract the templates' messages into templates/locale/chancery.pot and merge them into every
<lang>.po, keeping existing translations (new messages arrive untranslated, for a translator).

    python scripts/update_catalogs.py           # update the catalogs
    python scripts/update_catalogs.py --check   # exit 1 if the .pot is not current
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
LOCALE = TEMPLATES / "locale"
HEADER = ("# The fixed wording of chancery's templates.\n"
          "# Translate each msgstr; keep %(name)s and {name} placeholders as they are.\n"
          "# Regenerate with: python scripts/update_catalogs.py")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3)}


def extracted() -> Catalog:
    """Return a catalog of every message the templates use, with where each is used."""
    catalog = Catalog(project="chancery", domain="chancery", fuzzy=False, header_comment=HEADER,
                      copyright_holder="the chancery authors", msgid_bugs_address="")
    method = [("**.j2", "jinja2")]
    options = {"**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
    for filename, line, message, comments, context in extract_from_dir(
            str(TEMPLATES), method, keywords=KEYWORDS, options_map=options,
            comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, locations=[(f"templates/{filename}", line)], auto_comments=comments,
                    context=context)
    return catalog


_VOLATILE = (b'"POT-Creation-Date', b'"PO-Revision-Date', b'"Generated-By', b'"Project-Id-Version',
             b'"Report-Msgid-Bugs-To', b'"Last-Translator', b'"Language-Team')
"""Header lines that change with the day or the tools, not with the messages."""


def render(catalog: Catalog) -> bytes:
    """Return the catalog as .po text without dates, so that it changes only when messages do."""
    stream = io.BytesIO()
    write_po(stream, catalog, width=100, omit_header=False, sort_output=False)
    lines = [line for line in stream.getvalue().splitlines(keepends=True)
             if not line.startswith(_VOLATILE)]
    return b"".join(lines)


def main(argv: list[str]) -> int:
    template = extracted()
    pot = LOCALE / "chancery.pot"
    if "--check" in argv:
        current = pot.is_file() and pot.read_bytes() == render(template)
        print(f"{pot}: {'current' if current else 'out of date: run scripts/update_catalogs.py'}")
        return 0 if current else 1
    pot.write_bytes(render(template))
    for path in sorted(LOCALE.glob("*.po")):
        with path.open("rb") as stream:
            catalog = read_po(stream, locale=path.stem)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.write_bytes(render(catalog))
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
