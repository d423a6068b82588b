"""Follow-up questions, resolved against the session's earlier turns.

"防护服呢？" after "发放了多少口罩？" asks the same thing about another subject; "一共几个人？"
keeps the subject and changes what is asked; "他们下沉到哪里？" points back with a pronoun.
Each is rewritten into a full question before it reaches retrieval.
"""

from __future__ import annotations

import re

from qa.counted import COUNTED
from qa.question import PRONOUNS, Question, QuestionAnalyzer
from qa.sessions.base import Turn
from qa.types import AnswerType

ELLIPSIS = re.compile(r"^(?:那么?|还有|那)?\s*(?P<topic>[^？?呢]{1,20}?)\s*(?:呢|怎么样|如何)\s*[？?]*$")
ENTITY_TYPES = (AnswerType.PERSON, AnswerType.LIST, AnswerType.NAME, AnswerType.PLACE)
EN_ELLIPSIS = re.compile(r"^(?:and|what about|how about)\s+(?:the\s+)?(?P<topic>[A-Za-z][A-Za-z' -]*?)\s*[?.]*$", re.I)
PERSONAL = frozenset("他 她 他们 她们".split())  # pronouns that point to people


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


def _english_ellipsis(previous: str, text: str) -> str | None:
    """ "And protective suits?" after "How many masks were distributed?": the how-many question again,
    counting the new thing. Other English follow-ups have no subject this can find; left as asked."""
    m = EN_ELLIPSIS.match(text.strip())
    counted = COUNTED.search(previous)
    if m is None or counted is None:
        return None
    return previous[: counted.start("phrase")] + m.group("topic") + previous[counted.end("phrase") :]


def _topic_of(previous: Turn, prev_q: Question) -> str | None:
    """The topic a follow-up put into the previous question, which the next follow-up replaces in
    turn: after 口罩 → "防护手套呢？" → "消毒液呢？", 消毒液 takes the place of 防护手套 (the analyser's
    subject of 多少防护手套 is 手套, which left "多少防护消毒液")."""
    m = ELLIPSIS.match(previous.question.strip())
    return m.group("topic") if m and m.group("topic") in prev_q.text else None


def _referent(analyzer: QuestionAnalyzer, previous: Turn, prev_q: Question, personal: bool) -> str | None:
    """What a pronoun points back to: the previous answer when it names an entity, else the previous
    question's subject. 他/她/他们 point to people: not to the station of "李继刚在哪个派出所？" but to
    李继刚, the person that question names."""
    answer = previous.short_answer if previous.answer_type in ENTITY_TYPES and previous.short_answer else None
    if personal and not (answer and _names_a_person(analyzer, answer)):
        person = next((t.text for t in prev_q.terms if t.flag.startswith("nr")), None)
        answer = person or answer
    return answer or _subject(prev_q)


def _names_a_person(analyzer: QuestionAnalyzer, text: str) -> bool:
    return any(flag.startswith("nr") for _, flag, _ in analyzer.tag(text))


def resolve(analyzer: QuestionAnalyzer, text: str, history: list[Turn]) -> str:
    """The question as a full question, using the most recent turn when it is a follow-up."""
    if not history:
        return text
    previous = history[-1]
    prev_q = analyzer.analyze(previous.resolved)
    current = analyzer.analyze(text)
    m = ELLIPSIS.match(text.strip())
    if m and not current.wh:
        subject = _topic_of(previous, prev_q) or _subject(prev_q)
        topic = m.group("topic")
        frame = prev_q.text
        if prev_q.unit:  # 多少个口罩 → 防护服 is counted in 套, not 个
            frame = frame.replace(prev_q.wh + prev_q.unit, prev_q.wh, 1)
        if subject and subject in frame:
            return frame.replace(subject, topic, 1)
        return f"{topic}{frame}"
    if prev_q.language == "en" and (asked_again := _english_ellipsis(prev_q.text, text)) is not None:
        return asked_again
    pronoun = _pronoun(analyzer, text)
    if pronoun is not None:
        start, end = pronoun
        if ref := _referent(analyzer, previous, prev_q, personal=text[start:end] in PERSONAL):
            return text[:start] + ref + text[end:]
    if not current.required and current.wh:
        return f"{_without_wh(prev_q)}，{text}"
    return text
