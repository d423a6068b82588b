"""Hybrid sentence search over a built index directory."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from index.corpus import Corpus, lexical_tokens
from index.dense import search_faiss
from index.embed import Embedder
from index.fusion import FusionWeights, fuse, span_rows, top_k
from index.lexical import LexicalIndex
from index.split import Paragraph, Sentence
from index.tokenize import WordTokenizer

# Each signal nominates this many sentences; fusion ranks their union.
CANDIDATES_PER_SIGNAL = 100
# Up to this many sentences, dense scores are computed for all of them (~1 ms per 20,000 at 384 dims).
FULL_SCAN_MAX = 20_000


@functools.cache
def single_threaded_blas() -> None:
    """Search does small matrix-vector products; OpenBLAS's idle threads then spin and steal the
    cores the embedder's OpenMP threads need (query embedding 9 → 17 ms on CMRC, measured).
    One BLAS thread per process is faster for this work; done once, when an index is loaded."""
    threadpool_limits(limits=1, user_api="blas")


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved sentence with its paragraph and the scores that ranked it."""

    sentence: Sentence
    paragraph: Paragraph
    score: float  # fused, comparable within one query only
    lexical: float  # raw BM25 of the sentence
    dense: float  # cosine of question and sentence
    rank: int  # 1-based


class SentenceIndex:
    """A loaded index. Cheap to hold; the embedder loads its model on the first query."""

    def __init__(
        self,
        index_dir: Path,
        manifest: dict,
        corpus: Corpus,
        lexical: LexicalIndex,
        context: LexicalIndex,
        vectors: np.ndarray,
        faiss_index: object,
        embedder: Embedder,
        weights: FusionWeights | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.manifest = manifest
        self.corpus = corpus
        self._lexical = lexical
        self._context = context
        self._vectors = vectors
        self._faiss = faiss_index
        self.embedder = embedder
        self.weights = weights or FusionWeights()
        self._words = WordTokenizer()
        single_threaded_blas()

    def __len__(self) -> int:
        return len(self.corpus)

    def tokens(self, text: str) -> list[str]:
        return lexical_tokens(self._words, text)

    def _candidates(self, lexical: np.ndarray, query_vec: np.ndarray) -> np.ndarray:
        _, dense_ids = search_faiss(self._faiss, query_vec, CANDIDATES_PER_SIGNAL)
        picks = np.concatenate([dense_ids, top_k(lexical, CANDIDATES_PER_SIGNAL)])
        return np.unique(picks.astype(np.int64))

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The k best sentences for a question, best first."""
        if not query.strip() or len(self.corpus) == 0:
            return []
        query_vec = self.embedder.embed_queries([query])[0]
        tokens = self.tokens(query)
        lexical = self._lexical.scores(tokens)
        cand = self._candidates(lexical, query_vec)
        dense, paragraph = self._dense_scores(cand, query_vec)
        signals = {"context": self._context.scores(tokens)[cand], "dense": dense, "paragraph": paragraph}
        fused = fuse(signals, self.weights.as_dict())
        return [
            Hit(
                sentence=self.corpus.sentences[int(cand[j])],
                paragraph=self.corpus.paragraph(int(cand[j])),
                score=float(fused[j]),
                lexical=float(lexical[cand[j]]),
                dense=float(dense[j]),
                rank=r,
            )
            for r, j in enumerate(top_k(fused, k), start=1)
        ]

    def _dense_scores(self, cand: np.ndarray, query_vec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of each candidate, and the best cosine within each candidate's paragraph."""
        if len(self.corpus) <= FULL_SCAN_MAX:
            # One matrix-vector product over every sentence beats gathering the candidates' rows.
            every = self._vectors @ query_vec
            best = np.maximum.reduceat(every, self.corpus.paragraph_starts)
            return every[cand], best[self.corpus.paragraph_of[cand]].astype(np.float64)
        # Large corpora: only the candidates' paragraphs are scored, so the cost does not grow with n.
        rows, offsets, inverse = span_rows(self.corpus.lead_of[cand], self.corpus.paragraph_end_of[cand])
        scores = self._vectors[rows] @ query_vec
        best = np.maximum.reduceat(scores, offsets)[inverse]
        # Paragraphs are disjoint and sorted, so rows is sorted and every candidate is among them.
        return scores[np.searchsorted(rows, cand)], best.astype(np.float64)
