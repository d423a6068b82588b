"""The local retrieval backend: BM25 + FAISS in one index directory of segments (see `store`, `segment`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.local.build import build_index
    from index.local.load import open_index
    from index.local.search import LocalRetriever

__all__ = ["LocalRetriever", "build_index", "open_index"]


def __getattr__(name: str) -> Any:
    # Imported on first use: answering from a built index never needs the build code (tqdm, the
    # loaders), and `reportqa ask` pays for every import it makes.
    if name == "build_index":
        from index.local.build import build_index

        return build_index
    if name == "open_index":
        from index.local.load import open_index

        return open_index
    if name == "LocalRetriever":
        from index.local.search import LocalRetriever

        return LocalRetriever
    raise AttributeError(f"module 'index.local' has no attribute {name!r}")
