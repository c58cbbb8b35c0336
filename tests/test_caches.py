"""The caches: a build gives the same bytes with an empty, a filled, a damaged, a stale or an
unwritable cache folder, and a warm process sees edits to the meeting, templates and catalogs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import marshal
import os
import shutil
from pathlib import Path

import jinja2
import pyphen
import pyuca
import pytest

from generator import (
    caches, catalogs, collation, dates, fonts, hyphenation, parsed_fonts, templating,
)
from generator.build import Edition, make_document, rebuild
from generator.inputs import load_meeting
from generator.problems import InputError
from generator.rendering import render_formats
from generator.writers import docx as docx_writer
from tests.readback import docx_lines

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "almaty-process-8th-som.yaml"

POSIX = pytest.mark.skipif(not hasattr(os, "getuid"), reason="folder modes are POSIX's")


def cold(monkeypatch, folder: Path | str) -> None:
    """Forget what this process made once, as a new process would, and use the cache folder."""
    monkeypatch.setenv(caches.CACHE_ENV, str(folder))
    templating.environment.cache_clear()
    docx_writer.deflated.cache_clear()
    hyphenation.load_patterns.cache_clear()
    hyphenation.hyphenator.cache_clear()
    pyphen.hdcache.clear()
    collation._collator.cache_clear()
    fonts.register_pdf_fonts.cache_clear()
    dates._month_names.cache_clear()
    templating._language_names.cache_clear()
    catalogs._load.cache_clear()


def protocol_files(templates: Path | None = None) -> dict[str, bytes]:
    """Return the English protocol of the example as DOCX and PDF bytes."""
    loaded = load_meeting(str(EXAMPLE))
    document, _ = make_document(loaded, Edition("protocol", ("en",)),
                                templates or templating.default_templates())
    return render_formats(document, ["docx", "pdf"])


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Return the names of the templates Jinja2 compiles from source from now on."""
    names = []
    original = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


@pytest.fixture(autouse=True)
def forget(monkeypatch):
    """Leave no test's cache folder to the next test or module."""
    yield
    cold(monkeypatch, "off")


def test_builds_with_empty_filled_and_no_cache_give_the_same_bytes(tmp_path, monkeypatch, compiles):
    cold(monkeypatch, "off")
    uncached = protocol_files()
    cold(monkeypatch, tmp_path / "cache")
    first = protocol_files()
    assert "protocol.xml.j2" in compiles
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [
        "collation", "faces", "fonts", "hyphenation", "ink", "months", "templates"]
    compiles.clear()
    cold(monkeypatch, tmp_path / "cache")
    cached = protocol_files()
    assert compiles == []  # every template came from the cache
    assert first == uncached and cached == uncached


def test_damaged_or_swapped_entries_are_ignored_and_made_again(tmp_path, monkeypatch, compiles):
    cold(monkeypatch, "off")
    uncached = protocol_files()
    cache = tmp_path / "cache"
    cold(monkeypatch, cache)
    protocol_files()
    entries = sorted(path for path in cache.rglob("*") if path.is_file())
    fonts = sorted((cache / "fonts").iterdir())
    assert len(fonts) >= 2
    swapped = [path.read_bytes() for path in fonts]
    for path, data in zip(fonts, swapped[1:] + swapped[:1]):
        path.write_bytes(data)  # each a sound entry, for another font
    for path in entries:
        if path.parent.name != "fonts":
            data = path.read_bytes()
            path.write_bytes(data[:40] + bytes(byte ^ 0x55 for byte in data[40:80]) + data[80:])
    compiles.clear()
    cold(monkeypatch, cache)
    assert protocol_files() == uncached
    assert "protocol.xml.j2" in compiles
    compiles.clear()
    cold(monkeypatch, cache)
    assert protocol_files() == uncached
    assert compiles == []  # the damaged entries were made again


