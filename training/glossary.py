"""The whole of CC-CEDICT (`qa.cedict`) as one table, for glossing training questions into English
(`training.gloss`). Parsed on first use (about 1.5 s for 122k entries).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from qa.cedict import ENTRY, cleaned, dictionary_text

Lexicon = dict[str, tuple[str, ...]]  # simplified headword → its English senses, dictionary order


def parse_entries(lines: Iterator[str]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(simplified headword, cleaned senses) for every line of a CC-CEDICT file."""
    for line in lines:
        m = ENTRY.match(line.strip())
        if not m:
            continue
        if senses := cleaned(m.group(3)):
            yield m.group(2), senses


def build(entries: Iterator[tuple[str, tuple[str, ...]]]) -> Lexicon:
    lex: Lexicon = {}
    for word, senses in entries:
        lex[word] = lex.get(word, ()) + senses  # a word with two readings keeps both lists
    return lex


@functools.cache
def lexicon() -> Lexicon:
    return build(parse_entries(iter(dictionary_text().splitlines())))
