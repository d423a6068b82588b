"""The local retrieval backend: bm25s + FAISS in one index directory (see `store` for its files)."""

from __future__ import annotations

from index.local.build import build_index
from index.local.load import open_index
from index.local.search import LocalRetriever

__all__ = ["LocalRetriever", "build_index", "open_index"]
