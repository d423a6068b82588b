"""English how-many questions over a list of amounts: the amount of the thing asked about."""

import pytest

from qa.counted import better_amount, counted_words, neighbourhoods, stem
from qa.question import QuestionAnalyzer

LIST = "配发防疫物资6批次,包括口罩16万个、防护服(隔离衣)6000套、防护手套2万余副、防护靴500余双、消毒液近4吨。"
SQUAD = "党委抽调100名党员民警成立突击队,连夜下沉到海州地区18个派出所驻点作业。"


@pytest.fixture(scope="module")
def tag() -> QuestionAnalyzer:
    return QuestionAnalyzer()


@pytest.mark.parametrize(
    ("word", "stemmed"), [("Gloves", "glove"), ("batches", "batch"), ("supplies", "supply"), ("glass", "glass")]
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("How many pairs of protective gloves were given out?", ("pair", "protective", "glove")),
        ("How much disinfectant was distributed?", ("disinfectant",)),
        ("how many masks?", ("mask",)),
        ("Who is the director?", ()),
    ],
)
def test_counted_words(question: str, words: tuple[str, ...]) -> None:
    assert counted_words(question) == words


def test_each_amount_has_the_words_of_its_list_item(tag: QuestionAnalyzer) -> None:
    near = {n.amount.text: "".join(n.words) for n in neighbourhoods(LIST, tag.tag)}
    assert near["16万个"] == "包括口罩" and near["2万余副"] == "防护手套" and near["近4吨"] == "消毒液"
    assert near["6000套"] == "防护服(隔离衣)"  # brackets stay inside the item


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("How many pairs of protective gloves were given out?", "2万余副"),
        ("How much disinfectant was distributed?", "近4吨"),  # 消毒液 is not in the dictionary, 消毒 is
        ("How many protective boots were there?", "500余双"),
    ],
)
def test_the_amount_whose_item_names_the_counted_words(tag: QuestionAnalyzer, question: str, amount: str) -> None:
    first = LIST.index("16万个")  # the reader's usual pick: the list's first amount
    found = better_amount(counted_words(question), LIST, first, tag.tag)
    assert found is not None and found.text == amount


def test_an_amount_that_already_names_them_stays(tag: QuestionAnalyzer) -> None:
    masks = LIST.index("16万个")
    assert better_amount(counted_words("How many masks were distributed?"), LIST, masks, tag.tag) is None
    gloves = LIST.index("2万余副")  # protective + glove: no item names more
    assert better_amount(counted_words("How many protective gloves?"), LIST, gloves, tag.tag) is None


def test_the_counted_noun_may_follow_its_amount(tag: QuestionAnalyzer) -> None:
    asked = counted_words("How many police stations did the team go down to?")
    found = better_amount(asked, SQUAD, SQUAD.index("100名"), tag.tag)  # 民警 names police, not station
    assert found is not None and found.text == "18个"


def test_nothing_named_is_no_amount(tag: QuestionAnalyzer) -> None:
    assert better_amount(counted_words("How many hospitals were built?"), LIST, 0, tag.tag) is None
