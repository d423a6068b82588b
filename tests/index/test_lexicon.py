"""jieba over the cached tables cuts and tags exactly as over its own tables in memory."""

from __future__ import annotations

import importlib
from pathlib import Path

import jieba
import pytest

from index import lexicon
from index.tokenize import layered

SENTENCES = [
    "连云港市公安局向一线民警发放口罩16万个、防护服6000套。",
    "春节期间，志愿者张明、李华、王芳三人连续值守火车站。",
    "“健康守门人”志愿服务队为独居老人提供上门服务。",
    "The report says 3 tons of disinfectant.",
]


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[jieba.Tokenizer, lexicon.Lexicon, object]:
    memory = jieba.Tokenizer()
    memory.initialize()
    posseg = importlib.import_module("jieba.posseg")
    path = lexicon.cache_path(tmp_path_factory.mktemp("cache"))
    lexicon.write_cache(path, memory.FREQ, memory.total, posseg.dt.word_tag_tab)
    cached = lexicon.open_cache(path)
    assert cached is not None
    return memory, cached, posseg


def test_cuts_and_tags_are_the_same(tables) -> None:
    memory, cached, posseg = tables
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = layered(cached.freq), cached.total, True
    assert cached.total == memory.total
    tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    tagger.tokenizer, tagger.word_tag_tab = tok, layered(cached.tags)
    reference = posseg.POSTokenizer(memory)
    for text in SENTENCES:
        assert tok.lcut(text) == memory.lcut(text)
        assert tok.lcut_for_search(text) == memory.lcut_for_search(text)
        assert [tuple(p) for p in tagger.lcut(text)] == [tuple(p) for p in reference.lcut(text)]


def test_the_table_answers_like_a_dict(tables) -> None:
    memory, cached, _ = tables
    for word in ("口罩", "口", "连云港市", "不存在的词语"):
        assert (word in cached.freq) == (word in memory.FREQ)
        assert cached.freq.get(word) == memory.FREQ.get(word)
    assert cached.freq["连"] == memory.FREQ["连"]
    with pytest.raises(KeyError):
        cached.freq["不存在的词语"]


def test_a_missing_or_broken_cache_is_not_used(tmp_path: Path) -> None:
    assert lexicon.open_cache(tmp_path / "missing.sqlite3") is None
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database")
    assert lexicon.open_cache(broken) is None
