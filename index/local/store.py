"""The index directory: plain files, written as a new generation and switched to whole (`swap`).

manifest.json        schema, embedder, documents with checksums, the segments in row order, counts,
                     every file's checksum
segments/<name>/     some documents and their sentences, vectors and BM25 counts (`segment`);
                     a generation links the segments it shares with the one before
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from index.documents import Document
from index.errors import IndexDamaged, IndexMissing, IndexStale
from index.retriever import Manifest
from index.split import Paragraph, Sentence

# Bumped whenever the build changes what it writes (fields, tokens, BM25 parameters): an index
# of another version is out of date and is rebuilt.
SCHEMA_VERSION = 5  # 3: paragraphs also numbered within their section; 4: stored texts, pages; 5: segments
MANIFEST = "manifest.json"
PARAGRAPHS = "paragraphs.jsonl"
SENTENCES = "sentences.jsonl"
TEXTS = "texts.jsonl"
TOKENS = "tokens.jsonl"
VECTORS = "vectors.npy"
SEGMENTS = "segments"
MANIFEST_KEYS = (
    "built_at",
    "build_seconds",
    "embedder",
    "dense",
    "counts",
    "documents",
    "segments",
    "sources",
    "files",
)


def rebuild_command(docs_dir: Path | str, index_dir: Path | str, embedder: str) -> str:
    return f"reportqa index build --docs {docs_dir} --index {index_dir} --embedder {embedder}"


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_jsonl(path: Path, rows: Iterable[Paragraph | Sentence]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")


def write_texts(path: Path, documents: Iterable[Document]) -> None:
    """Each document as its loader read it: a PDF's or web page's extracted text cannot be derived
    again from the file without the same library version, so it is kept."""
    with path.open("w", encoding="utf-8") as f:
        for d in documents:
            f.write(json.dumps(asdict(d), ensure_ascii=False) + "\n")


def load_documents(path: Path) -> list[Document]:
    out = []
    for row in read_jsonl(path):
        headings = row.pop("headings", None)
        pages = row.pop("pages", [])
        out.append(Document(**row, headings=None if headings is None else tuple(headings), pages=tuple(pages)))
    return out


def load_texts(index_dir: Path) -> dict[str, str]:
    """doc id -> stored text, over every segment of the index."""
    folders = sorted((index_dir / SEGMENTS).glob("*"))
    return {d.doc_id: d.text for folder in folders for d in load_documents(folder / TEXTS)}


def write_token_lists(path: Path, rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl_lists(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digest_tree(root: Path, below: Path | None = None) -> dict[str, str]:
    """path relative to root -> sha256, for every file below `below` (default: root) except the manifest."""
    return {
        p.relative_to(root).as_posix(): file_digest(p)
        for p in sorted((below or root).rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def segment_folder(index_dir: Path, name: str) -> Path:
    return index_dir / SEGMENTS / name


def read_manifest(index_dir: Path, fix: str) -> Manifest:
    path = index_dir / MANIFEST
    if not path.is_file():
        raise IndexMissing(f"no index at {index_dir} ({MANIFEST} not found); build it: {fix}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexDamaged(f"{path} is damaged ({exc.__class__.__name__}); rebuild: {fix}") from exc
    if isinstance(data, dict) and data.get("schema_version") == SCHEMA_VERSION:
        missing = [key for key in MANIFEST_KEYS if key not in data]
        if missing:
            raise IndexDamaged(f"{path} lacks {', '.join(missing)}; rebuild: {fix}")
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise IndexStale(
            f"{path} has schema {data.get('schema_version') if isinstance(data, dict) else '?'}, "
            f"this version reads {SCHEMA_VERSION}; rebuild: {fix}"
        )
    try:
        return Manifest.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexDamaged(f"{path} lacks {exc}; rebuild: {fix}") from exc


def verify_files(index_dir: Path, manifest: Manifest, fix: str) -> None:
    """Every file the manifest lists exists with the same sha256: catches truncation and bit rot
    before a parser meets them."""
    if not manifest.files:
        raise IndexDamaged(f"{index_dir / MANIFEST} lists no files; rebuild: {fix}")
    for rel, digest in manifest.files.items():
        path = index_dir / rel
        if not path.is_file():
            raise IndexDamaged(f"{path} is missing; rebuild: {fix}")
        if file_digest(path) != digest:
            raise IndexDamaged(f"{path} is damaged (checksum differs); rebuild: {fix}")


def load_paragraphs(path: Path) -> list[Paragraph]:
    return [Paragraph(**row) for row in read_jsonl(path)]


def load_sentences(path: Path) -> list[Sentence]:
    return [Sentence(**row) for row in read_jsonl(path)]
