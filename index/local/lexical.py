"""BM25 over token lists with bm25s; saved as bm25s's own plain files (.npy + JSON).

Scoring reads those files itself: importing bm25s imports scipy.sparse (for building), a third of a
cold start's imports, and a saved index only needs its score columns summed. The sum is bm25s's own
(`get_scores_from_ids`: column by column in query order, in the index's float dtype), so scores
are the same bit for bit; a test compares them.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# bm25s logs an info line per empty query; the caller already knows.
logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """One BM25 field (e.g. word tokens of sentences). Scores every unit for a query."""

    def __init__(self, vocab: Mapping[str, int], scores: Mapping[str, Any], size: int, bm25: Any = None) -> None:
        self._vocab = vocab
        self._data: npt.NDArray[Any] = scores["data"]
        self._indices: npt.NDArray[Any] = scores["indices"]
        self._indptr: npt.NDArray[Any] = scores["indptr"]
        self._bm25 = bm25  # the bm25s object of a fresh build, kept for `save`
        self.size = size

    @classmethod
    def build(cls, corpus_tokens: Sequence[list[str]], k1: float = 0.4, b: float = 0.75) -> LexicalIndex:
        """A low k1 saturates term frequency early: in a sentence, a term's second occurrence says
        little more than its first (k1 0.4 beat 0.6, 0.8 and the usual 1.2 on CMRC 2018)."""
        bm25s = importlib.import_module("bm25s")
        bm25 = bm25s.BM25(k1=k1, b=b)
        # An empty unit gets a placeholder token so every unit keeps its row.
        bm25.index([toks or [""] for toks in corpus_tokens], show_progress=False)
        return cls(bm25.vocab_dict, bm25.scores, len(corpus_tokens), bm25)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every unit (float32); all zeros when no query token is in the vocabulary."""
        ids = [self._vocab[t] for t in query_tokens if t and t in self._vocab]
        scores = np.zeros(self.size, dtype=self._data.dtype)
        # Within one column a unit appears once, so adding a column at a time adds in bm25s's order.
        for token in ids:
            start, end = self._indptr[token], self._indptr[token + 1]
            scores[self._indices[start:end]] += self._data[start:end]
        return np.asarray(scores, dtype=np.float32)

    def save(self, directory: Path) -> None:
        if self._bm25 is None:
            raise ValueError("only a freshly built index is saved; a loaded one is already on disk")
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> LexicalIndex:
        params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
        if int(params["num_docs"]) != size:
            raise ValueError(f"{directory} holds {params['num_docs']} units, expected {size}")
        if (directory / "nonoccurrence_array.index.npy").exists():  # BM25L/BM25+: not how we build
            raise ValueError(f"{directory} was built with a BM25 variant this index does not use")
        vocab = json.loads((directory / "vocab.index.json").read_text(encoding="utf-8"))
        scores = {name: np.load(directory / f"{name}.csc.index.npy") for name in ("data", "indices", "indptr")}
        return cls(vocab, scores, size)
