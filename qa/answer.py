"""From ranked sentences to an Answer: choose the span, decide whether the report says it at all,
and write the reply from template words and the report's own text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.retriever import Hit
from qa import extract, spans
from qa.extract import Extraction
from qa.format import reply_text
from qa.numbers import arabic
from qa.question import Question, QuestionAnalyzer, Term, echoes
from qa.segments import SegmentVectors
from qa.support import Support, supported
from qa.types import Answer, AnswerType, Citation, Span

# Types whose answer is a fact of that type: without one, the report does not say.
STRICT_TYPES = (AnswerType.QUANTITY, AnswerType.DATE, AnswerType.PERSON)
MAX_CITATIONS = 3
ABSTAIN_BELOW = 0.5
# e5 cosine between an English question and a Chinese clause: related clauses measured 0.77–0.80,
# unrelated ones up to 0.76 (dev questions); confidence rises from here over the next 0.05.
CROSS_LINGUAL_FLOOR = 0.74


@dataclass(frozen=True, slots=True)
class Decision:
    extraction: Extraction | None
    supports: tuple[Support, ...]
    confidence: float


def similarity_fit(hit: Hit) -> float:
    """Dense cosine mapped to 0..1 over the range where e5 separates related from unrelated."""
    return float(np.clip((hit.dense - 0.72) / 0.16, 0.0, 1.0))


def extract_from(q: Question, s: Support, rank: int, analyzer: QuestionAnalyzer) -> Extraction | None:
    """The sentence's answer by the span rules. One the question already says (`echoes`: 什么是标准杆？
    → 标准杆) is none: a name, number or date asked for is then not in this sentence; anything else
    is the clause of the sentence that says something new, at the echo's score — the sentence that
    repeats the question's words is most often the one that answers it."""
    found = extract_typed(q, s, rank, analyzer)
    if found is None or not echoes(q, found.candidate.text):
        return found
    if q.answer_type in STRICT_TYPES:
        return None
    text = s.hit.sentence.text
    clause = extract.best_clause(q, text, extract.occurrences(text, extract.context_terms(q)))
    return Extraction(s.hit, clause, found.score, False)


def extract_typed(q: Question, s: Support, rank: int, analyzer: QuestionAnalyzer) -> Extraction | None:
    text = s.hit.sentence.text
    found = extract.occurrences(text, extract.context_terms(q))
    tags = analyzer.tag(text)
    weight = extract.RANK_WEIGHT[min(rank, len(extract.RANK_WEIGHT) - 1)]
    typed = extract.typed_candidates(q, text, tags)
    # A count or a person must share a clause with what the question is about: the number next to
    # the counted noun, the name next to the verb (谁主办 → the organiser, not a name elsewhere).
    if q.answer_type is AnswerType.QUANTITY:
        # A question with no noun to count ("表彰激励了多少人？") anchors on its other words.
        anchors = [(t, at) for t, at in found if t in q.required] if q.required else found
        typed = [c for c in typed if _same_clause_as_any(text, c, anchors)]
    elif q.answer_type is AnswerType.PERSON:
        typed = [c for c in typed if _same_clause_as_any(text, c, found)]
    scored = [(extract.score_candidate(q, text, c, found), c) for c in typed]
    scored = [(sc, c) for sc, c in scored if sc > 0.05]
    if scored:
        score, cand = max(scored, key=lambda x: x[0])
        return Extraction(s.hit, cand, weight * (1 + score), True)
    if q.answer_type in STRICT_TYPES:
        return None
    span = extract.alignment_span(q, text, tags) if q.answer_type is AnswerType.OTHER else None
    cand = span or extract.best_clause(q, text, found)
    return Extraction(s.hit, cand, weight * 0.8, False)


def _same_clause_as_any(text: str, cand: spans.Candidate, found: Sequence[tuple[Term, int]]) -> bool:
    clause = extract.clause_id(text, cand.start)
    return any(extract.clause_id(text, at) == clause for _, at in found)


