import pytest

from qa.question import QuestionAnalyzer, echoes, is_english
from qa.types import AnswerType

analyzer = QuestionAnalyzer()


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("仓库里有多少顶帐篷？", AnswerType.QUANTITY),
        ("几名志愿者值守车站？", AnswerType.QUANTITY),
        ("谁带队慰问了志愿者？", AnswerType.PERSON),
        ("哪位专家来坐诊？", AnswerType.PERSON),
        ("学校什么时候复课？", AnswerType.DATE),
        ("复课是哪一天？", AnswerType.DATE),
        ("专家来自哪家医院？", AnswerType.PLACE),
        ("物资送到了哪里？", AnswerType.PLACE),
        ("服务队叫什么名字？", AnswerType.NAME),
        ("有哪些志愿者值守车站？", AnswerType.LIST),
        ("哪几位志愿者值守车站？", AnswerType.LIST),
        ("为什么要限流？", AnswerType.REASON),
        ("图书馆是否需要预约？", AnswerType.YESNO),
        ("读者需要预约吗？", AnswerType.YESNO),
        ("食堂实行了什么制度？", AnswerType.OTHER),
        ("How many tents are in the warehouse?", AnswerType.QUANTITY),
        ("Who visited the volunteers?", AnswerType.PERSON),
        ("When did the school reopen?", AnswerType.DATE),
        ("Where do the experts work?", AnswerType.PLACE),
        ("Why is the library limited?", AnswerType.REASON),
        ("Is booking required?", AnswerType.YESNO),
    ],
)
def test_answer_type(question: str, answer_type: AnswerType) -> None:
    assert analyzer.analyze(question).answer_type is answer_type


def test_measure_word_head_and_focus() -> None:
    q = analyzer.analyze("一共发放了多少套防护服？")
    assert q.unit == "套" and q.head == "防护服"
    assert "防护服" in q.focus and "发放" in q.focus
    assert not {"一共", "多少", "了"} & set(q.focus)
    assert [t.text for t in q.required] == ["防护服"]


def test_the_verb_a_question_asks_about() -> None:
    assert analyzer.analyze("净利润同比增长了多少？").verb == "增长"
    assert analyzer.analyze("院长带着什么看望护士？").verb == "带"
    assert analyzer.analyze("一共发放了多少个口罩？").verb == "发放"
    assert analyzer.analyze("谁的职务最高？").verb is None  # no verb before it
    assert analyzer.analyze("How many masks grew?").verb is None


def test_a_word_that_points_back_is_no_focus_term() -> None:
    words = [t.text for t in analyzer.analyze("市长说这番话是什么时候？").terms]
    assert "市长" in words and "这番话" not in words  # what he said, in words no passage repeats
    assert "措施" in [t.text for t in analyzer.analyze("这项措施是谁提出的？").terms]


def test_a_measure_word_is_not_the_first_character_of_a_noun() -> None:
    places = analyzer.analyze("措施针对哪些场所？")  # 场 is a measure word, 场所 a noun
    assert places.head == "场所" and places.unit is None
    games = analyzer.analyze("一共举办了多少场比赛？")
    assert games.unit == "场" and games.head == "比赛"


@pytest.mark.parametrize(("question", "word"), [("物资由谁来发放？", "由谁来"), ("志愿者分为几类？", "几类")])
def test_a_word_holding_part_of_the_interrogative_is_not_a_focus_term(question: str, word: str) -> None:
    q = analyzer.analyze(question)
    assert word in [w for w, _, _ in analyzer.tag(question)]  # jieba's word, across the interrogative
    assert word not in q.focus and q.focus


def test_the_head_of_a_which_question_is_not_required() -> None:
    q = analyzer.analyze("稿件被哪些媒体转载了？")
    assert q.head == "媒体"
    assert [t.text for t in q.required] == ["稿件"]


def test_dates_and_numbers_stay_whole() -> None:
    q = analyzer.analyze("3月16日有多少名学生返校？")
    assert "3月16日" in q.focus
    assert q.unit == "名"


def test_self_reference_is_not_a_constraint() -> None:
    q = analyzer.analyze("这篇报道的作者是谁？")
    assert [t.text for t in q.required] == ["作者"]


def test_people_questions() -> None:
    assert analyzer.analyze("带队的主任叫什么名字？").wants_people
    assert not analyzer.analyze("服务队叫什么名字？").wants_people
    assert analyzer.analyze("公安局长叫什么名字？").wants_people  # jieba: one word, ending with 局长
    assert not analyzer.analyze("公安局长什么时候上任？").wants_people  # a date is asked


def test_language_detection_and_full_width_folding() -> None:
    assert is_english("How many masks?") and not is_english("口罩有多少个？")
    assert is_english("Which police station does 李继刚 work at?") and not is_english("MIT OpenCourseWare指什么？")
    assert not is_english("《This Is Where I Came In》是Bee Gees的第几张原创专辑？")
    assert analyzer.analyze("ＡＢＣ公司有１６名员工吗？").text.startswith("ABC公司有16名")


def test_an_english_question_given_chinese_names_stays_english() -> None:
    # "Who is 赵伟捷?" has more Chinese than letters; the engine knows it was asked in English
    q = analyzer.analyze_english("Who  is 赵伟捷?")
    assert q.language == "en" and q.text == "Who is 赵伟捷?" and q.answer_type is AnswerType.PERSON
    assert analyzer.analyze("Who is 赵伟捷?").language == "zh"


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("督导组的组长是谁？", "组长"),  # jieba tags 组长 a verb
        ("会议的主持是谁？", "主持"),  # and 主持
        ("医院的院长是谁？", "院长"),  # a noun to jieba already
    ],
)
def test_the_office_a_who_question_asks_about_is_required_whatever_its_tag(question: str, office: str) -> None:
    assert office in [t.text for t in analyzer.analyze(question).required]


def test_only_a_who_questions_office_is_retagged() -> None:
    assert "位置" not in [t.text for t in analyzer.analyze("查控点的位置在哪里？").required]
    assert "是" not in [t.text for t in analyzer.analyze("组长的是谁？").required]  # never the copula


@pytest.mark.parametrize(
    ("question", "span", "echo"),
    [
        ("什么是社区网格员？", "社区网格员", True),  # the term the question defines
        ("2020年3月，李明担任什么职务？", "2020年3月", True),  # the question's own date
        ("《抗疫日记》讲述了什么内容？", "》", True),  # nothing to say
        ("谁和物业公司一起开通了热线？", "物业公司", True),
        ("东区和西区哪个社区的志愿者更多？", "东区", False),  # offered as a choice
        ("志愿者能不能进入小区？", "不能", False),  # a yes/no question
        ("在北京工作的福建人，祖籍是哪里？", "福建", False),  # part of a longer word of the question
        ("谁和物业公司一起开通了热线？", "街道办", False),
    ],
)
def test_a_span_the_question_already_says_is_no_answer(question: str, span: str, echo: bool) -> None:
    assert echoes(analyzer.analyze(question), span) is echo
