"""Pick the short answer: the span of the wanted type, in a supporting sentence, closest to the
question's focus terms and best in the same clause."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.retriever import Hit
from qa import spans
from qa.question import Question, Term
from qa.spans import Candidate, Tag
from qa.types import AnswerType

# Measure words that count the same kind of thing: asked 几个人, the report may say 4位.
PEOPLE = frozenset(["名", "位", "人", "人次"])  # measure words that count people
UNIT_CLASSES = (
    PEOPLE | {"个"},
    frozenset(["元", "万元", "亿元", "块", "钱", "美元"]),
    frozenset(["吨", "千克", "公斤", "斤", "克"]),
    frozenset(["公里", "千米", "米", "厘米", "毫米"]),
    frozenset(["天", "日", "周", "小时", "分钟", "秒", "个小时", "个星期", "个月", "个工作日"]),
    frozenset(["批", "批次"]),
)
RANK_WEIGHT = (1.0, 0.75, 0.55, 0.4, 0.3)
# Enumeration items; a parenthesis belongs to its item: 防护服(隔离衣)6000套.
SEGMENT_BREAK = re.compile(r"[，,；;：:。！？!?、]")


@dataclass(frozen=True, slots=True)
class Extraction:
    hit: Hit
    candidate: Candidate
    score: float
    typed: bool  # a span of the wanted type (False: the supporting clause stands in)


def unit_of(text: str) -> str | None:
    stripped = text.rstrip("余多")
    for unit in spans.QUANTITY_UNITS:
        if stripped.endswith(unit):
            return unit
    return None


def unit_fit(asked: str | None, found: str | None) -> float:
    """1 same measure word, 0.6 same class, 0.15 different, 0.5 when the question named none."""
    if asked is None:
        return 0.5
    if found == asked:
        return 1.0
    if found and any(asked in cls and found in cls for cls in UNIT_CLASSES):
        return 0.6
    return 0.15


# 个 counts people as well as things (三个人), so the span rules give it the people's class; but an
# amount asked for in 名, 位 or 人 is not one the report counts in 个 (97个党员先锋队 does not say how
# many 名党员民警). Other things are counted in 个 as often as in their own measure word (几项指标:
# 五个指标), and a question in 个 may be answered in any (多少个派出所: 18所).
SAYS_WHAT_IT_COUNTS = tuple(cls - {"个"} for cls in UNIT_CLASSES)


def unit_agrees(asked: str | None, found: str | None) -> bool:
    """Whether an amount in `found` can answer a question that asks for one in `asked`: the same
    measure word or one of its class, or 个 for anything but people; any, when the question names
    none or only 个 or 万."""
    if asked is None or asked in ("个", "万") or asked not in spans.QUANTITY_UNITS:
        return True
    if found == "个":
        return asked not in PEOPLE
    return found == asked or (found is not None and any(asked in c and found in c for c in SAYS_WHAT_IT_COUNTS))


def context_terms(q: Question) -> tuple[Term, ...]:
    """Terms that locate the answer. The head noun names the answer's class (哪个地区 → 地区):
    it sits inside the answer, not beside it, so it locates nothing, except for counts."""
    if q.answer_type is AnswerType.QUANTITY or not q.head:
        return q.terms
    return tuple(t for t in q.terms if t.text not in q.head)


def occurrences(text: str, terms: Sequence[Term]) -> list[tuple[Term, int]]:
    out = []
    for term in terms:
        at = text.find(term.text)
        while at >= 0:
            out.append((term, at))
            at = text.find(term.text, at + 1)
    return out


def segment_id(text: str, pos: int) -> int:
    return len(SEGMENT_BREAK.findall(text, 0, pos))


def clause_id(text: str, pos: int) -> int:
    return len(spans.CLAUSE_BREAK.findall(text, 0, pos))


def proximity(text: str, cand: Candidate, found: Sequence[tuple[Term, int]], key: str = "") -> float:
    """How close the candidate sits to the focus terms: each term counts once, at its nearest
    occurrence, more when in the same clause and most in the same enumeration item. Terms of
    `key` (the thing counted in 多少防护服) weigh triple: the number belongs to them."""
    best: dict[str, float] = {}
    for term, at in found:
        end = at + len(term.text)
        if at < cand.end and cand.start < end:
            continue  # the candidate repeats the question: not an answer
        gap = cand.start - end if end <= cand.start else at - cand.end
        weight = min(len(term.text), 4) / 2 * (3 if key and term.text in key else 1)
        score = weight / (1 + gap / 6)
        if clause_id(text, at) == clause_id(text, cand.start):
            score += 0.5 * weight
            if segment_id(text, at) == segment_id(text, cand.start):
                score += 0.5 * weight
        best[term.text] = max(best.get(term.text, 0.0), score)
    return sum(best.values())


def typed_candidates(q: Question, text: str, tags: Sequence[Tag]) -> list[Candidate]:
    t = q.answer_type
    if t is AnswerType.QUANTITY:
        return spans.quantities(text)
    if t is AnswerType.DATE:
        return spans.dates_in(text)
    if t is AnswerType.PERSON:
        groups = [c for c in spans.enumerations(text, tags) if _names_in(c, tags) >= _items_in(c)]
        # 谁 asked of a group: the whole enumeration, not its last name.
        singles = [p for p in spans.persons(tags) if not any(g.start <= p.start < g.end for g in groups)]
        # "谁主办了活动？" may be answered by an organisation (scored below any person).
        orgs = [c for c in spans.places(tags, None) if spans.ORG_SUFFIX.search(c.text)]
        return singles + groups + orgs
    if t is AnswerType.PLACE:
        return spans.places(tags, q.head)
    if t is AnswerType.NAME:
        return spans.quoted(text) + (spans.persons(tags) if q.wants_people else [])
    if t is AnswerType.LIST:
        return spans.enumerations(text, tags)
    return []


def _items_in(cand: Candidate) -> int:
    return 1 + cand.text.count("、") + sum(cand.text.count(c) for c in spans.CONNECTORS if len(c) == 1)


def _names_in(cand: Candidate, tags: Sequence[Tag]) -> int:
    """Person names jieba recognises inside a span (it misses some: 李彬善 → 李彬/善)."""
    return sum(1 for _, f, s in tags if cand.start <= s < cand.end and f.startswith("nr"))


def alignment_span(q: Question, text: str, tags: Sequence[Tag]) -> Candidate | None:
    """For "机关食堂改成了什么？": the words before the interrogative (改成) anchor the answer,
    which runs from there to the end of its clause or to the words after the interrogative."""
    before = [t for t in q.terms if t.start < q.wh_start]
    after = [t for t in q.terms if t.start > q.wh_start]
    for term in reversed(before):
        at = text.find(term.text)
        if at < 0:
            continue
        start = at + len(term.text)
        end = _clause_end(text, start)
        for follow in after:
            hit = text.find(follow.text, start + 1, end)
            if hit > start:
                end = hit
                break
        s, e = _trim(text, start, end)
        e = _phrase_end(text, tags, s, e)
        s, e = _trim(text, s, e)
        if e > s:
            return Candidate(text[s:e], s, e, "span")
    return None


CLOSING = {"“": "”", "「": "」", "《": "》", "‘": "’", '"': '"'}


def _phrase_end(text: str, tags: Sequence[Tag], start: int, end: int) -> int:
    """Where the noun phrase that starts at `start` ends: a quotation is taken whole; otherwise at
    the first particle, preposition, pronoun or one-character verb after some content
    (鲜花、证书和奖金|到我执勤的…)."""
    opener = text[start - 1] if start > 0 and text[start - 1] in CLOSING else None
    if opener:
        close = text.find(CLOSING[opener], start)
        if 0 <= close <= end:
            return close
    content = False
    for word, flag, at in tags:
        if at < start or word in spans.CONNECTORS or word == "、":
            continue
        if at >= end:
            break
        stop = flag.startswith(("p", "u", "r", "d", "y", "c")) or (flag.startswith("v") and len(word) == 1)
        if content and stop:
            return at
        content = True
    return end


def _clause_end(text: str, start: int) -> int:
    m = spans.CLAUSE_BREAK.search(text, start)
    return m.start() if m else len(text)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop particles and quotes at the edges: 了“树党旗、佩党徽”的 → 树党旗、佩党徽."""
    edge = " 了的是为着到在“”\"'「」"
    while s < e and text[s] in edge:
        s += 1
    while e > s and text[e - 1] in edge:
        e -= 1
    return s, e


