"""The reader step: pure span edges, then the real reader over a real index."""

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
    amount_after,
    balance,
    calibration,
    confidence,
    dated,
    holder,
    names_held,
    of_asked_type,
    pair_with_focus,
    plural_which,
    quoted_name,
    read,
    snap,
    sureness,
    trim_tail,
    type_check,
    typed_first,
    typed_span,
    whole_list,
    windows_of,
    with_partner,
)
from qa.spans import Candidate, quantities
from tests.qa.hits import make_hit

SENTENCE = "市里向医护人员发放口罩16万个、防护服800套，并在《战疫日记》中记下了经过。"


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


def test_balance_trims_punctuation_at_the_edges() -> None:
    a, b = balance("，口罩16万个。", 0, 8)
    assert "，口罩16万个。"[a:b] == "口罩16万个"


def test_balance_completes_a_cut_title() -> None:
    start = SENTENCE.index("《")
    a, b = balance(SENTENCE, start, start + 3)
    assert SENTENCE[a:b] == "《战疫日记》"
    end = SENTENCE.index("》") + 1
    a, b = balance(SENTENCE, end - 3, end)
    assert SENTENCE[a:b] == "《战疫日记》"


def test_a_name_question_takes_the_quoted_name_out_of_a_longer_span(analyzer: QuestionAnalyzer) -> None:
    text = "“健康守门人”志愿服务队为独居老人提供上门服务。"
    asked = analyzer.analyze("为独居老人上门服务的服务队叫什么名字？")
    a, b = quoted_name(asked, text, 0, 12)
    assert text[a:b] == "健康守门人"
    who = analyzer.analyze("谁为独居老人提供上门服务？")  # not a name question: the span stays
    assert quoted_name(who, text, 0, 12) == (0, 12)


def test_a_name_question_takes_the_whole_quoted_name_a_span_lies_inside(analyzer: QuestionAnalyzer) -> None:
    text = "社区还推出了“暖心十条”服务,受到居民好评。"
    part = (text.index("暖心"), text.index("暖心") + 2)
    asked = analyzer.analyze("社区推出的服务叫什么？")
    assert text[slice(*quoted_name(asked, text, *part))] == "暖心十条"
    saying = "他说：“今天我们一定要把这批物资全部送到每一户居民家中去，一户也不能少。”"
    inside = (saying.index("物资"), saying.index("物资") + 2)
    assert quoted_name(asked, saying, *inside) == inside  # a long quotation is a saying, not a name


def test_a_name_does_not_end_with_the_verb_after_it(analyzer: QuestionAnalyzer) -> None:
    text = "本次活动由滨江市林业局和共青团滨江市委联合主办。"
    start, end = text.index("滨江"), text.index("主办")
    who = analyzer.analyze("谁主办了本次活动？")
    a, b = trim_tail(who, text, start, end, analyzer.tag)
    assert text[a:b] == "滨江市林业局和共青团滨江市委"
    how_many = analyzer.analyze("有几个单位联合主办？")  # not a name: left alone
    assert trim_tail(how_many, text, start, end, analyzer.tag) == (start, end)


def test_a_named_answer_takes_the_partner_joined_to_it(analyzer: QuestionAnalyzer) -> None:
    text = "本次活动由滨江市林业局和共青团滨江市委联合主办。"
    first = (text.index("滨江"), text.index("和"))
    who = analyzer.analyze("谁主办了本次活动？")
    a, b = with_partner(who, text, *first, analyzer.tag)
    assert text[a:b] == "滨江市林业局和共青团滨江市委"
    how_many = analyzer.analyze("有几个单位联合主办？")  # not a name: left alone
    assert with_partner(how_many, text, *first, analyzer.tag) == first
    either = "报名可找张明或李华。"  # 或 offers a choice, not a pair
    one = (either.index("张明"), either.index("或"))
    assert with_partner(analyzer.analyze("报名找谁？"), either, *one, analyzer.tag) == one


