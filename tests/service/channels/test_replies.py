"""A chat channel's reply texts, as pure units: the 2048-byte limit (property-tested) and examples
from section titles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qa.types import Answer, AnswerType, Citation
from service.channels import replies as texts

LIMIT = texts.TEXT_LIMIT_BYTES
# Any character UTF-8 can encode (no lone surrogates), from ASCII to four-byte emoji.
chars = st.characters(exclude_categories=("Cs",))
lines = st.text(chars.filter(lambda c: c != "\n"), max_size=1500)


@given(head=st.text(chars.filter(lambda c: c != "\n"), max_size=100), citations=st.lists(lines, max_size=8))
def test_any_reply_fits_and_keeps_the_short_answer(head: str, citations: list[str]) -> None:
    reply = texts.fit_reply(head, citations)
    encoded = reply.encode("utf-8")
    assert len(encoded) <= LIMIT
    assert encoded.decode("utf-8") == reply
    assert reply.split("\n")[0] == head
    kept = reply.split("\n")[1:]
    # Citations are kept in order, whole, except that a first citation may be cut with "…".
    for i, line in enumerate(kept):
        assert line == citations[i] or (i == 0 and line.endswith(texts.ELLIPSIS) and citations[0].startswith(line[:-1]))
    # ... and none is dropped while it fits: dropping every citation would pass the checks above.
    if citations and len(head.encode()) + 1 + len(texts.ELLIPSIS.encode()) + 4 <= LIMIT:
        assert kept, "the first citation is the evidence: cut, never dropped, while there is room"
    whole = kept == citations[: len(kept)]
    if whole and len(kept) < len(citations):
        assert len("\n".join([head, *citations[: len(kept) + 1]]).encode()) > LIMIT


@given(head=st.text(chars, min_size=700, max_size=3000))
def test_an_over_long_head_is_cut_at_a_character(head: str) -> None:
    reply = texts.fit_reply(head, ["[1] 引文"])
    assert len(reply.encode()) <= LIMIT
    if len(head.encode()) <= LIMIT:
        assert reply.startswith(head)
    else:
        assert reply.endswith(texts.ELLIPSIS) and head.startswith(reply[:-1])


def test_later_citations_are_dropped_first_and_a_long_first_one_is_cut() -> None:
    short = "3万个"
    first, second = "[1] " + "口罩" * 200, "[2] " + "防护服" * 200
    assert texts.fit_reply(short, [first, second]) == f"{short}\n{first}"
    huge = "[1] " + "𠀀字" * 600  # four- and three-byte characters
    reply = texts.fit_reply(short, [huge, second])
    assert reply.startswith(f"{short}\n[1] ") and reply.endswith(texts.ELLIPSIS)
    assert LIMIT - 8 < len(reply.encode()) <= LIMIT


def test_answer_text_from_an_engine_answer() -> None:
    long = "。".join(["市卫健委向一线医护人员发放口罩3万个"] * 60)
    cites = (
        Citation("r", "物资", 1, 1, long, 0, len(long), 1.0, 1),
        Citation("r", "物资", 2, 1, "短句。", 0, 3, 0.5, 2),
    )
    answer = Answer("问", "", "3万个", AnswerType.QUANTITY, True, 1.0, cites, "s", "问")
    text = texts.answer_text(answer)
    assert text.startswith("3万个\n[1] 市卫健委") and "[2]" not in text and len(text.encode()) <= LIMIT
    assert text.endswith(texts.ELLIPSIS)  # the first citation is cut, not dropped
    short = Answer("问", "", "3万个", AnswerType.QUANTITY, True, 1.0, cites[1:], "s", "问")
    assert texts.answer_text(short) == "3万个\n[1] 短句。（物资，第2段）"


def test_examples_come_from_distinct_section_titles() -> None:
    examples = texts.example_questions(["", "甲", "甲", " 乙 ", "丙", "丁"])
    assert examples == [texts.SECTION_QUESTION.format(t) for t in ("甲", "乙", "丙")]
    assert texts.example_questions([]) == [texts.FALLBACK_EXAMPLE]
    welcome = texts.welcome_text(examples)
    assert welcome.split("\n")[1].startswith("1. ") and len(welcome.split("\n")) == 4
