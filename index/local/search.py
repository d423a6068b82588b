"""Hybrid sentence search over a built index directory."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from index.corpus import Corpus, lexical_tokens
from index.embed import Embedder
from index.local.dense import search_segments
from index.local.fusion import FusionWeights, fuse, span_rows, top_k
from index.local.lexical import LexicalIndex
from index.retriever import Hit, IndexStats, Manifest
from index.split import Paragraph
from index.tokenize import WordTokenizer

if TYPE_CHECKING:
    import faiss

Vector = npt.NDArray[np.float32]

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


class LocalRetriever:
    """A loaded index directory behind the `Retriever` protocol. Cheap to hold; the embedder loads
    its model on the first query."""

    def __init__(
        self,
        index_dir: Path,
        manifest: Manifest,
        corpus: Corpus,
        lexical: LexicalIndex,
        context: LexicalIndex,
        vectors: Vector,
        dense: Sequence[tuple[int, faiss.Index]],  # empty for corpora of up to FULL_SCAN_MAX sentences
        embedder: Embedder,
        weights: FusionWeights | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.manifest = manifest
        self.corpus = corpus
        self._lexical = lexical
        self._context = context
        self._vectors = vectors
        self._dense = list(dense)  # (first row, FAISS index) per segment
        self._embedder = embedder
        self.weights = weights or FusionWeights()
        self._words = WordTokenizer()
        single_threaded_blas()

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    def __len__(self) -> int:
        return len(self.corpus)

    def tokens(self, text: str) -> list[str]:
        return lexical_tokens(self._words, text)

    def paragraph(self, doc_id: str, number: int) -> Paragraph | None:
        return self.corpus.find_paragraph(doc_id, number)

    def stats(self) -> IndexStats:
        counts = self.manifest.counts
        sections = tuple(dict.fromkeys(p.section for p in self.corpus.paragraphs if p.section))
        doc_ids = tuple(d.doc_id for d in self.manifest.documents)
        return IndexStats(
            counts.documents,
            counts.paragraphs,
            counts.sentences,
            self.manifest.embedder_id,
            sections,
            doc_ids,
            self.manifest.documents,
        )

    def check(self) -> None:
        """Always ready: everything is in this process's memory."""

    def warm_up(self) -> None:
        self._embedder.embed_queries(["warm up"])
        self.tokens("预热")

    def _candidates(
        self, lexical: npt.NDArray[np.float32], query_vec: Vector, every: Vector | None
    ) -> npt.NDArray[np.int64]:
        if every is not None:  # the full scan's cosines: the exact search FAISS would repeat
            dense_ids = top_k(every, CANDIDATES_PER_SIGNAL)
        else:
            _, dense_ids = search_segments(self._dense, query_vec, CANDIDATES_PER_SIGNAL)
        picks = np.concatenate([dense_ids, top_k(lexical, CANDIDATES_PER_SIGNAL)])
        return np.unique(picks.astype(np.int64))

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The k best sentences for a question, best first."""
        if not query.strip() or len(self.corpus) == 0:
            return []
        query_vec = self._embedder.embed_queries([query])[0]
        tokens = self.tokens(query)
        lexical = self._lexical.scores(tokens)
        # Up to FULL_SCAN_MAX sentences, one matrix-vector product over all of them beats gathering
        # the candidates' rows, and nominates the dense candidates too.
        every = self._vectors @ query_vec if len(self.corpus) <= FULL_SCAN_MAX else None
        cand = self._candidates(lexical, query_vec, every)
        dense, paragraph = self._dense_scores(cand, query_vec, every)
        signals: dict[str, npt.NDArray[np.floating]] = {
            "context": self._context.scores(tokens)[cand],
            "dense": dense,
            "paragraph": paragraph,
        }
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

    def _dense_scores(
        self, cand: npt.NDArray[np.int64], query_vec: Vector, every: Vector | None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float64]]:
        """Cosine of each candidate, and the best cosine within each candidate's paragraph."""
        if every is not None:
            best = np.maximum.reduceat(every, self.corpus.paragraph_starts)
            return every[cand], best[self.corpus.paragraph_of[cand]].astype(np.float64)
        # Large corpora: only the candidates' paragraphs are scored, so the cost does not grow with n.
        rows, offsets, inverse = span_rows(self.corpus.lead_of[cand], self.corpus.paragraph_end_of[cand])
        scores = self._vectors[rows] @ query_vec
        best = np.maximum.reduceat(scores, offsets)[inverse]
        # Paragraphs are disjoint and sorted, so rows is sorted and every candidate is among them.
        return scores[np.searchsorted(rows, cand)], best.astype(np.float64)
