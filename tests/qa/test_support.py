"""Support: every constraint of the question must be met by the sentence or its context."""

from __future__ import annotations

import pytest

from qa.question import QuestionAnalyzer, Term
from qa.support import Support, bigrams, context_of, mentions, support, supported
from tests.qa.hits import make_hit


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


def terms(*texts: str) -> tuple[Term, ...]:
    return tuple(Term(t, "n", i) for i, t in enumerate(texts))


def test_bigrams() -> None:
    assert bigrams("口罩") == {"口罩"}
    assert bigrams("防护服") == {"防护", "护服"}
    assert bigrams("口") == set()


@pytest.mark.parametrize(
    ("context", "term", "expected"),
    [
        ("为基层民警发放口罩", "基层民警", True),  # exact
        ("为基层一线民警发放口罩", "基层民警", True),  # a word inside a long term
        ("市卫健委发放口罩", "省卫健委", False),  # another end is another thing
        ("发放口罩", "护目镜", False),
        ("发放口罩", "口", True),
        ("公安局", "公安厅", False),  # short terms are exact
    ],
)
def test_mentions(context: str, term: str, expected: bool) -> None:
    assert mentions(context, term) is expected


def test_coverage_and_sufficiency() -> None:
    hit = make_hit("口罩3万个。")
    assert Support(hit, (), ()).coverage == 1.0
    assert Support(hit, terms("a", "b", "c"), terms("d")).sufficient  # one in four may be missing
    assert Support(hit, terms("a", "b", "c"), terms("d")).coverage == 0.75
    assert not Support(hit, terms("a"), terms("b")).sufficient  # never one of two
    assert not Support(hit, terms("a", "b"), terms("c", "d")).sufficient


def test_the_context_is_the_section_and_the_whole_paragraph() -> None:
    hit = make_hit("它的面积约为0.3平方公里。", "城东湿地公园今年开放。它的面积约为0.3平方公里。", section="公园")
    assert context_of(hit) == "公园\n城东湿地公园今年开放。它的面积约为0.3平方公里。"


def test_a_sentence_borrows_its_subject_from_the_paragraph(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("城东湿地公园的面积是多少？")
    hit = make_hit("它的面积约为0.3平方公里。", "城东湿地公园今年开放。它的面积约为0.3平方公里。")
    s = support(q, hit)
    assert not s.missing and {t.text for t in s.found} >= {"面积"}


def test_supported_drops_sentences_about_something_else(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("一共发放了多少个护目镜？")
    masks = make_hit("市卫健委发放口罩3万个。")
    goggles = make_hit("另发放护目镜500个。", rank=2)
    kept = supported(q, [masks, goggles])
    assert [s.hit for s in kept] == [goggles]
