"""The Milvus backend ranks as the local one: the same tokens in its BM25 (with the local k1 and b),
the same fusion, the same sentences first."""

from __future__ import annotations

import numpy as np
import pytest

from index.corpus import context_tokens, lexical_tokens
from index.local.lexical import K1, LexicalIndex
from index.local.search import LocalRetriever
from index.milvus.search import MilvusRetriever, candidate_signals
from index.milvus.terms import term_text
from index.retriever import Retriever
from index.tokenize import WordTokenizer

QUESTIONS = [
    "发放了多少个口罩？",
    "谁在火车站值守？",
    "第一中学哪天复课？",
    "图书馆每天限流多少人？",
    "查控点有几个？",
    "专家什么时候坐诊？",
]


@pytest.fixture(scope="module")
def milvus(milvus_lite: Retriever) -> MilvusRetriever:
    assert isinstance(milvus_lite, MilvusRetriever)
    return milvus_lite


def test_bm25_over_our_words_is_the_local_context_bm25(milvus: MilvusRetriever, tiny_index: LocalRetriever) -> None:
    """Milvus (Lite) scores idf·tf·(k1+1)/(tf + k1·norm): the local score times k1 + 1, only if it
    reads our tokens whole and takes the local k1 and b (its own default k1 is 1.5)."""
    words = WordTokenizer()
    corpus = tiny_index.corpus
    own = [lexical_tokens(words, s.text) for s in corpus.sentences]
    sections = {s.section: lexical_tokens(words, s.section) for s in corpus.sentences}
    local = LexicalIndex.build(context_tokens(corpus, own, sections))
    row_of = {s.sentence_id: i for i, s in enumerate(tiny_index.corpus.sentences)}
    client = milvus.target.client()
    for question in QUESTIONS:
        query = lexical_tokens(words, question)
        expected = local.scores(query)
        found = milvus._search(client, term_text(query), "context_terms_bm25", 100)
        assert found
        for hit in found:
            assert abs(hit["distance"]) == pytest.approx((K1 + 1) * expected[row_of[hit["id"]]], rel=1e-4)
        assert len(found) == int(np.count_nonzero(expected))


def test_milvus_ranks_the_sentences_the_local_backend_ranks(
    milvus: MilvusRetriever, tiny_index: LocalRetriever
) -> None:
    for question in QUESTIONS:
        ours = [h.sentence.sentence_id for h in milvus.search(question, k=3)]
        local = [h.sentence.sentence_id for h in tiny_index.search(question, k=3)]
        assert ours[0] == local[0], question
        assert set(ours) == set(local), question


def test_candidate_signals_fill_what_one_search_did_not_return() -> None:
    vector = np.array([1.0, 0.0], dtype=np.float32)
    dense = {
        "a": {"distance": 0.9, "entity": {"doc_id": "d", "paragraph": 1}},
        "b": {"distance": 0.2, "entity": {"doc_id": "d", "paragraph": 2}},
    }
    lexical = {
        "b": {"distance": -3.0, "entity": {"doc_id": "d", "paragraph": 2, "vector": [0.2, 0.98]}},
        "c": {"distance": -5.0, "entity": {"doc_id": "d", "paragraph": 2, "vector": [0.6, 0.8]}},
    }
    signals = candidate_signals(["a", "b", "c"], dense, lexical, vector)
    assert signals["context"].tolist() == [0.0, 3.0, 5.0]
    assert signals["dense"] == pytest.approx([0.9, 0.2, 0.6])
    assert signals["paragraph"] == pytest.approx([0.9, 0.6, 0.6])
