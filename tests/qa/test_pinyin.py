"""Pinyin names in English questions, found back in the text's characters."""

import pytest

from qa.pinyin import find_in, pinyin_names, syllable_splits, with_chinese_names
from qa.question import QuestionAnalyzer

TEXT = "2月7日,东海县公安局曲阳派出所民警李继刚如是说。徐敦虎高度重视战勤保障工作。"


@pytest.fixture(scope="module")
def tag() -> QuestionAnalyzer:
    return QuestionAnalyzer()


def test_syllables_are_read_every_way_they_can_be() -> None:
    assert ("xian",) in syllable_splits("Xian") and ("xi", "an") in syllable_splits("xian")
    assert syllable_splits("Lianyungang")[0] == ("lian", "yun", "gang")
    assert syllable_splits("Security") == ()
    assert syllable_splits("On") == ()  # 嗯's vowelless "n" is no syllable of a name


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Which police station does Li Jigang work at?", ["Li Jigang"]),
        ("Who heads the Lianyungang Public Security Bureau?", ["Lianyungang"]),
        ("What did Xu Dun-hu say about Zhao Weijie?", ["Xu Dun-hu", "Zhao Weijie"]),
        ("When did He say it?", []),  # one syllable: an English word as often as a name
        ("How many masks were issued?", []),
        ("who is li jigang?", []),  # not capitalised: not told apart from English words
    ],
)
def test_names_are_capitalised_runs_that_read_as_pinyin(question: str, names: list[str]) -> None:
    assert [n.text for n in pinyin_names(question)] == names


def test_a_name_is_found_as_whole_words_of_the_text(tag: QuestionAnalyzer) -> None:
    (name,) = pinyin_names("Where does Li Jigang work?")
    assert find_in(name, [TEXT], tag.tag) == "李继刚"
    (other,) = pinyin_names("Where does Wang Ming work?")
    assert find_in(other, [TEXT], tag.tag) is None


def test_a_match_inside_a_longer_word_is_not_a_name(tag: QuestionAnalyzer) -> None:
    # 公安 reads gong'an, but here it is part of 公安局, a word of its own
    (name,) = pinyin_names("What does Gongan do?")
    assert find_in(name, ["市公安局开展工作。"], tag.tag) is None


def test_the_question_takes_the_names_the_text_writes(tag: QuestionAnalyzer) -> None:
    asked = "When did Li Jigang speak, and what did Xu Dunhu stress?"
    written = with_chinese_names(asked, pinyin_names(asked), [TEXT], tag.tag)
    assert written == "When did 李继刚 speak, and what did 徐敦虎 stress?"
    other = "Who is Li Ming?"
    assert with_chinese_names(other, pinyin_names(other), [TEXT], tag.tag) == other
