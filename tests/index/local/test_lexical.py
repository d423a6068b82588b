"""BM25 from stored term counts gives bm25s's scores, whether the rows sit in one segment or several:
the statistics are the whole corpus's, so splitting an index into segments changes no score."""

from __future__ import annotations

import itertools
from pathlib import Path

import bm25s
import numpy as np
import pytest

from index.local.lexical import K1, LexicalIndex, TermCounts

CORPUS = [
    ["口罩", "发放", "口罩"],
    ["防护服", "发放"],
    [],
    ["图书馆", "限流", "预约"],
    ["口罩", "消毒液"],
    ["发放", "预约"],
]
QUERIES = [["口罩"], ["口罩", "口罩", "发放"], ["防护服", "消毒液", "未知"], ["未知"], [], ["", "预约"]]


def bm25s_scores(query: list[str]) -> np.ndarray:
    reference = bm25s.BM25(k1=K1, b=0.75)
    reference.index([toks or [""] for toks in CORPUS], show_progress=False)
    ids = reference.get_tokens_ids([t for t in query if t])
    return reference.get_scores_from_ids(ids) if ids else np.zeros(len(CORPUS), dtype=np.float32)


@pytest.mark.parametrize("cuts", [[], [2], [1, 4], [1, 2, 3, 4, 5]])
def test_scores_equal_bm25s_in_any_segmentation(tmp_path: Path, cuts: list[int]) -> None:
    bounds = [0, *cuts, len(CORPUS)]
    parts = [TermCounts.build(CORPUS[a:b]) for a, b in itertools.pairwise(bounds)]
    for i, part in enumerate(parts):
        part.save(tmp_path / str(i))
    loaded = [TermCounts.load(tmp_path / str(i), p.size) for i, p in enumerate(parts)]
    for index in (LexicalIndex(parts), LexicalIndex(loaded)):
        for query in QUERIES:
            got = index.scores(query)
            assert got.dtype == np.float32
            np.testing.assert_allclose(got, bm25s_scores(query), rtol=1e-6, atol=1e-7)


def test_a_size_mismatch_is_refused(tmp_path: Path) -> None:
    TermCounts.build(CORPUS).save(tmp_path)
    with pytest.raises(ValueError, match="holds 6 rows"):
        TermCounts.load(tmp_path, 4)


def test_postings_that_point_past_the_rows_are_refused(tmp_path: Path) -> None:
    counts = TermCounts.build(CORPUS)
    counts.save(tmp_path)
    np.save(tmp_path / "rows.npy", counts.rows + 100)
    with pytest.raises(ValueError, match="past"):
        TermCounts.load(tmp_path, len(CORPUS))
