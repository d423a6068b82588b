"""FAISS over unit-normalised vectors: inner product = cosine similarity.

Exact (flat) search up to FLAT_MAX_VECTORS; above that an HNSW graph, whose search time grows
with log n instead of n, at a small recall cost.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

FLAT_MAX_VECTORS = 50_000
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128


def build_faiss(vectors: np.ndarray, flat_max: int = FLAT_MAX_VECTORS) -> faiss.Index:
    n, dim = vectors.shape
    if n <= flat_max:
        index: faiss.Index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def index_kind(index: faiss.Index) -> str:
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
    faiss.write_index(index, str(path))


def load_faiss(path: Path) -> faiss.Index:
    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index
