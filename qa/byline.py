"""Questions about the report itself — who wrote it, when and where it was published — answered from
its dateline, the lead a Chinese news report opens with: "中国江苏网2月18日连云港讯(记者 童金德 通讯员 关宁)",
"新华社北京3月1日电（记者 张三、李四）". No sentence of the report says "作者", so neither the reader
nor the span rules can answer "这篇报道的作者是谁？"; the dateline does, and is cited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from index.retriever import Hit
from index.split import Paragraph, Sentence
from qa.answer import Decision
from qa.extract import Extraction
from qa.question import SELF_REFERENCE
from qa.read import passages, sentence_of
from qa.spans import Candidate
from qa.support import Support

# Source, date, place, 讯 or 电, then the credits in brackets: within the lead's first 80 characters.
DATELINE = re.compile(
    r"(?P<source>[^\s，。,；;()（）]{2,16}?)(?P<date>(?:\d{4}年)?\d{1,2}月\d{1,2}日)[^\s，。,()（）]{0,8}?(?:讯|电)"
    r"\s*[（(](?P<credits>[^)）]{2,60})[)）]"
)
ROLES = ("特约记者", "见习记者", "记者", "通讯员", "实习生", "作者")
ROLE = re.compile("|".join(ROLES))
NAME = re.compile(r"[\u4e00-\u9fff·]{2,5}")


class Asked(Enum):
    AUTHOR = "author"
    REPORTER = "reporter"
    DATE = "date"
    SOURCE = "source"


# Each asks about the report's making, not about what it reports, so each is anchored on the report
# itself: "这篇报道中民警什么时候出发？", "这篇报道中口罩的来源是哪里？" and "Who did the reporter interview?"
# are questions about what it says.
_DOC = r"(?:报道|报告|文章|新闻|稿件|通讯|本文|此文|该文)"
_PUBLISHED = r"(?:发布|发表|刊发|刊登|出版|撰写)"
_ZH = (
    (Asked.REPORTER, re.compile(r"记者(?:是谁|叫什么|的名字|姓名)|哪位记者|谁是记者")),
    (Asked.AUTHOR, re.compile(rf"{_DOC}的?(?:作者|撰稿人|执笔人)|{_DOC}是?由?谁(?:写|撰写|执笔)")),
    (Asked.DATE, re.compile(rf"{_DOC}[是于在]?(?:什么时候|哪天|哪一天|何时|几号)|{_DOC}的?{_PUBLISHED}(?:日期|时间)")),
    (Asked.SOURCE, re.compile(rf"{_DOC}的?(?:来源|出处)|{_DOC}是?(?:出自|来自|{_PUBLISHED}[在于])|由哪家媒体")),
)
# A question that opens with one of these has the report for its subject ("报道是哪天发的？"), named or
# not; not 通讯 or 新闻, which open questions about communications and news in a report too.
_SUBJECT = ("报道", "报告", "文章", "稿件")
_EN_DOC = r"(?:this|the) (?:news )?(?:report|article|story|news|piece)"
_EN_PATTERNS = (
    (Asked.REPORTER, r"\bwho(?:'s| is| was| were) (?:the )?(?:reporter|journalist|correspondent)s?\b"),
    (Asked.AUTHOR, rf"\bwho wrote {_EN_DOC}|\bauthors? of {_EN_DOC}|\b{_EN_DOC} (?:was )?written by\b"),
    (Asked.DATE, rf"\bwhen (?:was|is) {_EN_DOC} (?:published|written|released|posted)|\bdate of {_EN_DOC}"),
    (Asked.SOURCE, rf"\bsource of {_EN_DOC}|\b{_EN_DOC} (?:was )?(?:published|carried) (?:by|in|on)\b"),
)
_EN = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _EN_PATTERNS)


def asked_about_report(text: str, language: str) -> Asked | None:
    """What a question asks about the report itself, if that is what it asks: "这篇报道的作者是谁？",
    "Who wrote this report?", "When was the article published?". A reporter may be asked for alone
    ("Who is the reporter?"); everything else needs the report named (这篇报道, this article)."""
    named = language == "en" or bool(SELF_REFERENCE.search(text))  # English patterns name it themselves
    for kind, pattern in _EN if language == "en" else _ZH:
        m = pattern.search(text)
        if m and (named or kind is Asked.REPORTER or (m.start() == 0 and text.startswith(_SUBJECT))):
            return kind
    return None


@dataclass(frozen=True, slots=True)
class Dateline:
    sentence: Sentence  # the lead sentence that holds it
    source: Candidate
    date: Candidate
    credits: Candidate  # 记者 童金德 通讯员 关宁
    reporters: Candidate | None  # the names after 记者, when that role is credited

    def answer(self, kind: Asked) -> Candidate:
        if kind is Asked.REPORTER:
            return self.reporters or self.credits
        return {Asked.AUTHOR: self.credits, Asked.DATE: self.date, Asked.SOURCE: self.source}[kind]


def _at(text: str, match: re.Match[str], group: str, kind: str) -> Candidate:
    return Candidate(match.group(group), match.start(group), match.end(group), kind)


def _reporters(sentence: str, match: re.Match[str]) -> Candidate | None:
    """The names credited as 记者: from the role to the next role or the bracket's end."""
    start, end = match.span("credits")
    roles = [(m.group(), m.start() + start, m.end() + start) for m in ROLE.finditer(match.group("credits"))]
    for i, (role, _, after) in enumerate(roles):
        if role != "记者":
            continue
        stop = roles[i + 1][1] if i + 1 < len(roles) else end
        names = list(NAME.finditer(sentence, after, stop))
        if names:
            return Candidate(sentence[names[0].start() : names[-1].end()], names[0].start(), names[-1].end(), "person")
    return None


# A lead may follow a title the converter kept as a paragraph of its own (PDF, Word).
LEAD_PARAGRAPHS = 2


def dateline(paragraph: Paragraph) -> Dateline | None:
    """The dateline a report's lead paragraph opens with, if it does."""
    if paragraph.number > LEAD_PARAGRAPHS:
        return None
    sents = passages(paragraph)
    if not sents:
        return None
    text = sents[0].text
    match = DATELINE.search(text, 0, 80)
    if match is None or not ROLE.search(match.group("credits")):
        return None
    # The lead sentence starts the paragraph, so the paragraph's page is its page.
    sentence = replace(sentence_of(paragraph, sents, 0), page=paragraph.page)
    credits = _at(text, match, "credits", "person")
    return Dateline(
        sentence, _at(text, match, "source", "name"), _at(text, match, "date", "date"), credits, _reporters(text, match)
    )


# The dateline is the report's own statement of who wrote it and when; short of certainty only in
# that a bracket of credits could, rarely, name someone else.
DATELINE_CONFIDENCE = 0.95


def from_dateline(kind: Asked, leads: Sequence[Paragraph | None]) -> Decision | None:
    """The answer the report's dateline gives, cited to the lead sentence that holds it."""
    for lead in leads:
        if lead is None or (dated := dateline(lead)) is None:
            continue
        hit = Hit(dated.sentence, lead, score=1.0, lexical=0.0, dense=0.0, rank=1)
        extraction = Extraction(hit, dated.answer(kind), 1.0, True)
        return Decision(extraction, (Support(hit, (), ()),), DATELINE_CONFIDENCE)
    return None
