"""Training windows: hard negatives are the near misses a question's retrieval would hand the reader."""

import random

import pytest

from qa.reader.e5file import E5File
from qa.reader.tokenizer import E5Tokenizer
from qa.reader.windows import build_window
from training.data import SquadItem, by_overlap, examples_for, passages

# The answer sentence, filler, and a near miss (the question's words, not its answer) at the end;
# a sibling paragraph with one sentence close to the question in the middle.
ANSWERED = (
    "连云港市公安局在疫情期间发放口罩16万个。今天天气晴朗。公园里有很多人散步。"
    "湖边的柳树发芽了。孩子们在放风筝。公安局在疫情期间发放防护服。"
)
SIBLING = "湖面上有几只白鹭。公安局在疫情期间向医院发放了消毒液。山上的树叶黄了。"
QUESTION = "公安局在疫情期间发放了多少口罩？"


@pytest.fixture(scope="module")
def tok() -> E5Tokenizer:
    return E5Tokenizer(E5File().tokenizer)


def answered() -> SquadItem:
    start = ANSWERED.index("16万个")
    return SquadItem(QUESTION, ANSWERED, ("16万个",), start, start + 4)


def test_by_overlap_puts_the_sentence_sharing_most_bigrams_first() -> None:
    sents = passages(ANSWERED)
    assert by_overlap(QUESTION, sents, [2, 3, 4, 5])[0] == 5
    assert by_overlap("白鹭", sents, [3, 2])[0] == 3  # no overlap anywhere: order kept


def test_hard_negatives_are_the_near_misses(tok: E5Tokenizer) -> None:
    sibling = SquadItem("湖面上有什么？", SIBLING, ("白鹭",), 5, 7)
    positive, same_paragraph, other_paragraph = list(
        examples_for(tok, [answered(), sibling], random.Random(3), negatives=2, hard=True)
    )[:3]
    assert positive.start > 0 and same_paragraph.start == other_paragraph.start == 0
    assert same_paragraph.ids == build_window(tok, QUESTION, passages(ANSWERED), 5).ids
    assert other_paragraph.ids == build_window(tok, QUESTION, passages(SIBLING), 1).ids
