"""Our tokens as words Milvus' standard analyzer keeps whole."""

import re

from index.milvus.terms import MAX_BYTES, term_text, term_word


def test_a_token_is_one_lowercase_ascii_word_the_same_in_every_process() -> None:
    word = term_word("口罩")
    assert re.fullmatch(r"t[a-z2-7]{10}", word)
    # A stored collection's words must be what a later release computes for a question: a change
    # of this value is a schema change (schema.SCHEMA_VERSION).
    assert word == "t7lgcsgwx3u"


def test_distinct_tokens_give_distinct_words() -> None:
    tokens = [chr(0x4E00 + i) + chr(0x4E00 + j) for i in range(60) for j in range(60)]
    assert len({term_word(t) for t in tokens}) == len(tokens)


def test_blank_tokens_are_dropped_and_a_long_text_is_cut_at_a_word() -> None:
    assert term_text(["口罩", " ", "", "16"]) == f"{term_word('口罩')} {term_word('16')}"
    long = term_text(str(i) for i in range(10_000))
    assert len(long) <= MAX_BYTES and all(len(w) == 11 for w in long.split(" "))
