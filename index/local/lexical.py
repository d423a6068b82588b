"""BM25 over token lists with bm25s; saved as bm25s's own plain files (.npy + JSON)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

# bm25s logs an info line per empty query; the caller already knows.
logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """One BM25 field (e.g. word tokens of sentences). Scores every unit for a query."""

    def __init__(self, bm25: bm25s.BM25, size: int) -> None:
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, corpus_tokens: Sequence[list[str]], k1: float = 0.4, b: float = 0.75) -> LexicalIndex:
        """A low k1 saturates term frequency early: in a sentence, a term's second occurrence says
        little more than its first (k1 0.4 beat 0.6, 0.8 and the usual 1.2 on CMRC 2018)."""
        bm25 = bm25s.BM25(k1=k1, b=b)
        # An empty unit gets a placeholder token so every unit keeps its row.
        bm25.index([toks or [""] for toks in corpus_tokens], show_progress=False)
        return cls(bm25, len(corpus_tokens))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every unit (float32); all zeros when no query token is in the vocabulary."""
        ids = self._bm25.get_tokens_ids([t for t in query_tokens if t])
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float32)

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> LexicalIndex:
        bm25 = bm25s.BM25.load(str(directory), mmap=False)
        if int(bm25.scores["num_docs"]) != size:
            raise ValueError(f"{directory} holds {bm25.scores['num_docs']} units, expected {size}")
        return cls(bm25, size)