def test_a_changed_template_is_compiled_again(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(templating.default_templates(), templates)
    cold(monkeypatch, tmp_path / "cache")
    assert any(line.startswith("Done at Baku") for line in docx_lines(protocol_files(templates)["docx"]))
    protocol = templates / "protocol.xml.j2"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(text.replace('_("Done at %(place)s on %(date)s in [...] originals"',
                                     '_("Signed at %(place)s on %(date)s in [...] originals"'), encoding="utf-8")
    cold(monkeypatch, tmp_path / "cache")
    lines = docx_lines(protocol_files(templates)["docx"])
    assert any(line.startswith("Signed at Baku") for line in lines)
    assert not any(line.startswith("Done at Baku") for line in lines)


@pytest.mark.parametrize("where", ["file", "off"])
def test_a_cache_folder_that_cannot_be_made_only_costs_time(tmp_path, monkeypatch, where):
    cold(monkeypatch, "off")
    uncached = protocol_files()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cold(monkeypatch, blocker / "cache" if where == "file" else "off")
    assert protocol_files() == uncached
    assert blocker.read_text() == "not a folder"


@POSIX
def test_a_cache_folder_others_may_write_to_is_not_used(tmp_path, monkeypatch, compiles):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)
    cold(monkeypatch, cache)
    protocol_files()
    compiles.clear()
    cold(monkeypatch, cache)
    protocol_files()
    assert "protocol.xml.j2" in compiles  # nothing was taken from the folder
    assert not any(path.is_file() for path in cache.rglob("*"))


