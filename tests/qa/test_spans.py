import pytest

from qa import spans
from qa.question import QuestionAnalyzer

analyzer = QuestionAnalyzer()


def texts(cands: list[spans.Candidate]) -> list[str]:
    return [c.text for c in cands]


def test_quantities_with_approximations_and_multipliers() -> None:
    text = "发放口罩16万个、手套2万余副、消毒液近4吨，300多名民警提供7×24小时服务，增长1.5倍。"
    assert texts(spans.quantities(text)) == ["16万个", "2万余副", "近4吨", "300多名", "7×24小时", "1.5倍"]


def test_thousands_separators_belong_to_the_number() -> None:
    assert texts(spans.quantities("球场能容纳6,476名观众，另有1,200.5吨货物")) == ["6,476名", "1,200.5吨"]
    assert texts(spans.quantities("编号1,2,3个")) == ["3个"]  # not a thousands group


def test_more_measure_words_and_levels() -> None:
    text = "启动Ⅱ级响应，经过14个小时，调拨帐篷800顶、棉被5000床。"
    assert texts(spans.quantities(text)) == ["Ⅱ级", "14个小时", "800顶", "5000床"]


def test_the_verb_that_takes_a_list_of_things_is_not_its_first_item() -> None:
    text = "向灾区调拨帐篷800顶、棉被5000床、矿泉水2万箱。"
    assert texts(spans.enumerations(text, analyzer.tag(text))) == ["帐篷800顶、棉被5000床、矿泉水2万箱"]
    doings = "队员担负起巡逻值守、物资配送、健康监测。"  # a list of doings keeps its verbs
    assert "巡逻值守、物资配送、健康监测" in texts(spans.enumerations(doings, analyzer.tag(doings)))


def test_dates_are_not_quantities() -> None:
    text = "2020年1月31日抽调100名民警，2月2日又抽调20名。"
    assert texts(spans.dates_in(text)) == ["2020年1月31日", "2月2日"]
    assert texts(spans.quantities(text)) == ["100名", "20名"]


def test_quoted_names_and_titles() -> None:
    text = "“健康守门人”服务队学习了《防控手册》。"
    assert texts(spans.quoted(text)) == ["健康守门人", "《防控手册》"]


def test_enumerations_with_connectors_and_titles() -> None:
    text = "带着鲜花、证书和奖金到岗位慰问，稿件经《人民日报》《新华日报》报道。"
    found = texts(spans.enumerations(text, analyzer.tag(text)))
    assert "鲜花、证书和奖金" in found and "《人民日报》《新华日报》" in found
    text = "志愿者张明、李华、王芳三人值守。"
    assert texts(spans.enumerations(text, analyzer.tag(text))) == ["张明、李华、王芳"]


def test_a_suffix_alone_is_no_place_name() -> None:
    text = "学校组织学生去城东公园参观。"
    assert texts(spans.places(analyzer.tag(text), None)) == ["城东公园"]  # not 学校


def test_places_end_in_the_asked_head() -> None:
    text = "东海县公安局曲阳派出所民警值守。"
    assert "东海县公安局曲阳派出所" in texts(spans.places(analyzer.tag(text), "派出所"))


def test_person_names() -> None:
    text = "市卫健委主任李强带队慰问。"
    assert "李强" in texts(spans.persons(analyzer.tag(text)))


def test_clauses_cover_the_sentence_between_breaks() -> None:
    text = "第一句，第二句；“第三句”。"
    assert texts(spans.clauses(text)) == ["第一句", "第二句", "第三句"]
    for c in spans.clauses(text):
        assert text[c.start : c.end] == c.text


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("邀请市第一人民医院全科专家坐诊", []),  # 第一: a name's ordinal, not "一人"
        ("第二十三名选手", []),  # not 十三名 from inside the ordinal
        ("第3批物资共50吨", ["共50吨"]),
        ("统一采购2万个口罩", ["2万个"]),  # 一 of 统一 is not an ordinal's 第
    ],
)
def test_an_ordinal_is_not_an_amount(text: str, amounts: list[str]) -> None:
    assert [c.text for c in spans.quantities(text)] == amounts


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("一个支部就是一个堡垒，一辆警车就是一座灯塔，成立了72个党组织。", ["72个"]),  # each X is a Y
        ("发放一辆警车，就是一个好的开始。", ["一辆", "一个"]),  # a clause apart: counts
    ],
)
def test_a_figure_of_speech_counts_nothing(text: str, amounts: list[str]) -> None:
    assert [c.text for c in spans.quantities(text)] == amounts