def test_a_list_question_gets_the_whole_enumeration_of_its_item(analyzer: QuestionAnalyzer) -> None:
    text = "共栽种香樟、银杏、桂花等树苗8000余株。"
    item = (text.index("银杏"), text.index("银杏") + 2)
    which = analyzer.analyze("栽种了哪些树苗？")
    a, b = whole_list(which, text, *item, analyzer.tag)
    assert text[a:b] == "香樟、银杏、桂花"
    titles = "稿件经《人民公安报》《新华日报》等主流媒体报道。"
    one = (titles.index("《新华"), titles.index("》等") + 1)
    a, b = whole_list(analyzer.analyze("哪些媒体报道了？"), titles, *one, analyzer.tag)
    assert titles[a:b] == "《人民公安报》《新华日报》"
    how_many = analyzer.analyze("栽种了多少株树苗？")  # not a list question: the item stays
    assert whole_list(how_many, text, *item, analyzer.tag) == item
    people = "张明、李华、王强三名队员连夜赶往灾区。"
    last = (people.index("王强"), people.index("王强") + 2)
    a, b = whole_list(analyzer.analyze("谁连夜赶往灾区？"), people, *last, analyzer.tag)
    assert people[a:b] == "张明、李华、王强"  # 谁 does not say how many
    duties = "队员们担负起巡逻值守、物资配送、健康监测等任务。"
    verb_first = (duties.index("担负起"), duties.index("、物资"))  # the verb and the first item
    a, b = whole_list(analyzer.analyze("队员们担负了哪些任务？"), duties, *verb_first, analyzer.tag)
    assert duties[a:b] == "巡逻值守、物资配送、健康监测"
    whole = (duties.index("担负起"), duties.index("。"))  # the list and the class it is of
    a, b = whole_list(analyzer.analyze("队员们担负了哪些任务？"), duties, *whole, analyzer.tag)
    assert duties[a:b] == "巡逻值守、物资配送、健康监测"


def test_what_a_verb_is_asked_about_gets_the_whole_list_that_verb_takes(analyzer: QuestionAnalyzer) -> None:
    text = "院长带着鲜花、果篮和慰问金看望了值班护士。"
    item = (text.index("果篮"), text.index("果篮") + 2)
    a, b = whole_list(analyzer.analyze("院长带着什么看望护士？"), text, *item, analyzer.tag)
    assert text[a:b] == "鲜花、果篮和慰问金"
    assert whole_list(analyzer.analyze("院长看望了什么科室？"), text, *item, analyzer.tag) == item  # another verb
    assert whole_list(analyzer.analyze("果篮是什么？"), text, *item, analyzer.tag) == item  # no verb asked


def test_balance_drops_quotation_marks_around_a_whole_name() -> None:
    text = "“健康守门人”志愿服务队"
    a, b = balance(text, 0, 7)
    assert text[a:b] == "健康守门人"
    titled = "见《战疫日记》"
    assert balance(titled, 1, 7) == (1, 7)


def test_snap_takes_the_whole_quantity(analyzer: QuestionAnalyzer) -> None:
    q = analyzer.analyze("发放了多少个口罩？")
    start = SENTENCE.index("16")
    a, b = snap(q, SENTENCE, start, start + 3)  # "16万": the reader's subword edge
    assert SENTENCE[a:b] == "16万个"


def test_snap_leaves_other_types_and_wide_spans_alone(analyzer: QuestionAnalyzer) -> None:
    who = analyzer.analyze("谁发放了口罩？")
    assert snap(who, SENTENCE, 0, 2) == (0, 2)
    q = analyzer.analyze("发放了多少个口罩？")
    two = (SENTENCE.index("16"), SENTENCE.index("套") + 1)  # two quantities: not one to snap to
    assert snap(q, SENTENCE, *two) == two
    mostly_words = (SENTENCE.index("市"), SENTENCE.index("万"))  # "市里向医护人员发放口罩16": the number is a corner
    assert snap(q, SENTENCE, *mostly_words) == mostly_words


