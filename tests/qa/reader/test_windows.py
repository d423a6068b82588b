import pytest

from qa.reader.e5file import E5File
from qa.reader.tokenizer import E5Tokenizer
from qa.reader.windows import MAX_LEN, Passage, build_window, token_span

TEXT = "第一句话在这里。公安局发放口罩16万个。第三句说别的事情。"


@pytest.fixture(scope="module")
def tok() -> E5Tokenizer:
    return E5Tokenizer(E5File().tokenizer)


def sentences() -> list[Passage]:
    out, start = [], 0
    for part in ("第一句话在这里。", "公安局发放口罩16万个。", "第三句说别的事情。"):
        out.append(Passage(part, start))
        start += len(part)
    return out


def test_window_holds_question_then_target_with_neighbours(tok: E5Tokenizer) -> None:
    w = build_window(tok, "发放了多少口罩？", sentences(), 1)
    assert w.ids[0] == tok.bos and w.ids[-1] == tok.eos
    assert set(w.sentence) == {0, 1, 2}
    assert w.target == 1
    text = "".join(TEXT[s:e] for s, e in zip(w.starts, w.ends, strict=True))
    assert "口罩16万个" in text


def test_answer_maps_to_tokens_and_back(tok: E5Tokenizer) -> None:
    w = build_window(tok, "发放了多少口罩？", sentences(), 1)
    a = TEXT.index("16万个")
    span = token_span(w, a, a + len("16万个"))
    assert span is not None
    first, last = (k - w.context_start for k in span)
    assert TEXT[w.starts[first] : w.ends[last]] == "16万个"


def test_answer_outside_the_window_has_no_span(tok: E5Tokenizer) -> None:
    long = [Passage("很长的句子" * 60 + "。", 0), Passage("答案在这里。", 301)]
    w = build_window(tok, "问题？", long, 0)
    assert token_span(w, 301, 303) is None


def test_windows_never_exceed_the_length_limit(tok: E5Tokenizer) -> None:
    long = [Passage("字" * 400, 0), Passage("字" * 400, 400), Passage("字" * 400, 800)]
    w = build_window(tok, "问" * 100, long, 1)
    assert len(w.ids) <= MAX_LEN
