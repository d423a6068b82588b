"""Follow-up questions, resolved against the session's earlier turns.

"防护服呢？" after "发放了多少口罩？" asks the same thing about another subject; "一共几个人？"
keeps the subject and changes what is asked; "他们下沉到哪里？" points back with a pronoun.
Each is rewritten into a full question before it reaches retrieval.
"""

from __future__ import annotations

import re

from qa.question import PRONOUNS, Question, QuestionAnalyzer
from qa.sessions.base import Turn
from qa.types import AnswerType

ELLIPSIS = re.compile(r"^(?:那么?|还有|那)?\s*(?P<topic>[^？?呢]{1,20}?)\s*(?:呢|怎么样|如何)\s*[？?]*$")
ENTITY_TYPES = (AnswerType.PERSON, AnswerType.LIST, AnswerType.NAME, AnswerType.PLACE)


def _noun_phrases(q: Question) -> list[tuple[int, str]]:
    """Adjacent noun terms joined (党员 + 民警 → 党员民警), with their start offsets."""
    phrases: list[tuple[int, str]] = []
    for t in q.required or tuple(t for t in q.terms if t.is_noun):
        if phrases and phrases[-1][0] + len(phrases[-1][1]) == t.start:
            phrases[-1] = (phrases[-1][0], phrases[-1][1] + t.text)
        else:
            phrases.append((t.start, t.text))
    return phrases


def _subject(q: Question) -> str | None:
    """The previous question's main subject: its noun phrase nearest the interrogative."""
    phrases = _noun_phrases(q)
    if not phrases:
        return None
    if q.wh_start < 0:
        return phrases[-1][1]
    return min(phrases, key=lambda p: abs(p[0] - q.wh_start))[1]


def _without_wh(q: Question) -> str:
    """The previous question's statement part: 哪几位民警去武汉送药？ → 民警去武汉送药."""
    text = q.text[: q.wh_start] + q.text[q.wh_end :] if q.wh_start >= 0 else q.text
    return re.sub(r"[？?！!。]+$", "", text).strip()


def _pronoun(analyzer: QuestionAnalyzer, text: str) -> tuple[int, int] | None:
    """The span of the first pronoun that is a word of its own: 他们 in 他们下沉到哪里, not 他 in 其他."""
    for word, _flag, start in analyzer.tag(text):
        if word in PRONOUNS:
            return start, start + len(word)
    return None


def resolve(analyzer: QuestionAnalyzer, text: str, history: list[Turn]) -> str:
    """The question as a full question, using the most recent turn when it is a follow-up."""
    if not history:
        return text
    previous = history[-1]
    prev_q = analyzer.analyze(previous.resolved)
    current = analyzer.analyze(text)
    m = ELLIPSIS.match(text.strip())
    if m and not current.wh:
        subject = _subject(prev_q)
        topic = m.group("topic")
        frame = prev_q.text
        if prev_q.unit:  # 多少个口罩 → 防护服 is counted in 套, not 个
            frame = frame.replace(prev_q.wh + prev_q.unit, prev_q.wh, 1)
        if subject and subject in frame:
            return frame.replace(subject, topic, 1)
        return f"{topic}{frame}"
    pronoun = _pronoun(analyzer, text)
    if pronoun is not None:
        ref = previous.short_answer if previous.answer_type in ENTITY_TYPES and previous.short_answer else None
        ref = ref or _subject(prev_q)
        if ref:
            start, end = pronoun
            return text[:start] + ref + text[end:]
    if not current.required and current.wh:
        return f"{_without_wh(prev_q)}，{text}"
    return text
