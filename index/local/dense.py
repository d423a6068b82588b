"""FAISS over unit-normalised vectors: inner product = cosine similarity.

Only corpora too large for one full matrix-vector product use it (`search.FULL_SCAN_MAX`); below
that, the search's full scan already holds every cosine. FAISS is imported on first use: loading
its libraries costs 100-140 ms, a tenth of `reportqa ask`'s cold start on a small report.

Exact (flat) search up to FLAT_MAX_VECTORS; above that an HNSW graph, whose search time grows
with log n instead of n, at a small recall cost. Each segment of an index has its own FAISS index:
a flat one is made when the segment loads (a copy of its vectors, no file), an HNSW graph is built
once and saved beside them. A search asks every segment and keeps the best k overall.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import faiss

FLAT_MAX_VECTORS = 50_000
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128


def build_faiss(vectors: np.ndarray, flat_max: int = FLAT_MAX_VECTORS) -> faiss.Index:
    import faiss

    n, dim = vectors.shape
    if n <= flat_max:
        index: faiss.Index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def index_kind(index: faiss.Index) -> str:
    import faiss

    return "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"


def search_faiss(index: faiss.Index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the k nearest units; ids of -1 (fewer units than k) are dropped."""
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


def save_faiss(index: faiss.Index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_faiss(path: Path) -> faiss.Index:
    import faiss

    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


def segment_dense(vectors: np.ndarray, saved: Path | None) -> faiss.Index:
    """A segment's FAISS index: its saved HNSW graph, or a flat index over its vectors."""
    if saved is not None and saved.is_file():
        index = load_faiss(saved)
        if index.ntotal != vectors.shape[0]:
            raise ValueError(f"{index.ntotal} vectors, the segment holds {vectors.shape[0]}")
        return index
    return build_faiss(vectors, flat_max=max(FLAT_MAX_VECTORS, vectors.shape[0]))


def search_segments(
    parts: Sequence[tuple[int, faiss.Index]], query: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the k nearest units over segments laid end to end ((first row, index) each)."""
    found = [search_faiss(index, query, k) for _, index in parts]
    if not found:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    scores = np.concatenate([s for s, _ in found])
    ids = np.concatenate([i.astype(np.int64) + first for (first, _), (_, i) in zip(parts, found, strict=True)])
    best = np.argsort(-scores, kind="stable")[:k]
    return scores[best], ids[best]
