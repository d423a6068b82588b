"""Does a sentence support an answer to the question? Every constraint of the question must be met:
"省公安厅厅长是谁？" is not answered by the city bureau's chief, "发放了多少护目镜？" not by the masks.
Some of a question's words a passage may say in words of its own (`firm`, `paraphrased`): past
those the reader answers only when surer (`qa.read.sureness`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.retriever import Hit
from qa.question import COPULAS, Question, Term
from qa.spans import NUMERALS
from qa.types import AnswerType


@dataclass(frozen=True, slots=True)
class Support:
    hit: Hit
    found: tuple[Term, ...]
    missing: tuple[Term, ...]
    office_missing: bool = False  # the office a who-question asks about is among the missing

    @property
    def coverage(self) -> float:
        total = len(self.found) + len(self.missing)
        return 1.0 if total == 0 else len(self.found) / total

    @property
    def sufficient(self) -> bool:
        """All required terms present; one in four may be missing (paraphrase), never a 2-term
        question's second term, nor the office a who-question asks about."""
        return not self.office_missing and len(self.missing) <= len(self.found + self.missing) // 4


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def deputy(context: str, at: int) -> bool:
    """副 written before `at` makes another office (副市长 is not the 市长); after a number it counts
    pairs (2万余副手套) and changes nothing."""
    return at > 0 and context[at - 1] == "副" and not (at > 1 and context[at - 2] in NUMERALS)


def occurs(context: str, term: str) -> bool:
    """Written in the context, other than as a deputy's office."""
    at = context.find(term)
    while at >= 0 and deputy(context, at):
        at = context.find(term, at + 1)
    return at >= 0


def mentions(context: str, term: str) -> bool:
    """Exact for short terms, and not as the office of a deputy; a long term may be split by a word
    or two in the report (基层民警 ~ 基层一线民警): both its ends and two thirds of its character pairs
    must appear. Changing an end changes the thing (省卫健委 is not 市卫健委)."""
    if occurs(context, term):
        return True
    if len(term) < 4 or term[:2] not in context or term[-2:] not in context:
        return False
    pairs = bigrams(term)
    return sum(p in context for p in pairs) >= 2 * len(pairs) / 3


def context_of(hit: Hit) -> str:
    """What a sentence can lean on: its section title and its whole paragraph."""
    return f"{hit.sentence.section}\n{hit.paragraph.text}"


# Characters jieba glues to the end of a name it does not know: 黄华麒是 → 黄华 / 麒是, 锦地罗不需要 →
# 锦地罗不; no passage writes the glued word.
GLUED = frozenset("是有才不也都就在把被将")


def unglued(question: Question, term: Term) -> str | None:
    """The name a glued term cuts, as the question writes it: the three characters before the glued
    one (麒是 of 黄华麒是 → 黄华麒, 叶有 of 上部叶有 → 上部叶)."""
    if len(term.text) < 2 or term.text[-1] not in GLUED:
        return None
    end = term.start + len(term.text) - 1
    return question.text[max(0, end - 3) : end]


def as_meant(question: Question, term: Term) -> str:
    """The term with the 副 the question writes before it as a word of its own (副/市长)."""
    prefixed = any(t.text == "副" and t.start + 1 == term.start for t in question.terms)
    return "副" + term.text if prefixed else term.text


def found_in(context: str, question: Question, term: Term) -> bool:
    """The term in a lower-cased context: as the question means it (副市长), or, where jieba glued
    it to the next word, as the question writes the name (黄华麒)."""
    name = unglued(question, term)
    return mentions(context, as_meant(question, term).lower()) or (name is not None and name.lower() in context)


def support(question: Question, hit: Hit) -> Support:
    # Latin letters in any case: TVbeople is the Tvbeople asked about.
    context = context_of(hit).lower()
    found: list[Term] = []
    missing: list[Term] = []
    for term in question.required:
        (found if found_in(context, question, term) else missing).append(term)
    return Support(hit, tuple(found), tuple(missing), office(question) in missing)


def office(question: Question) -> Term | None:
    """The office a who-question asks the holder of: the noun written just before 是谁 (人民公安报的
    总编是谁 → 总编). The one-in-four allowance never covers it: the holder of another office is not
    the answer."""
    if question.answer_type is not AnswerType.PERSON or question.wh_start < 0:
        return None
    before = [t for t in question.required if t.start + len(t.text) <= question.wh_start][-1:]
    if not before:
        return None
    gap = question.text[before[0].start + len(before[0].text) : question.wh_start]
    return before[0] if set(gap) <= COPULAS | {"的"} else None


def supported(question: Question, hits: Sequence[Hit]) -> list[Support]:
    return [s for s in (support(question, h) for h in hits) if s.sufficient]


# jieba's tags for names (people, places, bodies, other proper nouns) and Latin words.
NAME_FLAGS = ("nr", "ns", "nt", "nz", "eng")


def firm(question: Question, term: Term) -> bool:
    """A term no paraphrase stands in for: a name or a number (dates are numbers to jieba); any term
    of a question that asks for a person (who holds an office the report does not name is not the
    holder of another: 政委是谁 is not the 副市长); the noun a how-many question counts (多少护目镜 is
    not the masks). What a passage may say in other words is the rest: 杨昊的职业 → 中国足球运动员,
    体重 → 约8公斤重, 原生地 → 原生于."""
    if question.answer_type is AnswerType.PERSON or term.flag.startswith(NAME_FLAGS) or term.flag == "m":
        return True
    return question.answer_type is AnswerType.QUANTITY and term.text in (question.head or "")


def paraphrased(question: Question, found: Support) -> bool:
    """The sentence fails the check only for terms a paraphrase may stand for."""
    return not found.sufficient and not any(firm(question, t) for t in found.missing)
