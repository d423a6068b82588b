"""Choosing the short answer inside a sentence: units, proximity, typed candidates, clauses."""

from __future__ import annotations

import pytest

from qa import extract
from qa.question import QuestionAnalyzer
from qa.spans import Candidate
from qa.types import AnswerType


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


@pytest.mark.parametrize(("text", "unit"), [("16万个", "个"), ("800套", "套"), ("3万余套", "套"), ("很多", None)])
def test_unit_of(text: str, unit: str | None) -> None:
    assert extract.unit_of(text) == unit


def test_unit_fit_prefers_the_same_measure_word_then_its_class() -> None:
    assert extract.unit_fit("个", "个") == 1.0
    assert extract.unit_fit("人", "位") == 0.6  # both count people
    assert extract.unit_fit("个", "吨") == 0.15
    assert extract.unit_fit(None, "吨") == 0.5


def test_an_amount_asked_for_in_a_measure_word_agrees_with_its_class_only() -> None:
    assert extract.unit_agrees("名", "名") and extract.unit_agrees("名", "位") and extract.unit_agrees("名", "人")
    assert not extract.unit_agrees("名", "个")  # 97个党员先锋队 does not count 名
    assert not extract.unit_agrees("套", "双") and not extract.unit_agrees("吨", None)
    assert extract.unit_agrees("项", "个")  # things are counted in 个 as well (几项指标: 五个指标)
    assert extract.unit_agrees("个", "所") and extract.unit_agrees(None, "吨")  # 个 or nothing: any
    assert extract.unit_agrees("年", "个")  # not a counting word of the amount rules


def test_occurrences_and_clause_ids(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("口罩发放了多少？")
    text = "口罩3万个，另有口罩2万个。"
    found = extract.occurrences(text, q.terms)
    assert sorted(at for t, at in found if t.text == "口罩") == [0, 8]
    assert extract.clause_id(text, 0) == 0 and extract.clause_id(text, 8) == 1
    assert extract.segment_id("口罩3万个、防护服800套", 7) == 1


def test_the_number_next_to_the_counted_noun_wins(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("一线医护人员领到了多少套防护服？")
    text = "市卫健委向一线医护人员发放口罩3万个、防护服800套。"
    found = extract.occurrences(text, extract.context_terms(q))
    cands = extract.typed_candidates(q, text, analyzer.tag(text))
    assert [c.text for c in cands] == ["3万个", "800套"]
    best = max(cands, key=lambda c: extract.score_candidate(q, text, c, found))
    assert best.text == "800套"


def test_a_candidate_the_question_already_says_scores_low(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("3万个口罩发给了谁？")
    text = "3万个口罩发给了一线医护人员。"
    found = extract.occurrences(text, q.terms)
    repeated = Candidate("3万个", 0, 3, "quantity")
    other = Candidate("一线医护人员", 8, 14, "clause")
    assert extract.score_candidate(q, text, repeated, found) < extract.score_candidate(q, text, other, found)


def test_typed_candidates_by_answer_type(analyzer: QuestionAnalyzer) -> None:
    text = "第一中学于3月16日正式复课，“健康守门人”志愿服务队参加。"
    tags = analyzer.tag(text)
    date_q = analyzer.analyze("第一中学什么时候复课？")
    name_q = analyzer.analyze("志愿服务队叫什么名字？")
    assert date_q.answer_type is AnswerType.DATE and name_q.answer_type is AnswerType.NAME
    assert [c.text for c in extract.typed_candidates(date_q, text, tags)] == ["3月16日"]
    assert [c.text for c in extract.typed_candidates(name_q, text, tags)] == ["健康守门人"]
    assert extract.typed_candidates(analyzer.analyze("为什么复课？"), text, tags) == []


def test_best_clause_holds_the_focus_and_says_something_new(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("食堂实行什么制度？")
    text = "学校已复课，它的食堂实行分餐制，每张餐桌只坐一人。"
    found = extract.occurrences(text, q.terms)
    assert extract.best_clause(q, text, found).text == "它的食堂实行分餐制"


def test_alignment_span_runs_from_the_words_before_the_interrogative(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("机关食堂改成了什么？")
    text = "疫情期间，机关食堂改成了临时隔离点，共有床位40张。"
    span = extract.alignment_span(q, text, analyzer.tag(text))
    assert span is not None
    assert text[span.start : span.end] == span.text
    assert span.text.startswith("临时") and "改成" not in span.text and "，" not in span.text
