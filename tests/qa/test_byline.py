"""Questions about the report itself, answered from its dateline (`qa.byline`)."""

import pytest

from index.split import Paragraph
from qa.byline import Asked, asked_about_report, dateline, from_dateline

LEAD = "中国江苏网2月18日连云港讯(记者 童金德 通讯员 关宁)疫情防控战打响以来,连云港市公安局迅速行动。后来又做了别的事。"
AGENCY = "新华社北京3月1日电（记者 张三、李四）国务院新闻办公室1日举行发布会。"


def lead(text: str, number: int = 1, start: int = 0) -> Paragraph:
    return Paragraph("r", "", number, start, start + len(text), text)


def test_the_dateline_gives_source_date_and_credits_at_their_offsets() -> None:
    dated = dateline(lead(LEAD, start=40))
    assert dated is not None
    assert (dated.source.text, dated.date.text) == ("中国江苏网", "2月18日")
    assert dated.credits.text == "记者 童金德 通讯员 关宁"
    assert dated.reporters is not None and dated.reporters.text == "童金德"  # not the 通讯员
    s = dated.sentence
    assert s.text.startswith("中国江苏网") and s.text.endswith("迅速行动。")  # the lead sentence alone
    assert (s.start, s.end) == (40, 40 + len(s.text))
    for c in (dated.source, dated.date, dated.credits, dated.reporters):
        assert s.text[c.start : c.end] == c.text


def test_an_agencys_dateline_credits_every_reporter() -> None:
    dated = dateline(lead(AGENCY))
    assert dated is not None and dated.date.text == "3月1日"
    assert dated.reporters is not None and dated.reporters.text == "张三、李四"


@pytest.mark.parametrize(
    "paragraph",
    [
        lead("连云港市公安局迅速启动防疫战时思想政治工作机制。"),  # no dateline
        lead("2月18日(记者 童金德)走访了社区。"),  # no source, no 讯 or 电
        lead(LEAD, number=3),  # only a lead opens with one: the first paragraph, or the second after a title
    ],
)
def test_no_dateline_where_the_lead_has_none(paragraph: Paragraph) -> None:
    assert dateline(paragraph) is None
    assert from_dateline(Asked.AUTHOR, [paragraph]) is None


@pytest.mark.parametrize(
    ("question", "language", "kind"),
    [
        ("这篇报道的作者是谁？", "zh", Asked.AUTHOR),
        ("本文是谁写的？", "zh", Asked.AUTHOR),
        ("记者是谁？", "zh", Asked.REPORTER),
        ("这篇报道是哪天发布的？", "zh", Asked.DATE),
        ("这篇报道的来源是哪里？", "zh", Asked.SOURCE),
        ("Who wrote this report?", "en", Asked.AUTHOR),
        ("Who is the reporter?", "en", Asked.REPORTER),
        ("When was the article published?", "en", Asked.DATE),
        ("What is the source of this report?", "en", Asked.SOURCE),
        # About what the report says, not about the report:
        ("这篇报道中民警什么时候出发？", "zh", None),
        ("这篇报道提到了哪家媒体？", "zh", None),
        ("记者在哪里采访了民警？", "zh", None),
        ("作者是谁？", "zh", None),  # whose author? the report is not named
        ("When did the police go to Wuhan according to this report?", "en", None),
        ("这篇报道中口罩的来源是哪里？", "zh", None),
        ("这篇报道中通知是什么时候发布的？", "zh", None),
        ("Who did the reporter interview?", "en", None),
        ("What is the source of the masks in this report?", "en", None),
        ("What date did the police leave, according to this article?", "en", None),
        ("这篇文章的发布日期是哪天？", "zh", Asked.DATE),
        ("When was this article written?", "en", Asked.DATE),
        ("报道是哪天发的？", "zh", Asked.DATE),  # opens with the report: its subject, named or not
        ("文章的作者是谁？", "zh", Asked.AUTHOR),
        ("通讯是什么时候恢复的？", "zh", None),  # 通讯 opens questions about communications too
        ("民警说报道是哪天发的？", "zh", None),
        ("Who is the author of this article?", "en", Asked.AUTHOR),
    ],
)
def test_what_a_question_asks_about_the_report(question: str, language: str, kind: Asked | None) -> None:
    assert asked_about_report(question, language) is kind


def test_the_answer_is_cited_to_the_lead_sentence() -> None:
    title, paragraph = lead("连云港公安：战“疫”一线的暖心保障"), lead(LEAD, number=2, start=20)
    decision = from_dateline(Asked.DATE, [title, paragraph, None])
    assert decision is not None and decision.extraction is not None
    assert decision.extraction.candidate.text == "2月18日"
    assert decision.extraction.hit.paragraph is paragraph and decision.confidence >= 0.5
