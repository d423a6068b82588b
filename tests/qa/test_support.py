"""Support: every constraint of the question must be met by the sentence or its context."""

from __future__ import annotations

import pytest

from qa.question import QuestionAnalyzer, Term
from qa.support import Support, bigrams, context_of, firm, mentions, paraphrased, support, supported
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
        ("连云港市副市长徐敦虎", "市长", False),  # the deputy holds another office
        ("副市长徐敦虎", "副市长", True),
        ("防护手套2万余副、护目镜一副", "护目镜", True),  # 副 after a number counts pairs
        ("副市长徐敦虎与市长张三", "市长", True),  # a later mention counts
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


@pytest.mark.parametrize(
    ("question", "word", "expected"),
    [
        ("杨昊的职业是什么？", "职业", False),  # a passage gives the answer, not the word
        ("杨昊的职业是什么？", "杨昊", True),  # names
        ("2月10日发生了什么？", "2月10日", True),  # and numbers, dates among them
        ("连云港市公安局政委是谁？", "政委", True),  # the office a who-question asks about
        ("一共发放了多少个护目镜？", "护目镜", True),  # the noun a how-many question counts
        ("尤金袋鼠的体重大约是多少？", "体重", False),
    ],
)
def test_firm_terms_are_names_numbers_offices_and_counted_nouns(
    analyzer: QuestionAnalyzer, question: str, word: str, expected: bool
) -> None:
    q = analyzer.analyze(question)
    term = next(t for t in q.required if t.text == word)
    assert firm(q, term) is expected


def test_a_sentence_may_say_the_rest_in_other_words(analyzer: QuestionAnalyzer) -> None:
    job = analyzer.analyze("杨昊的职业是什么？")
    player = support(job, make_hit("杨昊，中国足球运动员，司职中场。"))
    assert not player.sufficient and paraphrased(job, player)
    other = support(job, make_hit("李四，中国足球运动员，司职中场。"))
    assert not paraphrased(job, other)  # the name is missing
    office = analyzer.analyze("连云港市公安局政委是谁？")
    assert not paraphrased(office, support(office, make_hit("连云港市副市长、公安局长徐敦虎高度重视。")))
    assert not paraphrased(job, support(job, make_hit("杨昊的职业是足球运动员。")))  # held: nothing to say


def test_a_name_jieba_glued_to_the_next_word_is_found(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("黄华麒是哪个大学毕业的？")
    assert "麒是" in [t.text for t in q.required]  # jieba's cut: 黄华 / 麒是
    assert support(q, make_hit("黄华麒早年就读圣保罗书院，及后于香港大学地理系毕业。")).sufficient
    assert not support(q, make_hit("黄华早年就读圣保罗书院，及后于香港大学地理系毕业。")).sufficient


def test_the_office_a_who_question_asks_about_is_never_allowed_missing(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("人民公安报的总编是谁？")
    hit = make_hit("稿件经《人民公安报》《新华日报》等主流媒体报道。")
    s = support(q, hit)
    assert [t.text for t in s.missing] == ["总编"] and len(s.found) >= 3  # within one in four, but the office
    assert not s.sufficient
    other = analyzer.analyze("人民公安报的稿件由谁转载？")  # no office asked about: the allowance stands
    assert support(other, make_hit("《人民公安报》的文章被新华日报转载。")).office_missing is False


def test_latin_letters_match_in_any_case(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("蒋家旻什么时候被挑选成为Tvbeople？")
    assert support(q, make_hit("蒋家旻中学就读于仁济医院林百欣中学，2007年被挑选成为TVbeople。")).sufficient


def test_a_deputy_the_question_asks_for_is_found(analyzer: QuestionAnalyzer) -> None:
    hit = make_hit("连云港市副市长、公安局长徐敦虎高度重视。")
    assert support(analyzer.analyze("连云港市副市长是谁？"), hit).sufficient
    assert not support(analyzer.analyze("连云港市市长是谁？"), hit).sufficient
