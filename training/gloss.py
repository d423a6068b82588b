"""English questions for training, glossed word by word from Chinese ones.

The reader's training data (DRCD) holds no English question, and English questions over a Chinese
report were its weakest class (2 of 5 on the bilingual probe). A gloss is no translation — the words
keep Chinese order after the fronted question word, and a word the dictionary lacks (most names)
stays Chinese — but each English word is the dictionary's sense of a word in the window, which is
what the multilingual encoder has to line up; mixing such code-switched questions into fine-tuning
is a known way to carry a reader across languages (CoSDA-ML, Qin et al. 2020).
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass, replace

import jieba
import jieba.posseg

from training.data import SquadItem
from training.glossary import Lexicon, lexicon

# Question words first: their dictionary senses are descriptions ("how much?/how many?"), and an
# English question puts them in front.
WH = {
    "多少钱": "how much",
    "多少": "how many",
    "几": "how many",
    "百分之多少": "what percent",
    "多久": "how long",
    "多长时间": "how long",
    "谁": "who",
    "哪里": "where",
    "哪儿": "where",
    "哪边": "where",
    "何处": "where",
    "什么地方": "where",
    "什么时候": "when",
    "什么时间": "when",
    "何时": "when",
    "哪一年": "which year",
    "哪年": "which year",
    "为什么": "why",
    "为何": "why",
    "怎么": "how",
    "怎样": "how",
    "如何": "how",
    "什么": "what",
    "何": "what",
    "哪一个": "which",
    "哪一种": "which",
    "哪一": "which",
    "哪个": "which",
    "哪些": "which",
    "哪": "which",
}
# Function words whose first dictionary sense is not the one a question uses (和 "sum", 是 "correct").
COMMON = {
    "是": "is",
    "在": "in",
    "和": "and",
    "与": "and",
    "及": "and",
    "由": "by",
    "被": "by",
    "从": "from",
    "到": "to",
    "对": "to",
    "于": "in",
    "为": "for",
    "有": "have",
    "去": "go to",
    "后": "after",
    "前": "before",
    "中": "in",
    "上": "on",
    "将": "will",
    "其": "its",
    "该": "the",
}
# Particles and measure words an English question has no word for.
SILENT = set("了呢吗的地得着过把个名位条次项座所家种件套副辆只头本张批之")
_KEEP = re.compile(r"^[A-Za-z0-9.%]+$")


def gloss_question(question: str, lex: Lexicon, rng: random.Random, natural: bool = False) -> str:
    """'一共发放了多少个口罩？' → 'How many altogether provide mask?' (one of the first two senses of
    each word, chosen by rng); `natural` (`naturalise`): 'How many masks were altogether provided?'."""
    wh: list[Glossed] = []
    rest: list[Glossed] = []
    for word in _cutter().lcut(question.rstrip("？?。 ")):
        english = _gloss_word(word, lex, rng)
        if english is None:
            continue
        flag = _flags().get(word, "x") if natural else "x"
        (wh if word in WH and not wh else rest).append(Glossed(english, flag, word in WH or word in COMMON))
    if natural and wh:
        rest = naturalise(wh[0].english, rest, rng)
    words = " ".join(g.english for g in wh + rest).strip()
    return (words[:1].upper() + words[1:] + "?") if words else question


@dataclass(frozen=True)
class Glossed:
    english: str
    flag: str  # jieba's part of speech of the Chinese word
    fixed: bool = False  # a question or function word, glossed from WH or COMMON, never inflected


# What an English asker writes and a word-by-word gloss lacks: an auxiliary after the question word,
# the counted noun right after "how many" and in the plural, past participles, articles. Real English
# questions read far less surely than glosses ("When did 李继刚 say he was moved?": margin -1.1 on
# the sentence that says 2月7日, below the English midpoint of 4.45 fitted on glosses).
AUXILIARIES = ("is", "are", "was", "were", "did", "does", "has been")
IRREGULAR = dict(
    pair.split(":")
    for pair in """give:given go:gone take:taken make:made send:sent hold:held set:set become:become
    build:built buy:bought put:put bring:brought find:found get:got lead:led see:seen say:said
    tell:told win:won begin:begun write:written choose:chosen do:done have:had pay:paid teach:taught
    think:thought leave:left meet:met run:run come:come know:known grow:grown show:shown
    break:broken speak:spoken rise:risen fall:fallen keep:kept sell:sold spend:spent stand:stood
    lose:lost feel:felt hear:heard read:read cut:cut let:let draw:drawn""".split()
)
ARTICLE_RATE = 0.3
PARTICIPLE_RATE = 0.5


def naturalise(wh: str, rest: list[Glossed], rng: random.Random) -> list[Glossed]:
    """The words after the question word, closer to how English asks (`gloss_question`)."""
    out = list(rest)
    front: list[Glossed] = []
    if wh in ("how many", "how much"):
        noun = next((g for g in out if g.flag.startswith("n") and not g.fixed), None)
        if noun is not None:
            out.remove(noun)
            front.append(Glossed(plural(noun.english) if wh == "how many" else noun.english, noun.flag))
    aux = [Glossed(rng.choice(AUXILIARIES), "aux")]
    return front + aux + [_inflected(g, rng) for g in out]


def _inflected(g: Glossed, rng: random.Random) -> Glossed:
    if g.fixed:
        return g
    if g.flag.startswith("v") and not g.english.split(" ")[0].endswith("ed") and rng.random() < PARTICIPLE_RATE:
        return Glossed(participle(g.english), g.flag)
    if g.flag.startswith("n") and g.english[:1].islower() and rng.random() < ARTICLE_RATE:
        return Glossed("the " + g.english, g.flag)
    return g


def participle(sense: str) -> str:
    """'provide' → 'provided', 'go to' → 'gone to', 'carry' → 'carried' (the first word)."""
    first, *more = sense.split(" ")
    if first in IRREGULAR:
        done = IRREGULAR[first]
    elif first.endswith("e"):
        done = first + "d"
    elif len(first) > 2 and first.endswith("y") and first[-2] not in "aeiou":
        done = first[:-1] + "ied"
    else:
        done = first + "ed"
    return " ".join([done, *more])


def plural(sense: str) -> str:
    """'mask' → 'masks', 'batch' → 'batches', 'supply' → 'supplies', 'goods' kept (the last word)."""
    *more, last = sense.split(" ")
    if last.endswith("s"):  # goods, clothes: already a plural more often than a singular in -s
        many = last
    elif last.endswith(("x", "ch", "sh")):
        many = last + "es"
    elif len(last) > 2 and last.endswith("y") and last[-2] not in "aeiou":
        many = last[:-1] + "ies"
    else:
        many = last + "s"
    return " ".join([*more, many])


@functools.cache
def _cutter() -> jieba.Tokenizer:
    """jieba with the question words as words (it cuts 什么时候 into 什么 / 时候)."""
    tok = jieba.Tokenizer()
    for word in WH:
        tok.add_word(word, freq=10**6)
    return tok


@functools.cache
def _flags() -> dict[str, str]:
    """jieba's part of speech of each dictionary word (`naturalise` inflects verbs and nouns). Looked
    up per word of `_cutter`'s cuts: the tagger's own cuts differ, and with them every gloss."""
    return dict(jieba.posseg.POSTokenizer(_cutter()).word_tag_tab)


def _gloss_word(word: str, lex: Lexicon, rng: random.Random) -> str | None:
    if word in WH:
        return WH[word]
    if word in COMMON:
        return COMMON[word]
    if word in SILENT or not word.strip() or all(not ch.isalnum() for ch in word):
        return None
    if _KEEP.match(word):
        return word
    senses = lex.get(word)
    return rng.choice(senses[:2]) if senses else word


class English:
    """A fraction of the training questions glossed into English: in place of the Chinese question,
    or (`copies`) beside it, so every Chinese question is still trained on. Its own random stream,
    so the windows and negatives drawn for the Chinese questions stay those of a run without it."""

    def __init__(self, fraction: float, seed: int, copies: bool = False, natural: bool = False) -> None:
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f"--english is a fraction between 0 and 1, not {fraction}")
        self.fraction = fraction
        self.copies = copies
        self.natural = natural
        self.rng = random.Random(seed + 1)

    def mix(self, items: list[SquadItem]) -> list[SquadItem]:
        if not self.fraction:
            return items
        lex = lexicon()
        out = []
        for it in items:
            glossed = self.rng.random() < self.fraction
            if not glossed or self.copies:
                out.append(it)
            if glossed:
                out.append(replace(it, question=gloss_question(it.question, lex, self.rng, self.natural)))
        return out
