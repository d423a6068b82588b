"""Chinese names written in pinyin, found back in the report's own characters.

An English question names people and places the way English text writes them: "Li Jigang",
"Lianyungang", "Donghai". The reader was trained on English questions that keep such names in
Chinese (a word the dictionary lacks stays as written, `training/gloss.py`), and the lexical side
of retrieval matches Chinese words only: "Which police station does Li Jigang work at?" abstained,
"Which police station does 李继刚 work at?" answers 曲阳派出所. So a run of capitalised words that
spells pinyin syllables is looked for, as characters that read that way, in the text the question
retrieved, and replaced by the word found there.

Readings come from pypinyin's character table (tones dropped: an English text writes none)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from qa.spans import Tagger

# A capitalised word, its syllables perhaps hyphenated ("Dun-hu"); runs of them are joined by a space.
_WORD = re.compile(r"\b[A-Z][a-z]+(?:-[a-z]+)*\b")
_OPENERS = frozenset(
    "how what which who whom whose when where why is are was were do does did can could will would "
    "the a an in on at for to by from of and or please tell list name give".split()
)
# A one-syllable run is most often an English word that happens to spell pinyin ("He", "Can").
MIN_SYLLABLES = 2
# Readings of a word split many ways only when it is long; the first few splits are enough.
MAX_SPLITS = 8


@dataclass(frozen=True, slots=True)
class PinyinName:
    text: str  # as the question writes it
    start: int  # offset in the question
    end: int
    splits: tuple[tuple[str, ...], ...]  # its syllables, every way they can be read


def _toneless(reading: str) -> str:
    # lǚ → lu (an English text writes 吕 as Lu, Lv or Lyu; the first is the usual one)
    return "".join(c for c in unicodedata.normalize("NFKD", reading) if c.isascii()).lower()


@functools.cache
def readings() -> dict[str, str]:
    """Syllable → a regular-expression class of the characters (CJK unified) that read so, any tone."""
    from pypinyin.pinyin_dict import pinyin_dict  # 0.17 s: only English questions with a name pay it

    chars: dict[str, list[str]] = {}
    for code, value in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FFF:
            for reading in value.split(","):
                chars.setdefault(_toneless(reading), []).append(chr(code))
    # Not the vowelless interjections (嗯 n, 呣 m, 哼 hng): "On" is no name.
    return {s: "[" + "".join(cs) + "]" for s, cs in chars.items() if s.isalpha() and re.search("[aeiouv]", s)}


def syllable_splits(word: str) -> tuple[tuple[str, ...], ...]:
    """Every way `word` (letters only, any case) reads as a run of pinyin syllables; () if none.
    "xian" → (xian,), (xi, an)."""
    word = word.lower()
    table = readings()
    splits: list[tuple[str, ...]] = []

    def walk(at: int, done: tuple[str, ...]) -> None:
        if len(splits) >= MAX_SPLITS:
            return
        if at == len(word):
            splits.append(done)
            return
        for end in range(min(len(word), at + 6), at, -1):  # the longest syllable has 6 letters
            if word[at:end] in table:
                walk(end, (*done, word[at:end]))

    walk(0, ())
    return tuple(splits)


def _runs(question: str) -> Iterator[list[re.Match[str]]]:
    """Runs of capitalised words that each read as pinyin, next to each other with one space
    between ("Li Jigang" of "Where does Li Jigang work?"; "Lianyungang" of "Lianyungang Public
    Security Bureau")."""
    run: list[re.Match[str]] = []
    for m in _WORD.finditer(question):
        # An English word capitalised at the start ("How", "Which") is never looked up: most English
        # questions then name nothing and load no table.
        pinyin = m.group().lower() not in _OPENERS and bool(syllable_splits(m.group().replace("-", "")))
        if run and (not pinyin or question[run[-1].end() : m.start()] != " "):
            yield run
            run = []
        if pinyin:
            run.append(m)
    if run:
        yield run


def pinyin_names(question: str) -> list[PinyinName]:
    """Runs of capitalised words in an English question that read wholly as pinyin, with at least
    MIN_SYLLABLES syllables."""
    out = []
    for run in _runs(question):
        start, end = run[0].start(), run[-1].end()
        letters = re.sub(r"[ -]", "", question[start:end])
        splits = tuple(s for s in syllable_splits(letters) if len(s) >= MIN_SYLLABLES)
        if splits:
            out.append(PinyinName(question[start:end], start, end, splits))
    return out


def _word_edges(text: str, tag: Tagger) -> set[int]:
    """Where the text's words start and end: a name stands as whole words (李继刚 in …民警李继刚如是说,
    not …警李继…)."""
    edges = {0, len(text)}
    for word, _, at in tag(text):
        edges.update((at, at + len(word)))
    return edges


def find_in(name: PinyinName, texts: Iterable[str], tag: Tagger) -> str | None:
    """The Chinese word that `name` spells, as the texts write it: of the character runs that read
    as one of its splits and stand as whole words, the most frequent (the first on a tie)."""
    table = readings()
    patterns = [re.compile("".join(table[s] for s in split)) for split in name.splits]
    seen: Counter[str] = Counter()
    for text in texts:
        matches = [m for pattern in patterns for m in pattern.finditer(text)]
        edges = _word_edges(text, tag) if matches else set()  # tagged once, and only where it matters
        seen.update(m.group() for m in matches if m.start() in edges and m.end() in edges)
    return seen.most_common(1)[0][0] if seen else None


def with_chinese_names(question: str, names: Sequence[PinyinName], texts: Sequence[str], tag: Tagger) -> str:
    """The question with each of its pinyin `names` (`pinyin_names`) that the texts write in
    characters replaced by them."""
    out, at = [], 0
    for name in names:
        chinese = find_in(name, texts, tag)
        if chinese is not None:
            out += [question[at : name.start], chinese]
            at = name.end
    return "".join(out) + question[at:] if out else question
