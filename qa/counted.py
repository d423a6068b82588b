"""English how-many questions over a list of amounts: the amount of the thing asked about.

The reader keeps a list's first amount whatever English noun was asked about ("How many pairs of
protective gloves were given out?" over 口罩16万个、防护服6000套、防护手套2万余副 → 16万个); the Chinese
questions' rule (`qa.edges.pair_with_focus`) matches the asked noun as written, which an English
question never writes. Here the words next to each amount are read through their CC-CEDICT senses
(防护 protect, 手套 glove) and the amount whose neighbours name most of the question's noun phrase
wins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.cedict import senses
from qa.spans import Candidate, Tagger, quantities

# The noun phrase a how-many question counts: up to its verb ("pairs of protective gloves" of
# "How many pairs of protective gloves were given out?"), or to its end ("How many masks?").
COUNTED = re.compile(
    r"\bhow\s+(?:many|much)\s+(?P<phrase>[A-Za-z' -]+?)"
    r"(?:\s+(?:is|are|was|were|do|does|did|have|has|had|will|would|can|could)\b|\s*[?.!,]|$)",
    re.IGNORECASE,
)
_STOP = frozenset("of the a an in on at for to by from with and or its their this that these those".split())
# Where an amount's neighbourhood ends: the list's own separators (not brackets: 防护服(隔离衣)6000套).
_SEPARATORS = "、，,。；;：:！!？?"
# One word may extend another by a suffix of at least this many letters ("disinfect"-"ant",
# "protect"-"ive"), not by a letter or two ("office" is not "officer", "police" not "polices").
MIN_SUFFIX = 3


def stem(word: str) -> str:
    """Plural and case away: "gloves" → "glove", "batches" → "batch", "supplies" → "supply"."""
    w = word.lower().strip("'")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("es") and w[:-2].endswith(("s", "x", "ch", "sh")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def counted_words(question: str) -> tuple[str, ...]:
    """The stems of the words a how-many question counts; () when it is not one."""
    m = COUNTED.search(question)
    if not m:
        return ()
    return tuple(stem(w) for w in re.findall(r"[A-Za-z']+", m.group("phrase")) if w.lower() not in _STOP)


def _same(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 5 and long.startswith(short) and len(long) - len(short) >= MIN_SUFFIX)


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    amount: Candidate
    words: tuple[str, ...]  # the Chinese words beside the amount, within its list item


def neighbourhoods(text: str, tag: Tagger) -> list[Neighbourhood]:
    """Each amount of `text` with the words of its list item on either side (防护手套 for 2万余副;
    个派出所 after 18个): back to a separator or the amount before, on to a separator."""
    amounts = quantities(text)
    words = [(w, at) for w, _, at in tag(text) if not all(c in _SEPARATORS for c in w)]
    out = []
    for i, a in enumerate(amounts):
        left = max([text.rfind(c, 0, a.start) + 1 for c in _SEPARATORS] + [amounts[i - 1].end if i else 0])
        # Not cut at the next amount: 20名四级高级警长… counts 警长, not 四级's levels.
        right = min([j for c in _SEPARATORS if (j := text.find(c, a.end)) >= 0] + [len(text)])
        near = tuple(w for w, at in words if left <= at < right and not any(b.start <= at < b.end for b in amounts))
        out.append(Neighbourhood(a, near))
    return out


def _pieces(word: str) -> list[str]:
    """A word and, for one the dictionary may lack (消毒液), its two-character and longer parts."""
    if len(word) < 3:
        return [word]
    return [word] + [
        word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + 1) if (i, j) != (0, len(word))
    ]


def match_count(asked: Sequence[str], words: Sequence[str]) -> int:
    """How many of the asked stems some sense of the words (or of their parts) names."""
    found = senses(p for w in words for p in _pieces(w))
    sense_stems = {stem(x) for w in words for p in _pieces(w) for s in found[p] for x in s.split()}
    return sum(any(_same(a, s) for s in sense_stems) for a in asked)


def better_amount(asked: Sequence[str], text: str, at: int, tag: Tagger) -> Candidate | None:
    """The amount of `text` whose list item names more of the asked words than the item of the
    amount at offset `at` does (none there: 0) — the one naming most, the first on a tie; None when
    no amount names more."""
    near = neighbourhoods(text, tag)
    senses(p for n in near for w in n.words for p in _pieces(w))  # one pass for all of them
    scored = [(match_count(asked, n.words), n.amount) for n in near]
    mine = next((count for count, a in scored if a.start <= at < a.end), 0)
    best = max(scored, key=lambda s: s[0], default=None)
    return best[1] if best is not None and best[0] > mine else None
