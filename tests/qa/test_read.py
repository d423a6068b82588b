"""The reader step: type checks, ranking across windows and confidence, with the real reader over a real index."""

from pathlib import Path

import pytest

from qa.answer import ABSTAIN_BELOW, Decision
from qa.engine import ReportQA
from qa.extract import Extraction
from qa.question import QuestionAnalyzer
from qa.read import (
    EN_MIDPOINT,
    EN_SCALE,
    MIDPOINT,
    PARAPHRASE_MIDPOINT,
    SCALE,
    TYPED_MIDPOINT,
    TYPED_SLACK,
    ReadSpan,
    calibration,
    confidence,
    counts_asked,
    dated,
    names_held,
    of_asked_type,
    read,
    subjects_clause,
    sureness,
    type_check,
    typed_first,
    typed_span,
    windows_of,
)
from qa.spans import Candidate
from tests.qa.hits import make_hit


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


def test_confidence_is_one_half_at_the_midpoint_and_rises() -> None:
    assert confidence(1.0, 1.0, 2.0) == pytest.approx(0.5)
    assert confidence(0.0, 1.0, 2.0) < 0.5 < confidence(3.0, 1.0, 2.0)


def test_a_span_lacking_only_paraphrasable_words_needs_a_surer_reader(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("杨昊的职业是什么？")
    between = (MIDPOINT + PARAPHRASE_MIDPOINT) / 2
    assert sureness(q, between, held=True) >= ABSTAIN_BELOW > sureness(q, between, held=False, loose=True)
    assert sureness(q, PARAPHRASE_MIDPOINT + 1, held=False, loose=True) >= ABSTAIN_BELOW
    assert sureness(q, PARAPHRASE_MIDPOINT + 20, held=False) < ABSTAIN_BELOW  # lacking more: never
    english = analyzer.analyze("What is Yang Hao's job?")  # English has its own check, names_held
    assert sureness(english, between, held=False) == sureness(english, between, held=True)


def test_a_span_of_the_asked_type_has_a_midpoint_of_its_own(analyzer: QuestionAnalyzer) -> None:
    when = analyzer.analyze("活动是哪天举行的？")
    assert of_asked_type(when, "3月12日") and not of_asked_type(when, "城东湿地公园")
    assert not of_asked_type(when, "3月12日，城东湿地公园举行了植树节")  # a clause that holds a date
    assert of_asked_type(analyzer.analyze("来了多少名队员？"), "12名") and not of_asked_type(
        analyzer.analyze("来了多少名队员？"), "12个"
    )
    assert not of_asked_type(analyzer.analyze("谁来了？"), "张明")
    margin = (TYPED_MIDPOINT + MIDPOINT) / 2  # between the two
    assert sureness(when, margin, held=True, typed=True) > 0.5 > sureness(when, margin, held=True)
    assert sureness(when, margin, held=False, typed=True) < 0.5  # the check still comes first


def test_english_questions_have_constants_of_their_own(analyzer: QuestionAnalyzer) -> None:
    assert calibration(analyzer.analyze("How many masks were handed out?")) == (EN_MIDPOINT, EN_SCALE)
    assert calibration(analyzer.analyze("发放了多少口罩？")) == (MIDPOINT, SCALE)


@pytest.fixture(scope="module")
def bot(tiny_index_dir: tuple[Path, Path]) -> ReportQA:
    docs, index = tiny_index_dir
    return ReportQA.load(docs_dir=docs, index_dir=index, rebuild=False, progress=False)


def test_read_spans_lie_in_their_sentences_best_first(bot: ReportQA) -> None:
    assert bot.reader is not None
    q = bot.analyzer.analyze("全市设了几个查控点？")
    spans = read(bot.reader, q, bot.retriever.search(q.text, k=5))
    assert spans and [s.score for s in spans] == sorted((s.score for s in spans), reverse=True)
    for s in spans:
        text = s.hit.sentence.text
        assert text[s.candidate.start : s.candidate.end] == s.candidate.text
    assert "45" in spans[0].candidate.text


def test_a_how_many_question_takes_the_windows_best_span_that_holds_a_number(bot: ReportQA) -> None:
    """Given a best span without a number ("连续值守" of the same window), the reader's own ranking,
    kept to spans that hold one, answers — and nothing far below the best is taken."""
    assert bot.reader is not None
    q = bot.analyzer.analyze("几名志愿者连续值守火车站？")
    hits = bot.retriever.search(q.text, k=5)
    job = windows_of(bot.reader, q.text, hits[:1])[0]
    reading = bot.reader.read([job[2]])[0]
    found = read(bot.reader, q, hits[:1])[0]
    text = found.hit.sentence.text
    at = text.index("连续值守")
    wordy = ReadSpan(found.hit, Candidate("连续值守", at, at + 4, "span"), found.score, found.rank)
    by_sentence = {(h.sentence.doc_id, h.sentence.start): h for h in hits}
    holds = type_check(q, None)
    assert holds is not None and not holds(wordy.candidate.text)
    counted = typed_span(q, job, reading, wordy, by_sentence, holds)
    assert any(c in "0123456789一二三四五六七八九十" for c in counted.candidate.text)
    assert counted.score >= found.score - TYPED_SLACK
    far = ReadSpan(found.hit, wordy.candidate, found.score + TYPED_SLACK + 50.0, found.rank)
    assert typed_span(q, job, reading, far, by_sentence, holds) is far


def test_a_question_about_people_wants_a_name_and_who_alone_does_not(analyzer: QuestionAnalyzer) -> None:
    holds = type_check(analyzer.analyze("哪些民警去了武汉？"), analyzer.tag)
    assert holds is not None
    assert holds("赵伟捷、李彬善") and not holds("4位") and not holds("星夜兼程")
    named = type_check(analyzer.analyze("那位民警叫什么名字？"), analyzer.tag)
    assert named is not None and named("李继刚") and not named("曲阳派出所")
    assert type_check(analyzer.analyze("谁主办了本次活动？"), analyzer.tag) is None  # an organisation may answer
    assert type_check(analyzer.analyze("哪一天的活动？"), analyzer.tag) is None
    assert type_check(analyzer.analyze("How many officers went?"), analyzer.tag) is not None  # a number, any language


def test_an_english_which_question_wants_a_name_ending_with_its_class(analyzer: QuestionAnalyzer) -> None:
    holds = type_check(analyzer.analyze("Which police station does 李继刚 work at?"), analyzer.tag)
    assert holds is not None
    assert holds("东海县公安局曲阳派出所") and holds("“曲阳派出所”") and not holds("东海县")
    assert type_check(analyzer.analyze("Which day did they leave?"), analyzer.tag) is None  # a date's own check


def test_a_how_many_question_takes_its_nouns_amount_from_the_next_sentence_of_the_window(bot: ReportQA) -> None:
    """Its other words match the sentence with 口罩3万个; its counted noun is in the next one."""
    assert bot.reader is not None
    q = bot.analyzer.analyze("一线医护人员领到了多少消毒液？")
    best = read(bot.reader, q, bot.retriever.search(q.text, k=5), tag=bot.analyzer.tag)[0]
    assert best.candidate.text == "2吨"
    assert "消毒液" in best.hit.sentence.text  # the cited sentence is the one that holds it


def test_a_when_question_without_a_date_takes_its_sentences_one_date(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("活动是哪天举行的？")
    hit = make_hit("3月12日，滨江市第二届植树节活动在城东湿地公园举行。")
    undated = ReadSpan(hit, Candidate("滨江市第二届", 6, 12, "span"), 8.5, 1)
    assert dated(q, undated).candidate.text == "3月12日"
    two = make_hit("3月12日开幕，3月14日闭幕，滨江市第二届植树节。")
    assert dated(q, ReadSpan(two, Candidate("滨江市第二届", 14, 20, "span"), 8.5, 1)).candidate.text == "滨江市第二届"
    asked = analyzer.analyze("活动在哪里举行？")  # not a when-question
    assert dated(asked, undated) is undated


def test_an_english_questions_chinese_names_must_be_in_the_answers_paragraph(analyzer: QuestionAnalyzer) -> None:
    hit = make_hit("连云港市副市长、公安局长徐敦虎高度重视战勤保障工作。")
    sure = Decision(Extraction(hit, Candidate("徐敦虎", 12, 15, "span"), 9.0, True), (), 0.9)
    elsewhere = names_held(analyzer.analyze_english("Who is the mayor of 武汉?"), sure)
    assert elsewhere.confidence < ABSTAIN_BELOW and elsewhere.extraction == sure.extraction
    assert names_held(analyzer.analyze_english("Who is the deputy mayor of 连云港?"), sure) is sure
    assert names_held(analyzer.analyze("谁是武汉市长？"), sure) is sure  # Chinese questions have their own check


def test_a_how_many_question_in_a_measure_word_wants_an_amount_counted_in_it(analyzer: QuestionAnalyzer) -> None:
    people = type_check(analyzer.analyze("突击队有多少名党员民警？"), analyzer.tag)
    assert people is not None
    assert people("100名") and people("300多名") and people("共4位") and not people("97个") and not people("星夜")
    ordinal = type_check(analyzer.analyze("这是他们的第几张专辑？"), analyzer.tag)
    assert ordinal is not None and ordinal("第20张") and not ordinal("第20首")
    anything = type_check(analyzer.analyze("突击队驻点在多少个派出所？"), analyzer.tag)  # 个 may be any measure word
    assert anything is not None and anything("18所") and anything("18个") and not anything("海州地区")


def test_a_span_of_the_asked_type_goes_first_when_it_is_close_to_the_best() -> None:
    units = make_hit("成立了72个临时党组织、97个党员先锋队。")
    counted = make_hit("抽调100名党员民警成立突击队。")
    best = ReadSpan(units, Candidate("97个", 11, 14, "span"), 10.0, 1)
    close = ReadSpan(counted, Candidate("100名", 2, 6, "span"), 10.0 - TYPED_SLACK + 0.5, 1)
    far = ReadSpan(counted, close.candidate, 10.0 - TYPED_SLACK - 0.5, 1)
    holds = lambda span: span.candidate.text.endswith("名")  # noqa: E731
    assert typed_first([best, close], holds) == [close, best]
    assert typed_first([best, far], holds) == [best, far]


def test_an_amount_written_against_a_word_of_the_question_counts_what_it_asks(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("营业收入同比增长了多少？")
    grew = make_hit("公司实现营业收入58.6亿元，同比增长12.4%。")
    share = make_hit("研发投入4.2亿元，占营业收入的7.2%。")
    assert counts_asked(q, ReadSpan(grew, Candidate("12.4%", 19, 24, "span"), 6.0, 1))
    assert not counts_asked(q, ReadSpan(share, Candidate("7.2%", 16, 20, "span"), 8.0, 2))
    assert counts_asked(
        analyzer.analyze("成立了多少个突击队？"),
        ReadSpan(make_hit("成立36个突击队。"), Candidate("36个", 2, 5, "span"), 1.0, 1),
    )


def test_a_list_question_wants_a_span_naming_the_class_it_writes(analyzer: QuestionAnalyzer) -> None:
    several = type_check(analyzer.analyze("措施针对哪些场所？"), analyzer.tag)
    assert several is not None and several("办公场所、办案场所和窗口单位") and not several("连云港市")
    assert type_check(analyzer.analyze("哪家医院派来了专家？"), analyzer.tag) is None  # one name: not held to it
    assert type_check(analyzer.analyze("它取代了哪一个球场？"), analyzer.tag) is None


def test_an_english_question_about_a_place_the_paragraph_never_names_abstains(analyzer: QuestionAnalyzer) -> None:
    hit = make_hit("连云港市副市长、公安局长徐敦虎高度重视战勤保障工作。")
    sure = Decision(Extraction(hit, Candidate("徐敦虎", 12, 15, "span"), 9.0, True), (), 0.9)
    elsewhere = names_held(analyzer.analyze("Who is the police chief of Shanghai?"), sure)
    assert elsewhere.confidence < ABSTAIN_BELOW
    shanghai = make_hit("上海市副市长、公安局长张三高度重视战勤保障工作。")
    there = Decision(Extraction(shanghai, Candidate("张三", 11, 13, "span"), 9.0, True), (), 0.9)
    assert names_held(analyzer.analyze("Who is the police chief of Shanghai?"), there) is there
    # A name no dictionary knows is the reader's to judge, as is a word that merely spells pinyin.
    assert names_held(analyzer.analyze("Who is Xu Dunhu?"), sure) is sure
    assert names_held(analyzer.analyze("Who is the police chief in China?"), sure) is sure


def test_parallel_clauses_answer_in_the_clause_of_the_questions_subject(analyzer: QuestionAnalyzer) -> None:
    text = "馆长王芳负责全馆日常管理，副馆长李强负责古籍修复。"
    other = text.index("全馆")  # a span in the other subject's clause
    found = subjects_clause(analyzer.analyze("副馆长负责什么工作？"), text, other)
    assert found is not None and found[0].text == "副馆长李强负责古籍修复"
    assert text[found[1] : found[1] + 2] == "负责"  # the asked verb in that clause
    own = text.index("古籍")
    assert subjects_clause(analyzer.analyze("副馆长负责什么工作？"), text, own) is None  # already there
    assert subjects_clause(analyzer.analyze("谁负责古籍修复？"), text, other) is None  # no subject before a verb
