"""Per-language conventions: dates, collation, capitals and numbers in words (en, ru, fr)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

import pytest
from babel.dates import format_date
from hypothesis import given, settings, strategies as st

from generator.collation import collate, sort_key
from generator.dates import format_day, format_span
from generator.wording import number_in_words, upper

D = dt.date


def spaced(text: str) -> str:
    """Return the text with its no-break spaces as plain spaces, for readable expectations."""
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize("language, text, expected", [
    ("en", format_span(D(2022, 11, 30), D(2022, 12, 2)), "30~November – 2~December 2022"),
    ("ru", format_span(D(2022, 12, 30), D(2023, 1, 2), "ru"), "30~декабря 2022~года – 2~января 2023~года"),
    ("ru", format_day(D(2023, 10, 12), "ru", "г."), "12~октября 2023~г."),
    ("fr", format_span(D(2022, 11, 30), D(2022, 12, 1), "fr"), "30~novembre et 1er~décembre 2022"),
])
def test_no_line_parts_a_day_from_its_month_or_a_year_from_its_word(language, text, expected):
    assert text.replace("\u00a0", "~") == expected


@pytest.mark.parametrize("day, language, russian_year, expected", [
    (D(2023, 10, 12), "en", "года", "12 October 2023"),
    (D(2022, 12, 1), "en", "года", "1 December 2022"),
    (D(2023, 10, 12), "ru", "года", "12 октября 2023 года"),
    (D(2023, 10, 12), "ru", "г.", "12 октября 2023 г."),
    (D(2023, 3, 1), "ru", "года", "1 марта 2023 года"),
    (D(2022, 12, 1), "fr", "года", "1er décembre 2022"),
    (D(2023, 10, 12), "fr", "года", "12 octobre 2023"),
    (D(2023, 10, 12), "en", "г.", "12 October 2023"),  # only Russian writes a year word
])
def test_format_day(day, language, russian_year, expected):
    assert spaced(format_day(day, language, russian_year=russian_year)) == expected


@pytest.mark.parametrize("start, end, language, expected", [
    # en: en dash, unspaced within a month, spaced across months and years
    (D(2022, 12, 13), D(2022, 12, 14), "en", "13–14 December 2022"),
    (D(2022, 11, 30), D(2022, 12, 2), "en", "30 November – 2 December 2022"),
    (D(2022, 12, 30), D(2023, 1, 2), "en", "30 December 2022 – 2 January 2023"),
    # ru: genitive months, "года" after every year written
    (D(2022, 12, 13), D(2022, 12, 14), "ru", "13–14 декабря 2022 года"),
    (D(2022, 11, 30), D(2022, 12, 2), "ru", "30 ноября – 2 декабря 2022 года"),
    (D(2022, 12, 30), D(2023, 1, 2), "ru", "30 декабря 2022 года – 2 января 2023 года"),
    # fr: two consecutive days joined by "et", longer spans "du ... au ..."
    (D(2022, 12, 13), D(2022, 12, 14), "fr", "13 et 14 décembre 2022"),
    (D(2022, 11, 30), D(2022, 12, 1), "fr", "30 novembre et 1er décembre 2022"),
    (D(2022, 12, 31), D(2023, 1, 1), "fr", "31 décembre 2022 et 1er janvier 2023"),
    (D(2022, 12, 13), D(2022, 12, 15), "fr", "du 13 au 15 décembre 2022"),
    (D(2022, 11, 28), D(2022, 12, 2), "fr", "du 28 novembre au 2 décembre 2022"),
    (D(2022, 12, 30), D(2023, 1, 2), "fr", "du 30 décembre 2022 au 2 janvier 2023"),
    (D(2022, 12, 1), D(2022, 12, 3), "fr", "du 1er au 3 décembre 2022"),
])
def test_format_span(start, end, language, expected):
    assert spaced(format_span(start, end, language)) == expected


@pytest.mark.parametrize("start, end, expected", [
    (D(2023, 10, 12), None, "12 октября 2023 г."),
    (D(2022, 12, 13), D(2022, 12, 14), "13–14 декабря 2022 г."),
    (D(2022, 11, 30), D(2022, 12, 2), "30 ноября – 2 декабря 2022 г."),
    (D(2022, 12, 30), D(2023, 1, 2), "30 декабря 2022 г. – 2 января 2023 г."),
])
def test_russian_short_year_word(start, end, expected):
    assert spaced(format_span(start, end, "ru", russian_year="г.")) == expected


def test_russian_year_word_may_be_a_str_enum():
    class RussianYear(StrEnum):
        short = "г."

    assert spaced(format_day(D(2023, 10, 12), "ru", RussianYear.short)) == "12 октября 2023 г."


@pytest.mark.parametrize("language", ["en", "ru", "fr", "es", "ar", "zh"])
def test_a_span_of_one_day_is_the_day(language):
    day = D(2023, 10, 12)
    assert format_span(day, None, language) == format_span(day, day, language) == format_day(day, language)


@pytest.mark.parametrize("language", ["de", "tr", "az", "it"])
def test_other_languages_follow_babel(language):
    start, end = D(2023, 10, 12), D(2024, 1, 1)
    first, last = (format_date(day, "d MMMM y", locale=language) for day in (start, end))
    assert spaced(format_day(start, language)) == first
    assert spaced(format_span(start, end, language)) == f"{first} – {last}"


@pytest.mark.parametrize("language", ["xx", "", "english"])
def test_unknown_language_is_refused(language):
    with pytest.raises(ValueError, match="Babel does not know"):
        format_day(D(2023, 10, 12), language)


def test_unknown_russian_year_word_is_refused():
    with pytest.raises(ValueError, match="russian_year"):
        format_day(D(2023, 10, 12), "ru", russian_year="год")


def test_a_span_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        format_span(D(2023, 10, 12), D(2023, 10, 11))


# "October 12" but not "October 2023"
ENGLISH_MONTH_FIRST = re.compile(r"(January|February|March|April|May|June|July|August|September"
                                 r"|October|November|December)\s\d{1,2}\b")
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


@settings(deadline=None)  # the first call loads Babel's locale data
@given(start=days, length=st.integers(min_value=0, max_value=800),
       language=st.sampled_from(["en", "ru", "fr"]), russian_year=st.sampled_from(["года", "г."]))
def test_any_span_names_the_last_year_and_puts_the_day_first(start, length, language, russian_year):
    """The span ends with its last day written as Babel writes a day, month and year in the
    language (the month's name in the form a date takes), starts with its first day's number,
    and names the first day's month and year whenever they differ from the last day's."""
    end = start + dt.timedelta(days=length)
    text = spaced(format_span(start, end, language, russian_year))
    locale = "en_GB" if language == "en" else language
    day = "1er" if language == "fr" and end.day == 1 else str(end.day)
    last = f"{day} {format_date(end, 'MMMM y', locale=locale)}"
    if language == "ru":
        last += f" {russian_year}"
    assert text.endswith(last), (text, last)
    first = "1er" if language == "fr" and start.day == 1 else str(start.day)
    assert re.match(rf"(du )?{first}\b", text), text
    if (start.year, start.month) != (end.year, end.month) and start != end:
        assert format_date(start, "d MMMM", locale=locale).split(" ", 1)[1] in text[:-len(last)]
    if start.year != end.year:
        assert str(start.year) in text[:-len(last)]
    assert not ENGLISH_MONTH_FIRST.search(text)


# Collation

def names(items, language):
    return collate(items, lambda name: name, language)


@pytest.mark.parametrize("language, before, after", [
    ("en", "Türkiye", "Turkmenistan"),
    ("en", "Turkmenistan", "Tuvalu"),
    ("ru", "Туркменистан", "Турция"),
    ("ru", "Елец", "Ёлкино"),
    ("ru", "Ёлкино", "Жуковский"),
    ("fr", "Égypte", "Émirats arabes unis"),
    ("fr", "Émirats arabes unis", "Équateur"),
    ("fr", "Costa Rica", "Côte d'Ivoire"),
    ("fr", "Côte d'Ivoire", "Croatie"),
])
def test_collation_order(language, before, after):
    assert sort_key(before, language) < sort_key(after, language)
    assert names([after, before], language) == [before, after]


def test_collate_lists():
    assert names(["Turkmenistan", "Tuvalu", "Türkiye", "Togo"], "en") == [
        "Togo", "Türkiye", "Turkmenistan", "Tuvalu"]
    assert names(["Турция", "Таджикистан", "Туркменистан"], "ru") == [
        "Таджикистан", "Туркменистан", "Турция"]
    assert names(["Жуковский", "Ёлкино", "Елец", "Ейск"], "ru") == [
        "Ейск", "Елец", "Ёлкино", "Жуковский"]
    assert names(["Équateur", "Érythrée", "Émirats arabes unis", "Égypte", "Cuba", "Côte d'Ivoire",
                  "Chine", "Danemark"], "fr") == [
        "Chine", "Côte d'Ivoire", "Cuba", "Danemark", "Égypte", "Émirats arabes unis", "Équateur",
        "Érythrée"]


def test_english_article_is_ignored():
    assert names(["Norway", "the Netherlands", "Nepal", "Niger", "Thailand"], "en") == [
        "Nepal", "the Netherlands", "Niger", "Norway", "Thailand"]
    assert names(["The Gambia", "Georgia", "Gabon"], "en") == ["Gabon", "The Gambia", "Georgia"]
    assert sort_key("the Netherlands", "en") == sort_key("Netherlands", "en")
    assert sort_key("Thessaloniki", "en") != sort_key("ssaloniki", "en")


@pytest.mark.parametrize("language", ["ru", "fr"])
def test_no_article_is_ignored_in_russian_and_french(language):
    assert sort_key("the Netherlands", language) != sort_key("Netherlands", language)


def test_ties_keep_their_order():
    items = [("Türkiye", 1), ("Albania", 2), ("Türkiye", 3), ("the Netherlands", 4), ("Netherlands", 5),
             ("Égypte", 6), ("E\u0301gypte", 7)]  # composed and decomposed É are the same name
    assert [n for _, n in collate(items, lambda item: item[0])] == [2, 6, 7, 4, 5, 1, 3]
    assert [n for _, n in collate(reversed(items), lambda item: item[0])] == [2, 7, 6, 5, 4, 3, 1]


# Capitals

@pytest.mark.parametrize("text, language, expected", [
    ("istanbul", "en", "ISTANBUL"),
    ("istanbul", "tr", "İSTANBUL"),
    ("ısparta", "tr", "ISPARTA"),
    ("Vüsal Hüseynov, Baş nazir", "az", "VÜSAL HÜSEYNOV, BAŞ NAZİR"),
    ("Xəzinədarlıq", "az", "XƏZİNƏDARLIQ"),
    ("istanbul", "ru", "ISTANBUL"),
    ("istanbul", "fr", "ISTANBUL"),
    ("проект", "ru", "ПРОЕКТ"),
    ("réunion", "fr", "RÉUNION"),
    ("Straße", "de", "STRASSE"),
    ("ёлка", "ru", "ЁЛКА"),
])
def test_upper(text, language, expected):
    assert upper(text, language) == expected


@pytest.mark.parametrize("language", ["en", "ru", "fr"])
def test_upper_makes_no_dotted_capital_i_outside_turkic(language):
    assert "İ" not in upper("i ı idea", language)


# Numbers in words

@pytest.mark.parametrize("number, language, case, expected", [
    (1, "ru", "prepositional", "одном"),
    (2, "ru", "prepositional", "двух"),
    (5, "ru", "prepositional", "пяти"),
    (21, "ru", "prepositional", "двадцати одном"),
    (2, "ru", "genitive", "двух"),
    (2, "ru", None, "два"),
    (21, "ru", None, "двадцать один"),
    (1, "en", None, "one"),
    (2, "en", "prepositional", "two"),
    (5, "en", "genitive", "five"),
    (21, "en", None, "twenty-one"),
    (1, "fr", None, "un"),
    (2, "fr", "prepositional", "deux"),
    (5, "fr", None, "cinq"),
    (21, "fr", "genitive", "vingt et un"),
])
def test_number_in_words(number, language, case, expected):
    assert number_in_words(number, language, case) == expected


def test_number_in_words_refuses_what_it_cannot_write():
    with pytest.raises(ValueError, match="no case 'locative'"):
        number_in_words(2, "ru", "locative")
    with pytest.raises(ValueError, match="no number words"):
        number_in_words(2, "xx")
    with pytest.raises(ValueError, match="whole numbers"):
        number_in_words(2.5, "ru", "genitive")