def test_cached_hyphenation_patterns_hyphenate_as_pyphen_does(tmp_path, monkeypatch):
    words = ["remittances", "development", "international", "cooperation", "migration"]
    cold(monkeypatch, "off")
    fresh = [pyphen.Pyphen(lang="en_US").inserted(word) for word in words]
    for _ in range(2):  # the first fills the cache, the second reads it
        cold(monkeypatch, tmp_path / "cache")
        hyphenation.load_patterns("en_US")
        assert [pyphen.Pyphen(lang="en_US").inserted(word) for word in words] == fresh
    assert len(list((tmp_path / "cache" / "hyphenation").iterdir())) == 1


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of the bytes."""
    return hashlib.sha256(data).hexdigest()


def test_a_kept_font_is_the_font_reportlab_parses(tmp_path, monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

    data = fonts.face_bytes("bold")
    fresh = TTFont("NotoSerif-Bold", io.BytesIO(data))
    cold(monkeypatch, tmp_path / "cache")
    parsed_fonts.parsed_font("NotoSerif-Bold", data)  # parses, and keeps the tables

    def parse(*arguments, **keywords):
        raise AssertionError("the font was parsed again")

    monkeypatch.setattr(TTFontFile, "extractInfo", parse)
    kept = parsed_fonts.parsed_font("NotoSerif-Bold", data)
    assert type(kept) is TTFont and type(kept.face) is type(fresh.face)
    assert {key: value for key, value in vars(kept).items() if key not in ("face", "encoding", "state")} == {
        key: value for key, value in vars(fresh).items() if key not in ("face", "encoding", "state")}
    assert vars(kept.encoding) == vars(fresh.encoding)
    same = {key: value for key, value in vars(fresh.face).items() if key != "_pdfScale"}
    assert {key: value for key, value in vars(kept.face).items() if key != "_pdfScale"} == same
    assert {key: type(value) for key, value in vars(kept.face).items()} == {
        key: type(value) for key, value in vars(fresh.face).items()}
    assert kept.face.name.ustr == fresh.face.name.ustr
    assert kept.face._pdfScale(733) == fresh.face._pdfScale(733)
    text = "Türkiye, Кыргызстан: 12 500"
    assert kept.stringWidth(text, 11) == fresh.stringWidth(text, 11)
    assert kept.face.makeSubset(list(range(32, 90))) == fresh.face.makeSubset(list(range(32, 90)))
    monkeypatch.undo()
    cold(monkeypatch, tmp_path / "cache")
    regular = fonts.face_bytes("regular")
    parsed_fonts.parsed_font("NotoSerif", regular)
    faces = tmp_path / "cache" / "faces"
    bold_entry, regular_entry = (faces / parsed_fonts.face_key(sha256(font))
                                 for font in (data, regular))
    bold_entry.write_bytes(regular_entry.read_bytes())  # a sound entry, for another font
    again = parsed_fonts.parsed_font("NotoSerif-Bold", data)
    assert {key: value for key, value in vars(again.face).items() if key != "_pdfScale"} == same


def test_kept_month_names_are_babels(tmp_path, monkeypatch):
    from babel import Locale

    for locale in ("en", "ru", "fr"):
        wide = dict(Locale.parse(locale).months["format"]["wide"])
        for _ in range(2):  # the first keeps them, the second reads them
            cold(monkeypatch, tmp_path / "cache")
            assert dates._month_names(locale) == wide
    entries = sorted((tmp_path / "cache" / "months").iterdir())
    assert len(entries) == 3
    for path, kept in zip(entries, (b"\x00not marshal", marshal.dumps({1: "janvier"}),
                                    marshal.dumps(["months"]))):  # sound entries, wrong contents
        caches.write_entry("months", path.name, kept)
    cold(monkeypatch, tmp_path / "cache")
    assert [dates._month_names(locale)[10] for locale in ("en", "ru", "fr")] == [
        "October", "октября", "octobre"]
    assert dates.format_day(dt.date(2023, 10, 12), "ru") == "12\u00a0октября 2023\u00a0года"
    cold(monkeypatch, tmp_path / "cache")
    assert dates._month_names("ru")[10] == "октября"  # made again


def test_kept_catalogs_translate_as_the_catalog_files(tmp_path, monkeypatch):
    from babel.messages.pofile import read_po

    templates = templating.default_templates()

    def translations(language: str) -> tuple[list[str], frozenset]:
        """Return the wording of every message of the catalog, and its translated pairs."""
        path = catalogs.catalog_folder(templates) / f"{language}.po"
        with path.open("rb") as stream:
            messages = [message for message in read_po(stream) if message.id]
        wording = catalogs.wording(templates, language)
        said = [wording.pgettext(message.context, message.id) if message.context
                else wording.gettext(message.id)
                for message in messages if isinstance(message.id, str)]
        said += [wording.ngettext(*message.id[:2], number)
                 for message in messages if isinstance(message.id, tuple) for number in (1, 2, 5)]
        return said, wording._translated

    cold(monkeypatch, "off")
    expected = {language: translations(language) for language in ("ru", "fr")}
    assert expected["ru"][1] and any("\u0400" <= char <= "\u04ff" for char in "".join(expected["ru"][0]))
    for _ in range(2):  # the first keeps them, the second reads them
        cold(monkeypatch, tmp_path / "cache")
        assert {language: translations(language) for language in ("ru", "fr")} == expected
    entries = sorted((tmp_path / "cache" / "catalogs").iterdir())
    assert len(entries) == 2
    for path, kept in zip(entries, (marshal.dumps((b"not a compiled catalog", [])),
                                    marshal.dumps(["not", "a", "catalog"]))):
        caches.write_entry("catalogs", path.name, kept)  # sound entries, wrong contents
    cold(monkeypatch, tmp_path / "cache")
    assert {language: translations(language) for language in ("ru", "fr")} == expected


NAMES = ["Türkiye", "Turkmenistan", "Туркменистан", "Côte d'Ivoire", "Ĳssel", "l·l", "中国", "𠀀"]
"""Names whose keys need contractions, expansions and implicit weights."""


def test_cached_collation_index_keys_as_the_whole_table(tmp_path, monkeypatch):
    cold(monkeypatch, "off")
    whole = pyuca.Collator()
    expected = [whole.sort_key(name) for name in NAMES]
    assert [collation.sort_key(name) for name in NAMES] == expected
    for _ in range(2):  # the first fills the cache, the second reads it
        cold(monkeypatch, tmp_path / "cache")
        assert [collation.sort_key(name) for name in NAMES] == expected
    entries = list((tmp_path / "cache" / "collation").iterdir())
    assert len(entries) == 1
    key = entries[0].name
    caches.write_entry("collation", key, b"not marshal data")  # sound checksum, wrong contents
    cold(monkeypatch, tmp_path / "cache")
    assert [collation.sort_key(name) for name in NAMES] == expected
    assert caches.read_entry("collation", key) != b"not marshal data"  # made again


def test_changed_code_makes_its_entries_again():
    def months(locale):
        return locale, "format", "wide"

    def same(locale):
        return locale, "format", "wide"

    def other(locale):
        return locale, "stand-alone", "wide"

    assert caches.code_key(months) == caches.code_key(months)
    assert caches.code_key(months) != caches.code_key(other)
    assert caches.code_key(same) != caches.code_key(other)


@POSIX
def test_entries_are_private_to_the_user(tmp_path, monkeypatch):
    cold(monkeypatch, tmp_path / "cache")
    caches.write_entry("templates", "key", b"data")
    assert (tmp_path / "cache" / "templates").stat().st_mode & 0o077 == 0
    assert caches.read_entry("templates", "key") == b"data"
    (tmp_path / "cache" / "templates" / "key").write_bytes(b"x" * 40)
    assert caches.read_entry("templates", "key") is None


def test_rebuild_sees_edits_to_the_meeting_and_the_catalog(tmp_path, monkeypatch):
    cold(monkeypatch, tmp_path / "cache")
    templates = tmp_path / "templates"
    shutil.copytree(templating.default_templates(), templates)
    meeting = tmp_path / "meeting.yaml"
    meeting.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")

    def protocol_lines(out: str) -> list[str]:
        steps, warnings, notes = rebuild(meeting, tmp_path / out, ["protocol"], [("ru",)],
                                         ["docx"], templates)
        assert [step.action for step in steps] == ["new"] and not warnings and not notes
        return docx_lines(steps[0].output.path.read_bytes())

    assert any(line.startswith("Совершено в городе Баку") for line in protocol_lines("one"))
    catalog = templates / "locale" / "ru.po"
    text = catalog.read_text(encoding="utf-8")
    translation = 'msgstr "Совершено в городе %(place)s %(date)s в [...] экземплярах"'
    assert translation in text
    catalog.write_text(text.replace(translation,
                       'msgstr "Подписано в городе %(place)s %(date)s в [...] экземплярах"'),
                       encoding="utf-8")
    assert any(line.startswith("Подписано в городе Баку") for line in protocol_lines("two"))
    meeting.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "Выражают согласие", "Выражают полное согласие"), encoding="utf-8")
    assert any("Выражают полное согласие" in line for line in protocol_lines("three"))
    meeting.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError):
        rebuild(meeting, tmp_path / "four", ["protocol"])
    assert not (tmp_path / "four").exists()


def test_rebuild_takes_protocol_for_every_outcome_as_build_does(tmp_path, monkeypatch):
    cold(monkeypatch, tmp_path / "cache")
    meeting = EXAMPLE.parent / "solmera-process-4th-ministerial.yaml"
    steps, _, _ = rebuild(meeting, tmp_path / "out", ["protocol"], [("en",)], ["docx"])
    assert sorted(step.output.entry.document for step in steps) == [
        "action-plan", "chair-summary", "declaration"]


def test_kept_language_names_are_babels(tmp_path, monkeypatch):
    from babel import Locale

    for locale in ("en", "fr"):
        for _ in range(2):  # the first keeps them, the second reads them
            cold(monkeypatch, tmp_path / "cache")
            assert templating._language_names(locale) == dict(Locale.parse(locale).languages)
    entries = sorted((tmp_path / "cache" / "languages").iterdir())
    assert len(entries) == 2
    for path, kept in zip(entries, (marshal.dumps(["not", "names"]), marshal.dumps({"ru": 1}))):
        caches.write_entry("languages", path.name, kept)  # sound entries, wrong contents
    cold(monkeypatch, tmp_path / "cache")
    assert [templating._language_names(locale)["ru"] for locale in ("en", "fr")] == [
        "Russian", "russe"]


def test_kept_ink_extents_are_the_glyphs_and_the_text_s(tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    from generator.furniture import ink_extent

    bold = fonts.face_bytes("bold")
    face = TTFont(io.BytesIO(bold))
    glyphs, cmap = face["glyf"], face.getBestCmap()

    def measured(text: str) -> tuple[int, int, int]:
        outlined = [glyphs[cmap[ord(char)]] for char in text if glyphs[cmap[ord(char)]].numberOfContours]
        return (max(glyph.yMax for glyph in outlined), max(-glyph.yMin for glyph in outlined),
                face["head"].unitsPerEm)

    cold(monkeypatch, tmp_path / "cache")
    for text in ("DRAFT", "ПРОЕКТ", "gyp"):  # a descender only in the last
        assert ink_extent(bold, text) == measured(text)  # made and kept
        assert ink_extent(bold, text) == measured(text)  # read back
    assert ink_extent(bold, "DRAFT")[1] < ink_extent(bold, "gyp")[1]
    assert len(list((tmp_path / "cache" / "ink").iterdir())) == 3