def decide(q: Question, hits: Sequence[Hit], analyzer: QuestionAnalyzer, segments: SegmentVectors) -> Decision:
    if q.language == "en":
        return _decide_english(q, hits, analyzer, segments)
    supports = supported(q, hits)
    options = [e for r, s in enumerate(supports) if (e := extract_from(q, s, r, analyzer))]
    if not options:
        return Decision(None, tuple(supports), 0.0)
    best = max(options, key=lambda e: e.score)
    support = next(s for s in supports if s.hit is best.hit)
    confidence = 0.45 * support.coverage + 0.35 * (1.0 if best.typed else 0.6) + 0.2 * similarity_fit(best.hit)
    return Decision(best, tuple(supports), confidence)


def _decide_english(q: Question, hits: Sequence[Hit], analyzer: QuestionAnalyzer, segments: SegmentVectors) -> Decision:
    """No shared words with a Chinese report: the multilingual embedder compares the question with
    each clause and enumeration item of the best sentences; the wanted type is taken from the
    closest item, whose similarity also decides whether the report says it at all."""
    query = segments.embedder.embed_queries([q.text])[0]
    best: tuple[float, Hit, spans.Candidate] | None = None
    for rank, hit in enumerate(hits):
        items, vectors = segments.of(hit)
        if not items:
            continue
        sims = vectors @ query - 0.005 * rank
        k = int(np.argmax(sims))
        if best is None or sims[k] > best[0]:
            best = (float(sims[k]), hit, items[k])
    if best is None:
        return Decision(None, (), 0.0)
    sim, hit, item = best
    text = hit.sentence.text
    typed = [c for c in extract.typed_candidates(q, text, analyzer.tag(text)) if _gap(c, item) == 0]
    if not typed and q.answer_type in STRICT_TYPES:
        return Decision(None, (), 0.0)
    extraction = Extraction(hit, typed[0] if typed else item, 1.0, bool(typed))
    # As in Chinese, a clause standing in for a typed answer is less certain than a typed span;
    # text that asks nothing (no wh-word: markup, a stray phrase) is not a question to answer.
    confidence = float(np.clip((sim - CROSS_LINGUAL_FLOOR) / 0.05, 0.0, 1.0)) * (1.0 if typed else 0.8)
    confidence *= 1.0 if q.wh else 0.5
    return Decision(extraction, (Support(hit, (), ()),), confidence)


def _gap(a: spans.Candidate, b: spans.Candidate) -> int:
    return max(0, b.start - a.end, a.start - b.end)


def short_text(q: Question, cand: spans.Candidate) -> str:
    if q.language == "en" and cand.kind == "quantity" and (number := arabic(cand.text)):
        return f"{cand.text} ({number})"
    return cand.text


def suggestions(hits: Sequence[Hit]) -> tuple[str, ...]:
    """Sections of the nearest sentences (documents where there are no sections), best first."""
    names = [h.sentence.section for h in hits if h.sentence.section] or [h.sentence.doc_id for h in hits]
    return tuple(dict.fromkeys(names))[:3]


def compose(q: Question, asked: str, decision: Decision, hits: Sequence[Hit], session_id: str) -> Answer:
    ext = decision.extraction
    lang = q.language
    if ext is None or decision.confidence < ABSTAIN_BELOW:
        tips = suggestions(hits)
        reply = reply_text(False, None, (), tips, lang)
        return Answer(
            asked, reply, None, q.answer_type, False, decision.confidence, (), session_id, q.text, None, tips, lang
        )
    # Further citations must themselves name part of the question, not merely share its paragraph.
    others = [
        s.hit for s in decision.supports if s.hit is not ext.hit and any(t.text in s.hit.sentence.text for t in s.found)
    ]
    cites = tuple(Citation.from_hit(h) for h in [ext.hit, *others][:MAX_CITATIONS])
    short = short_text(q, ext.candidate)
    s0 = ext.hit.sentence.start
    span = Span(ext.candidate.text, s0 + ext.candidate.start, s0 + ext.candidate.end)
    reply = reply_text(True, short, cites, (), lang)
    return Answer(
        asked, reply, short, q.answer_type, True, decision.confidence, cites, session_id, q.text, span, (), lang
    )
