"""Dates as a protocol officer writes them: "12 October 2023", "12 октября 2023 года", "2023年10月12日"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Callable

RUSSIAN_YEAR_WORDS = ("года", "г.")

NO_BREAK = "\u00a0"
"""A no-break space: a line never parts a day from its month, nor a year from "года"."""


def _dashed(start: dt.date, end: dt.date) -> str:
    """Return "{}–{}" within one month, else "{} – {}" (an en dash, spaced across months)."""
    return "{}–{}" if (start.year, start.month) == (end.year, end.month) else "{} – {}"


def _french_span(start: dt.date, end: dt.date) -> str:
    """Return "{} et {}" for two consecutive days, else "du {} au {}"."""
    return "{} et {}" if end - start == dt.timedelta(days=1) else "du {} au {}"


def _french_day(number: int) -> str:
    """Return "1er" for the first of the month, else the plain number."""
    return "1er" if number == 1 else str(number)


def _spanish_span(start: dt.date, end: dt.date) -> str:
    """Return "{} y {}" for two consecutive days, else "{} a {}" ("13 a 15 de marzo")."""
    return "{} y {}" if end - start == dt.timedelta(days=1) else "{} a {}"


def _arabic_span(start: dt.date, end: dt.date) -> str:
    """Return two days joined by "and" ("13 و14 ..."), a longer span "from ... to ..." ("من 13
    إلى 15 ..."), as UN Arabic documents write them: in right-to-left text, numbers after
    Arabic letters are Arabic numbers, and any dash between two of them shows them swapped."""
    return "{} و{}" if (end - start).days == 1 else "من {} إلى {}"


def _chinese(start: dt.date, end: dt.date) -> str:
    """Return a day or span as Chinese writes it: "2023年10月12日", "2022年12月13日至15日",
    "2022年11月30日至12月2日": the first day whole, the last without what it shares."""
    from babel.dates import format_date

    first = format_date(start, "long", locale="zh")  # Babel's y年M月d日
    if end == start:
        return first
    if end.year != start.year:
        last = format_date(end, "long", locale="zh")
    elif end.month != start.month:
        last = f"{end.month}月{end.day}日"
    else:
        last = f"{end.day}日"
    return f"{first}至{last}"


@dataclass(frozen=True)
class _Rules:
    """How one language writes a day and a span of days; month names come from Babel."""

    locale: str | None = None
    """The Babel locale; None means the language code itself."""
    day: Callable[[int], str] = str
    """The day of the month as written."""
    span: Callable[[dt.date, dt.date], str] = _dashed
    """The pattern joining the first and the last day of a span."""
    year_word: bool = False
    """Whether a word ("года" or "г.") follows the year."""
    before_month: str = NO_BREAK
    """What stands between the day and the month: a no-break space, or Spanish " de "."""
    before_year: str = " "
    """What stands between the month and the year."""
    months: Callable[[], dict[int, str]] | None = None
    """The month names, where they are not one Babel locale's."""
    whole: Callable[[dt.date, dt.date], str] | None = None
    """The day or span written whole, for a language that puts the year first (Chinese)."""


def _un_arabic_months() -> dict[int, str]:
    """Return the months as UN Arabic documents name them, the Levantine name and the other
    joined by a slash: "تشرين الأول/أكتوبر" (both from Babel: ar_SY and ar)."""
    levantine, other = _month_names("ar_SY"), _month_names("ar")
    return {month: f"{levantine[month]}/{other[month]}".replace(" ", NO_BREAK)
            for month in range(1, 13)}


_RULES = {
    "en": _Rules(locale="en_GB"),  # UN English writes the day before the month
    "ru": _Rules(year_word=True),
    "fr": _Rules(day=_french_day, span=_french_span),
    "es": _Rules(span=_spanish_span, before_month=f"{NO_BREAK}de{NO_BREAK}", before_year=" de "),
    "ar": _Rules(span=_arabic_span, months=_un_arabic_months),  # Western digits, as the UN's
    "zh": _Rules(whole=_chinese),
}


def format_day(day: dt.date, language: str = "en", russian_year: str = "года") -> str:
    """Return the day as written in the language, e.g. "12 October 2023", "1er décembre 2022".

    russian_year is the word after the year in Russian, "года" or "г."; other languages ignore it.
    """
    return _write(day, language, russian_year, month=True, year=True)


def format_span(start: dt.date, end: dt.date | None, language: str = "en",
                russian_year: str = "года") -> str:
    """Return one day, or a span of days naming month and year once where they are shared.

    end None (or equal to start) means a single day; russian_year as for format_day.
    """
    if end is not None and end < start:
        raise ValueError(f"the span ends ({end}) before it starts ({start})")
    whole = _RULES.get(language, _Rules()).whole
    if whole is not None:
        return whole(start, end or start)
    if end is None or end == start:
        return format_day(start, language, russian_year)
    first = _write(start, language, russian_year,
                   month=(start.year, start.month) != (end.year, end.month),
                   year=start.year != end.year)
    last = format_day(end, language, russian_year)
    return _RULES.get(language, _Rules()).span(start, end).format(first, last)


def _write(day: dt.date, language: str, russian_year: str, month: bool, year: bool) -> str:
    """Return the day of the month, followed by the month and the year if asked for."""
    if russian_year not in RUSSIAN_YEAR_WORDS:
        raise ValueError(f"russian_year should be 'года' or 'г.' (got {russian_year!r})")
    rules = _RULES.get(language, _Rules())
    if rules.whole is not None:
        return rules.whole(day, day)
    text = rules.day(day.day)
    if month:
        names = rules.months() if rules.months else _month_names(rules.locale or language)
        text += rules.before_month + names[day.month]
    if year:
        text += f"{rules.before_year}{day.year}"
        if rules.year_word:
            text += NO_BREAK + russian_year
    return text


@cache
def _month_names(locale: str) -> dict[int, str]:
    """Return Babel's month names as used in a date ("format" context, e.g. Russian genitive),
    kept in the user's cache folder for this Babel and locale: loading a locale's data costs
    more than the rest of the documents' dates."""
    import babel

    from .caches import kept_value

    def make() -> dict[int, str]:
        from babel import Locale, UnknownLocaleError

        try:
            return dict(Locale.parse(locale).months["format"]["wide"])
        except (UnknownLocaleError, ValueError, TypeError) as error:
            raise ValueError(f"no date conventions for language {locale!r}: "
                             f"Babel does not know it as a locale") from error

    return kept_value("months", (babel.__version__, locale), make,
                      lambda names: isinstance(names, dict)
                      and sorted(names) == list(range(1, 13))
                      and all(isinstance(name, str) for name in names.values()))


def pdf_date(moment: dt.datetime) -> str:
    """Return the moment as a PDF date string; a naive moment gets no time zone."""
    stamp = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.utcoffset()
    if offset is None:
        return stamp
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{stamp}{sign}{hours:02d}'{minutes:02d}'"


LEFT_TO_RIGHT_ISOLATE = "\u2066"
"""Unicode's mark opening text set left to right whatever surrounds it (closed by POP_ISOLATE)."""
POP_ISOLATE = "\u2069"


def format_time(value: str, language: str) -> str:
    """Return a time or span written HH:MM or HH:MM-HH:MM as the language writes it: an en dash
    between the times ("09:30–10:15"); French "9 h 30 – 10 h 15"."""
    import re

    times = re.findall(r"(\d{1,2}):(\d{2})", value)
    if not times:
        return value
    if language.split("-")[0] == "fr":
        written = [f"{int(hours)}{NO_BREAK}h{NO_BREAK}{minutes}" if minutes != "00"
                   else f"{int(hours)}{NO_BREAK}h" for hours, minutes in times]
        return f"{NO_BREAK}– ".join(written)
    written = "–".join(f"{hours.zfill(2)}:{minutes}" for hours, minutes in times)
    if language.split("-")[0] == "ar":  # set left to right inside right-to-left text, as one
        return f"{LEFT_TO_RIGHT_ISOLATE}{written}{POP_ISOLATE}"  # run: 09:30–10:15, not reversed
    return written
