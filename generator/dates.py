"""Dates as a protocol officer writes them: "12 October 2023", "13–14 December 2022"."""

from __future__ import annotations

import datetime as dt

_LOCALES = {"en": "en_GB"}  # UN English writes the day before the month


def format_day(day: dt.date, language: str = "en") -> str:
    """Return the day in words for the language, e.g. "12 October 2023"."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=_LOCALES.get(language, language))


def format_span(start: dt.date, end: dt.date | None, language: str = "en") -> str:
    """Return one day or a span of days, naming month and year once where they are shared."""
    from babel.dates import format_date

    if end is None or end == start:
        return format_day(start, language)
    locale = _LOCALES.get(language, language)
    if (start.year, start.month) == (end.year, end.month):
        first = format_date(start, "d", locale=locale)
        return f"{first}–{format_day(end, language)}"
    if start.year == end.year:
        first = format_date(start, "d MMMM", locale=locale)
    else:
        first = format_day(start, language)
    return f"{first} – {format_day(end, language)}"
