"""The saved BM25 index scored without bm25s gives bm25s's own scores, bit for bit."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from index.local.lexical import LexicalIndex

CORPUS = [["口罩", "发放", "口罩"], ["防护服", "发放"], [], ["图书馆", "限流", "预约"], ["口罩", "消毒液"]]
QUERIES = [["口罩"], ["口罩", "口罩", "发放"], ["防护服", "消毒液", "未知"], ["未知"], [], ["", "预约"]]


def test_loaded_scores_equal_bm25s_scores(tmp_path: Path) -> None:
    built = LexicalIndex.build(CORPUS)
    built.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, len(CORPUS))
    reference = bm25s.BM25.load(str(tmp_path), mmap=False)
    for query in QUERIES:
        ids = reference.get_tokens_ids([t for t in query if t])
        expected = reference.get_scores_from_ids(ids) if ids else np.zeros(len(CORPUS), dtype=np.float32)
        for index in (built, loaded):
            got = index.scores(query)
            assert got.dtype == np.float32
            np.testing.assert_array_equal(got, expected)


def test_a_size_mismatch_is_refused(tmp_path: Path) -> None:
    LexicalIndex.build(CORPUS).save(tmp_path)
    with pytest.raises(ValueError, match="holds 5 units"):
        LexicalIndex.load(tmp_path, 4)
