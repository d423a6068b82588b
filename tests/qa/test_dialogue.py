import time

from qa.dialogue import resolve
from qa.question import QuestionAnalyzer
from qa.sessions import InMemorySessionStore, Turn

analyzer = QuestionAnalyzer()


def turn(question: str, answer_type: str = "quantity", short: str | None = "1个") -> Turn:
    return Turn(question, question, answer_type, short, time.time())


def test_ellipsis_swaps_the_subject() -> None:
    history = [turn("一共发放了多少个口罩？")]
    assert resolve(analyzer, "防护服呢？", history) == "一共发放了多少防护服？"
    assert resolve(analyzer, "那手套呢？", history) == "一共发放了多少手套？"


def test_a_second_ellipsis_replaces_the_topic_the_first_put_in() -> None:
    second = Turn("防护手套呢？", "一共发放了多少防护手套？", "quantity", "2万副", time.time())
    assert resolve(analyzer, "消毒液呢？", [second]) == "一共发放了多少消毒液？"  # not 防护消毒液


def test_an_english_how_many_follow_up_counts_the_new_thing() -> None:
    history = [turn("How many masks were given out?")]
    assert resolve(analyzer, "And gloves?", history) == "How many gloves were given out?"
    assert resolve(analyzer, "What about the protective suits?", history) == "How many protective suits were given out?"
    assert resolve(analyzer, "And gloves?", [turn("Who gave out masks?", "person", "张明")]) == "And gloves?"


def test_a_question_without_topic_keeps_the_previous_one() -> None:
    history = [turn("哪几位志愿者值守火车站？", "list", "张明、李华、王芳")]
    assert resolve(analyzer, "一共几个人？", history) == "志愿者值守火车站，一共几个人？"


def test_pronouns_point_back() -> None:
    people = [turn("哪几位志愿者值守火车站？", "list", "张明、李华、王芳")]
    assert resolve(analyzer, "他们值守了多久？", people) == "张明、李华、王芳值守了多久？"
    counted = [turn("抽调了多少名党员民警？", "quantity", "100名")]
    assert resolve(analyzer, "他们下沉到哪里？", counted) == "党员民警下沉到哪里？"


def test_a_personal_pronoun_points_to_a_person() -> None:
    station = [turn("张明在哪个派出所工作？", "place", "城东派出所")]
    assert resolve(analyzer, "他是什么时候入职的？", station) == "张明是什么时候入职的？"  # not the station
    assert resolve(analyzer, "它在哪条街上？", station) == "城东派出所在哪条街上？"


def test_a_full_question_is_left_alone() -> None:
    assert resolve(analyzer, "图书馆每天限流多少人？", [turn("发放了多少口罩？")]) == "图书馆每天限流多少人？"
    assert resolve(analyzer, "防护服呢？", []) == "防护服呢？"


def test_store_bounds_turns_sessions_and_age() -> None:
    store = InMemorySessionStore(max_turns=2, ttl_seconds=60, max_sessions=2)
    for i in range(3):
        store.append("a", turn(f"问题{i}"))
    assert [t.question for t in store.history("a")] == ["问题1", "问题2"]
    store.append("b", turn("b"))
    store.append("c", turn("c"))
    assert store.history("a") == []  # least recently used session dropped
    store.append("old", Turn("旧", "旧", "other", None, time.time() - 120))
    assert store.history("old") == []
    store.reset("b")
    assert store.history("b") == []


def test_a_pronoun_must_be_a_word_of_its_own() -> None:
    people = [turn("哪几位志愿者值守火车站？", "list", "张明、李华、王芳")]
    assert resolve(analyzer, "还发放了其他物资吗？", people) == "还发放了其他物资吗？"