def test_a_listed_amount_follows_the_noun_asked_about(analyzer: QuestionAnalyzer) -> None:
    text = "仓库向社区发放帐篷(单层)120顶、睡袋3000个、折叠床45张，另有饮用水2吨。"
    first = (text.index("120"), text.index("顶") + 1)  # the list's first amount, as a reader tends to keep
    q = analyzer.analyze("一共发放了多少睡袋？")
    a, b = pair_with_focus(q, text, *first)
    assert text[a:b] == "3000个"
    tents = analyzer.analyze("发放了多少顶帐篷？")
    assert pair_with_focus(tents, text, *first) == first  # already the tents' amount
    water = analyzer.analyze("饮用水有多少？")
    assert text[slice(*pair_with_focus(water, text, *first))] == "2吨"
    who = analyzer.analyze("谁发放了睡袋？")
    assert pair_with_focus(who, text, 0, 2) == (0, 2)  # not a quantity question


def test_an_amount_may_come_right_before_the_noun_it_counts(analyzer: QuestionAnalyzer) -> None:
    text = "共组建了12支巡逻队、30个服务站、8个应急小组，200多名志愿者参与。"
    two = (text.index("30"), text.index("8个") + 2)  # a span over two items of the list
    a, b = pair_with_focus(analyzer.analyze("组建了多少个应急小组？"), text, *two)
    assert text[a:b] == "8个"
    span = (text.index("30"), text.index("服务站") + 3)  # over its own amount alone: kept
    assert pair_with_focus(analyzer.analyze("建了多少个服务站？"), text, *span) == span
    ranged = "植株生长于海拔200米至2,300米的山坡。"
    whole = (ranged.index("200"), ranged.index("的"))
    assert (
        pair_with_focus(analyzer.analyze("植株生长的海拔是多少米？"), ranged, *whole) == whole
    )  # a range is one answer


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


def test_amount_after_takes_the_nouns_own_amount() -> None:
    text = "包括口罩16万个、防护服(隔离衣)6000套、消毒液近4吨。"
    found = [amount_after(n, text, quantities(text)) for n in ("口罩", "防护服", "消毒液")]
    assert [c.text if c else None for c in found] == ["16万个", "6000套", "近4吨"]
    assert amount_after("手套", text, quantities(text)) is None


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


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("Which newspapers reported the stories?", True),
        ("Which police stations did they visit?", True),  # the noun's second word
        ("What supplies were given out?", True),
        ("Which police station does Li Jigang work at?", False),
        ("Which hospital sent doctors?", False),  # a plural later in the question is not the one asked
        ("What is this?", False),
        ("Which class was it?", False),
    ],
)
def test_an_english_which_question_about_a_plural_asks_for_a_list(question: str, several: bool) -> None:
    assert plural_which(question) is several


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
    holds = lambda text: text.endswith("名")  # noqa: E731
    assert typed_first([best, close], holds) == [close, best]
    assert typed_first([best, far], holds) == [best, far]
    assert typed_first([best, close], None) == [best, close]


def test_a_list_question_wants_a_span_naming_the_class_it_writes(analyzer: QuestionAnalyzer) -> None:
    several = type_check(analyzer.analyze("措施针对哪些场所？"), analyzer.tag)
    assert several is not None and several("办公场所、办案场所和窗口单位") and not several("连云港市")
    assert type_check(analyzer.analyze("哪家医院派来了专家？"), analyzer.tag) is None  # one name: not held to it
    assert type_check(analyzer.analyze("它取代了哪一个球场？"), analyzer.tag) is None


@pytest.mark.parametrize(
    ("question", "name"),
    [("嘉宾是谁？", "刘芳"), ("主持人是谁？", "张明"), ("这期节目的主持人是谁？", "张明")],
)
def test_a_who_question_about_an_office_takes_the_name_written_after_it(
    analyzer: QuestionAnalyzer, question: str, name: str
) -> None:
    text = "（主持人 张明 嘉宾 刘芳）本期节目讲述了老街的故事。"
    for wrong in ("张明", "刘芳"):  # whichever name the span holds
        at = text.index(wrong)
        a, b = holder(analyzer.analyze(question), text, at, at + 2, analyzer.tag)
        assert text[a:b] == name
    at = text.index("老街")
    assert holder(analyzer.analyze("讲述了哪里的故事？"), text, at, at + 2, analyzer.tag) == (at, at + 2)


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
