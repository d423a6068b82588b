"""Does a sentence support an answer to the question? Every constraint of the question must be met:
"省公安厅厅长是谁？" is not answered by the city bureau's chief, "发放了多少护目镜？" not by the masks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.retriever import Hit
from qa.question import Question, Term


@dataclass(frozen=True, slots=True)
class Support:
    hit: Hit
    found: tuple[Term, ...]
    missing: tuple[Term, ...]

    @property
    def coverage(self) -> float:
        total = len(self.found) + len(self.missing)
        return 1.0 if total == 0 else len(self.found) / total

    @property
    def sufficient(self) -> bool:
        """All required terms present; one in four may be missing (paraphrase), never a 2-term
        question's second term."""
        return len(self.missing) <= len(self.found + self.missing) // 4


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def mentions(context: str, term: str) -> bool:
    """Exact for short terms; a long term may be split by a word or two in the report
    (基层民警 ~ 基层一线民警): both its ends and two thirds of its character pairs must appear.
    Changing an end changes the thing (省卫健委 is not 市卫健委)."""
    if term in context:
        return True
    if len(term) < 4 or term[:2] not in context or term[-2:] not in context:
        return False
    pairs = bigrams(term)
    return sum(p in context for p in pairs) >= 2 * len(pairs) / 3


def context_of(hit: Hit) -> str:
    """What a sentence can lean on: its section title and its whole paragraph."""
    return f"{hit.sentence.section}\n{hit.paragraph.text}"


def support(question: Question, hit: Hit) -> Support:
    context = context_of(hit)
    found: list[Term] = []
    missing: list[Term] = []
    for term in question.required:
        (found if mentions(context, term.text) else missing).append(term)
    return Support(hit, tuple(found), tuple(missing))


def supported(question: Question, hits: Sequence[Hit]) -> list[Support]:
    return [s for s in (support(question, h) for h in hits) if s.sufficient]
