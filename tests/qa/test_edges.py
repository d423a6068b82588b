"""Span edges (`qa.edges`): pure functions over a sentence and a span's offsets."""

import pytest

from qa.edges import (
    amount_after,
    balance,
    holder,
    pair_with_focus,
    plural_which,
    quoted_name,
    snap,
    trim_tail,
    whole_list,
    with_partner,
)
from qa.question import QuestionAnalyzer
from qa.spans import quantities

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


def test_a_noun_jieba_cuts_in_two_is_paired_whole(analyzer: QuestionAnalyzer) -> None:
    text = "仓库发放帐篷120顶、防寒手套5000副、防寒靴300双。"
    whole = (text.index("帐篷"), text.index("。"))  # the whole list, as a reader may keep
    boots = analyzer.analyze("发放了多少防寒靴？")  # jieba: 防寒 / 靴
    assert text[slice(*pair_with_focus(boots, text, *whole))] == "300双"
    assert pair_with_focus(analyzer.analyze("发放了多少防寒鞋？"), text, *whole) == whole  # not written


def test_the_amount_after_the_verb_asked_about(analyzer: QuestionAnalyzer) -> None:
    text = "净利润6.3亿元，同比增长8.1%。"
    profit = (0, text.index("，"))  # the noun's amount, as a reader may keep
    a, b = pair_with_focus(analyzer.analyze("净利润同比增长了多少？"), text, *profit)
    assert text[a:b] == "8.1%"
    assert pair_with_focus(analyzer.analyze("净利润是多少？"), text, 3, 8) == (3, 8)  # 6.3亿元 is its amount


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


def test_amount_after_takes_the_nouns_own_amount() -> None:
    text = "包括口罩16万个、防护服(隔离衣)6000套、消毒液近4吨。"
    found = [amount_after(n, text, quantities(text)) for n in ("口罩", "防护服", "消毒液")]
    assert [c.text if c else None for c in found] == ["16万个", "6000套", "近4吨"]
    assert amount_after("手套", text, quantities(text)) is None


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
