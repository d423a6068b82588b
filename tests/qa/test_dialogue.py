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


def test_a_question_without_topic_keeps_the_previous_one() -> None:
    history = [turn("哪几位志愿者值守火车站？", "list", "张明、李华、王芳")]
    assert resolve(analyzer, "一共几个人？", history) == "志愿者值守火车站，一共几个人？"


def test_pronouns_point_back() -> None:
    people = [turn("哪几位志愿者值守火车站？", "list", "张明、李华、王芳")]
    assert resolve(analyzer, "他们值守了多久？", people) == "张明、李华、王芳值守了多久？"
    counted = [turn("抽调了多少名党员民警？", "quantity", "100名")]
    assert resolve(analyzer, "他们下沉到哪里？", counted) == "党员民警下沉到哪里？"


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
