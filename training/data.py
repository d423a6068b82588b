"""Reader training and validation windows from SQuAD-format files (DRCD, CMRC 2018).

DRCD is traditional Chinese; OpenCC t2s maps it to simplified one character for one character, so
answer offsets stay valid (checked per answer: a paragraph or answer that changes length is
dropped). Each question gives its answer's window (the sentence holding the answer start, with its
neighbours) and negatives: a window from the same paragraph away from the answer, and one from
another paragraph of the same article — the near misses retrieval hands the reader. With
`hard=True` each negative is the sentence of its paragraph that shares the most character bigrams
with the question (the one retrieval would rank first), not a random one, so the no-answer score
learns the near misses the reader is shown — measured in the model card's third trial: better
separation on the fitting set, no better on CMRC 2018, not the shipped model's setting.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.split import sentence_spans
from qa.reader.tokenizer import E5Tokenizer
from qa.reader.windows import Passage, Window, build_window, token_span


@dataclass(frozen=True)
class Example:
    ids: tuple[int, ...]
    start: int  # window positions of the answer; 0, 0 = the window does not hold it
    end: int
    context_start: int


@dataclass(frozen=True)
class SquadItem:
    question: str
    context: str
    answers: tuple[str, ...]
    answer_start: int
    answer_end: int


def read_squad(path: Path, convert: Callable[[str], str] = lambda s: s) -> Iterator[list[SquadItem]]:
    """One list of items per article (so negatives can come from a sibling paragraph)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    for article in data:
        items = []
        for para in article["paragraphs"]:
            raw = para["context"]
            context = convert(raw)
            if len(context) != len(raw):
                continue
            for qa in para["qas"]:
                answers = [a for a in qa.get("answers", []) if a.get("text")]
                if not answers:
                    continue
                first = answers[0]
                text = convert(first["text"])
                start = int(first["answer_start"])
                if context[start : start + len(text)] != text:
                    continue
                golds = tuple(dict.fromkeys(convert(a["text"]) for a in answers))
                items.append(SquadItem(convert(qa["question"]), context, golds, start, start + len(text)))
        yield items


def passages(context: str) -> list[Passage]:
    return [Passage(context[s:e], s) for s, e in sentence_spans(context)]


def target_of(sents: list[Passage], char: int) -> int:
    for i, p in enumerate(sents):
        if char < p.start + len(p.text):
            return i
    return len(sents) - 1


def _covers(window: Window, item: SquadItem, sents: list[Passage]) -> bool:
    text = "".join(sents[i].text for i in sorted(set(window.sentence)))
    return any(a in text for a in item.answers)


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if not (text[i].isspace() or text[i + 1].isspace())}


def by_overlap(question: str, sents: list[Passage], choices: list[int]) -> list[int]:
    """choices ordered by the character bigrams each sentence shares with the question, most first
    (stable: ties keep their order)."""
    asked = bigrams(question)
    return sorted(choices, key=lambda i: -len(asked & bigrams(sents[i].text)))


def _negative(
    tok: E5Tokenizer, item: SquadItem, sents: list[Passage], exclude: set[int], rng: random.Random, hard: bool = False
) -> Example | None:
    choices = [i for i in range(len(sents)) if i not in exclude]
    rng.shuffle(choices)
    if hard:
        choices = by_overlap(item.question, sents, choices)
    for t in choices[:3]:
        w = build_window(tok, item.question, sents, t)
        if not _covers(w, item, sents):
            return Example(w.ids, 0, 0, w.context_start)
    return None


def examples_for(
    tok: E5Tokenizer, items: list[SquadItem], rng: random.Random, negatives: int = 2, hard: bool = False
) -> Iterator[Example]:
    cache: dict[str, list[Passage]] = {}

    def sents_of(context: str) -> list[Passage]:
        if context not in cache:
            cache[context] = passages(context)
        return cache[context]

    contexts = list(dict.fromkeys(it.context for it in items))
    for item in items:
        sents = sents_of(item.context)
        if not sents:
            continue
        target = target_of(sents, item.answer_start)
        w = build_window(tok, item.question, sents, target)
        span = token_span(w, item.answer_start, item.answer_end)
        if span is None:
            continue
        yield Example(w.ids, span[0], span[1], w.context_start)
        if negatives >= 1:
            neg = _negative(tok, item, sents, {target - 1, target, target + 1}, rng, hard)
            if neg:
                yield neg
        others = [c for c in contexts if c != item.context]
        if negatives >= 2 and others:
            other = sents_of(_other_paragraph(item.question, others, sents_of, rng, hard))
            neg = _negative(tok, item, other, set(), rng, hard) if other else None
            if neg:
                yield neg


def _other_paragraph(
    question: str, others: list[str], sents_of: Callable[[str], list[Passage]], rng: random.Random, hard: bool
) -> str:
    """A random sibling paragraph, or (hard) the one whose best sentence shares most with the question."""
    if not hard:
        return rng.choice(others)
    asked = bigrams(question)
    return max(others, key=lambda c: max((len(asked & bigrams(p.text)) for p in sents_of(c)), default=0))


def gold_windows(tok: E5Tokenizer, items: list[SquadItem]) -> Iterator[tuple[SquadItem, Window]]:
    """Validation: each question with the window of the sentence that holds its answer."""
    for item in items:
        sents = passages(item.context)
        if sents:
            yield item, build_window(tok, item.question, sents, target_of(sents, item.answer_start))
