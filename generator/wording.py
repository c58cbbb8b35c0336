"""Wording helpers for templates: capitals and numbers in words, by the rules of each language."""

from __future__ import annotations

import inspect

_DOTTED_I = {"tr", "az"}  # alphabets pairing i with İ and ı with I


def upper(text: str, language: str) -> str:
    """Return the text in capitals; "i" becomes "İ" in Turkish and Azerbaijani only."""
    if language.replace("-", "_").split("_")[0].lower() in _DOTTED_I:
        text = text.replace("i", "İ")  # str.upper already makes "ı" "I"
    return text.upper()


def number_in_words(number: int, language: str, case: str | None = None) -> str:
    """Return the cardinal number in words, e.g. "двух" for 2 in Russian, case "prepositional".

    case is a grammatical case name as num2words knows it ("genitive", "prepositional"...);
    None means the nominative, and languages whose converter has no cases ignore it.
    """
    from num2words import CONVERTER_CLASSES, num2words

    if language.split("-")[0].split("_")[0] == "zh":
        return _chinese_count(number)
    converter = CONVERTER_CLASSES.get(language) or CONVERTER_CLASSES.get(language[:2])
    if converter is None:
        raise ValueError(f"num2words has no number words for language {language!r}")
    if case is None or not _has_cases(converter):
        return num2words(number, lang=language)
    if not isinstance(number, int):
        # num2words' Russian converter silently drops the case of a decimal
        raise ValueError(f"only whole numbers are put in a case (got {number!r})")
    try:
        return num2words(number, lang=language, case=case)
    except (KeyError, ValueError) as error:
        raise ValueError(f"num2words knows no case {case!r} in language {language!r}") from error


def _has_cases(converter: object) -> bool:
    """Return whether the converter's to_cardinal takes a case (by name or in **kwargs)."""
    parameters = inspect.signature(converter.to_cardinal).parameters.values()
    return any(p.name == "case" or p.kind is p.VAR_KEYWORD for p in parameters)


_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_count(number: int) -> str:
    """Return a count of things in Chinese words ("两" for 2, as in "一式两份"), 1 to 99; a larger
    count (num2words has no Chinese) stays in figures, as Chinese documents also write it."""
    if not isinstance(number, int) or not 0 < number < 100:
        return str(number)
    if number == 2:
        return "两"
    tens, ones = divmod(number, 10)
    text = (_CHINESE_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    return text + (_CHINESE_DIGITS[ones] if ones else "")
