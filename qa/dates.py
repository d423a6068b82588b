"""English dates written as a Chinese report writes them: "February 2" → 2月2日.

The reader reads an English question against Chinese text; a date in the question is a strong
anchor only in the text's own form (2月2日抽调20名… for "How many officers were drawn on February
2?"), and the lexical side of retrieval matches nothing else. Day and month orders, ordinals,
abbreviations and a year are read; a month alone becomes N月."""

from __future__ import annotations

import re

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
# Tried in this order: "February 2(nd)(, 2020)", "(the) 2(nd) (of) February (2020)", "February 2020",
# "in February" (not "may" or "mar" alone: a verb as often as a month).
_DATES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_MONTH}\s+{_DAY}\b{_YEAR}",
        rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}\b",
        rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b",
        r"\b(?P<month>january|february|april|june|july|august|september|october|november|december)\b",
    )
)


def _chinese(m: re.Match[str]) -> str:
    groups = m.groupdict()
    month, day, year = MONTHS[groups["month"].lower()], groups.get("day"), groups.get("year")
    if day is not None and not 1 <= int(day) <= 31:
        return m.group()
    return (f"{year}年" if year else "") + f"{month}月" + (f"{int(day)}日" if day else "")


def chinese_dates(text: str) -> str:
    """`text` with its English dates in the report's form: "on January 31, 2020" → "on 2020年1月31日"."""
    for pattern in _DATES:
        text = pattern.sub(_chinese, text)
    return text