def best_clause(q: Question, text: str, found: Sequence[tuple[Term, int]]) -> Candidate:
    """The clause that holds most of the focus and says something the question does not: the
    answer when no typed span fits."""
    options = spans.clauses(text) or [Candidate(text, 0, len(text), "clause")]

    def weight(c: Candidate) -> float:
        said = sum(len(t.text) for t, at in found if c.start <= at < c.end)
        new = len(c.text) - said
        return said * (1.0 if new > 1 else 0.1) + 0.001 * len(c.text)

    return max(options, key=weight)


def score_candidate(q: Question, text: str, cand: Candidate, found: Sequence[tuple[Term, int]]) -> float:
    counted = q.head if q.answer_type is AnswerType.QUANTITY else None
    score = proximity(text, cand, found, counted or "")
    if q.answer_type is AnswerType.QUANTITY:
        score *= 0.5 + unit_fit(q.unit, unit_of(cand.text))
    if q.head and cand.text.endswith(q.head) and cand.text != q.head:
        score *= 1.5
    if q.text.find(cand.text) >= 0:
        score *= 0.1  # the question already says it
    if q.answer_type is AnswerType.PERSON and cand.kind == "place":
        score *= 0.5  # an organisation answers 谁 only when no person does
    return score + 0.01 * math.log1p(len(cand.text))
