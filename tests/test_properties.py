"""Any text in any text field: a validation error naming the field, or documents that print it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.cli import main
from generator.fonts import unprintable
from generator.problems import format_path
from generator.source import text_limit
from generator.typography import typeset
from tests.readback import docx_lines, normalize, pdf_pages, squeeze

BASE = yaml.safe_load((Path(__file__).parent / "cases" / "minimal" / "input.yaml").read_text("utf-8"))

FIELDS = {
    # path in the input -> the document that prints it
    ("title",): "agenda",
    ("process",): "protocol",
    ("city",): "protocol",
    ("participants", 0, "formal_name"): "protocol",
    ("participants", 0, "delegation", 0, "name"): "protocol",
    ("participants", 0, "delegation", 0, "title"): "agenda",
    ("agenda", 0, "title"): "agenda",
    ("agenda", 0, "items", 0, "title"): "agenda",
    ("outcome", "type"): "protocol",
    ("outcome", "paragraphs", 0, "text"): "protocol",
    ("outcome", "done_at", "place"): "protocol",
}

VERSIONS = {"agenda": "1", "protocol": BASE["outcome"]["version"]}
"""The version in each document's file names: the agenda's by default."""

MARKUP = ["& < > \" '", "<b>bold</b>", "{{ meeting.id }}", "{% if x %}y{% endif %}", "AT&T",
          "<![CDATA[x]]>", "&amp;", "</p><p>", "]]>", "\\n", "${x}"]
text = st.one_of(
    st.text(st.characters(exclude_categories=()), min_size=1, max_size=30),
    st.sampled_from(MARKUP),
    st.text(st.sampled_from("aəüЖ"), min_size=500, max_size=500),
    st.lists(st.sampled_from(MARKUP + ["Türkiye", "Azərbaycan", "Москва"]), min_size=1,
             max_size=6).map(" ".join),
)


def with_value(path: tuple, value: str) -> dict:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def refusal(value: str, path: tuple) -> str | None:
    """Return the problem a value must be refused with, as a pattern, or None for text that a
    document prints: no document can carry a control character (tab, line feed and carriage
    return aside), a lone surrogate or a noncharacter, nor a character its font lacks, a text
    field must say something, and a text longer than its field's limit (a name, a city) does
    not fit the place it is printed in."""
    if len(value) > text_limit(path):
        return f"is {len(value):,} characters long; this field takes at most {text_limit(path):,}"
    for char in value:
        if unicodedata.category(char) == "Cs":
            return "contains a lone surrogate"
        if (unicodedata.category(char) == "Cc" and char not in "\t\n\r") or char in "\ufffe\uffff":
            return "contains a control character"
    if unprintable(value):
        return "contains characters the document font cannot print"
    if not value.strip():
        return "must not be empty or only spaces"
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(sorted(FIELDS, key=str)), value=text)
def test_text_is_refused_or_printed_verbatim(tmp_path_factory, capsys, path, value):
    """Text is refused only for what no document can print, with that reason; any other text
    is printed as written."""
    check_text(tmp_path_factory, capsys, path, value, "reportlab")


def check_text(tmp_path_factory, capsys, path, value, engine: str) -> None:
    """Assert that the value in the field is refused with its reason, or printed as written
    in the DOCX and in the PDF the engine sets."""
    folder = tmp_path_factory.mktemp("case")
    source = folder / "meeting.yaml"
    source.write_text(yaml.safe_dump(with_value(path, value), allow_unicode=False), encoding="utf-8")
    document = FIELDS[path]
    code = main(["build", str(source), "--only", document, "--out", str(folder / "out"),
                 "--pdf-engine", engine])
    err = capsys.readouterr().err
    reason = refusal(value, path)
    if reason is not None:
        assert code == 2, f"{value!r} was not refused: {err}"
        assert re.search(rf"^{re.escape(str(source))}:\d+:\d+: {re.escape(format_path(path))}: "
                         rf".*{reason}", err, re.MULTILINE), err
        assert not (folder / "out").exists()
        return
    assert code == 0, f"{value!r} was refused: {err}"
    expected = normalize(typeset(value, "en"))  # quotes and dashes typographic, all else as typed
    built = folder / "out" / "minimal"
    stem = f"{document}-en-v{VERSIONS[document]}"
    docx_text = normalize(" ".join(docx_lines((built / f"{stem}.docx").read_bytes())))
    assert expected in docx_text
    pdf_text = squeeze("".join(pdf_pages((built / f"{stem}.pdf").read_bytes())))
    assert squeeze(expected).replace("\xad", "") in pdf_text  # a soft hyphen shows only at a break


ORDINARY = " ".join(MARKUP + ["Türkiye", "Azərbaycan", "Москва"])
"""Every markup-like example in one ordinary text, which every field must print as written."""


@pytest.mark.parametrize("path", sorted(FIELDS, key=str), ids=format_path)
def test_markup_like_text_is_printed_verbatim_in_every_field(tmp_path_factory, capsys, path):
    """Whatever hypothesis happens to draw, each field gets ordinary text with markup in it."""
    assert refusal(ORDINARY, path) is None
    check_text(tmp_path_factory, capsys, path, ORDINARY, "reportlab")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(sorted(FIELDS, key=str)), value=text)
def test_typst_engine_prints_any_text_verbatim(tmp_path_factory, capsys, path, value):
    """The same property through the Typst writer: every text reaches Typst as a string
    literal, so none can become Typst markup."""
    check_text(tmp_path_factory, capsys, path, value, "typst")


@pytest.mark.parametrize("path", sorted(FIELDS, key=str), ids=format_path)
def test_markup_like_text_is_printed_verbatim_by_typst(tmp_path_factory, capsys, path):
    check_text(tmp_path_factory, capsys, path,
               ORDINARY + " #set text(red) *b* $x$ <l> @r \\ ]", "typst")
