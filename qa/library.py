"""The reports an engine answers from, changed while it serves: add one from its bytes, remove one.

A change writes the docs folder and rebuilds the index incrementally (only new sentences are
embedded) under the build lock, then the engine follows the new generation (`follow_index`).
Each upload is read once before it goes anywhere near the docs folder: a file that cannot be
read is refused with the reason and leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.documents import checksum
from index.errors import LastDocument, UnknownDocument, UnreadableFile, UnsupportedFile
from index.loaders import LoadError, loader_for
from index.loaders.sniff import sniff
from index.local import store
from index.local.update import place
from index.retriever import DocumentEntry, Manifest

# Letters (any script), digits, dot, dash and underscore survive in a file name; the rest become "_".
UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
MAX_STEM = 80


@dataclass(frozen=True)
class Added:
    entry: DocumentEntry
    created: bool  # False: the same bytes were already indexed
    embedded: int  # sentences this change embedded


def safe_stem(name: str, digest: str) -> str:
    """A file name's stem that is safe in the docs folder (no folders, no hidden files)."""
    stem = Path(name.replace("\\", "/")).name.rsplit(".", 1)[0] if name else ""
    stem = UNSAFE.sub("_", stem).strip("._")[:MAX_STEM]
    return stem or f"upload-{digest[:12]}"


class Library:
    """The docs folder and the function that brings the index in line with it (a local build, or
    a Milvus ingestion); `manifest` says what the index holds now."""

    def __init__(self, docs_dir: Path | str, build: Callable[[], Manifest], manifest: Callable[[], Manifest]) -> None:
        self.docs_dir = Path(docs_dir)
        self.build = build
        self.manifest = manifest

    @classmethod
    def local(cls, docs_dir: Path | str, index_dir: Path | str, embedder: str) -> Library:
        def build() -> Manifest:
            from index.local.build import build_index  # only here: answering never needs the build code

            return build_index(docs_dir, index_dir, embedder, progress=False)

        fix = store.rebuild_command(docs_dir, index_dir, embedder)
        return cls(docs_dir, build, lambda: store.read_manifest(Path(index_dir), fix))

    def add(self, name: str, data: bytes) -> Added:
        """Index an uploaded file (its type judged from its bytes). The same bytes again change
        nothing and get the same id; the same name with other bytes replaces that report."""
        suffix = sniff(data, name)
        if suffix is None:
            raise UnsupportedFile(
                f"{name or 'the upload'} is not a report this service reads: send text, Markdown, PDF "
                "(with a text layer), Word .docx or HTML"
            )
        digest = checksum(data)
        held = self.manifest().documents
        known = next((d for d in held if d.checksum == digest), None)
        if known is not None:
            return Added(known, created=False, embedded=0)
        _check_readable(name, suffix, data)
        file_name = _free_name(held, safe_stem(name, digest), suffix, digest)
        place(self.docs_dir, file_name, data)
        manifest = self.build()
        entry = next(d for d in manifest.documents if d.path == file_name)
        return Added(entry, created=True, embedded=manifest.embedded)

    def remove(self, doc_id: str) -> Manifest:
        held = self.manifest().documents
        entry = next((d for d in held if d.doc_id == doc_id), None)
        if entry is None:
            raise UnknownDocument(f"no document {doc_id!r}: GET /v1/documents lists them")
        if len(held) == 1:
            raise LastDocument(f"{doc_id!r} is the only report: add another before removing it")
        (self.docs_dir / entry.path).unlink(missing_ok=True)
        return self.build()


def _free_name(held: Sequence[DocumentEntry], stem: str, suffix: str, digest: str) -> str:
    """`stem + suffix`, unless a report of another format holds that stem (its id would change)."""
    top = (Path(d.path) for d in held if "/" not in d.path)  # uploads go on top
    taken = {p.stem: p.suffix for p in top}
    if stem in taken and taken[stem] != suffix:
        stem = f"{stem}-{digest[:8]}"
    return stem + suffix


def _check_readable(name: str, suffix: str, data: bytes) -> None:
    try:
        loaded = loader_for(Path("upload" + suffix)).load(data)
    except LoadError as exc:
        raise UnreadableFile(f"{name or 'the upload'} cannot be read as {suffix[1:].upper()}: {exc}") from exc
    if not loaded.text.strip():
        raise UnreadableFile(f"{name or 'the upload'} holds no text (a scanned PDF needs OCR first)")


__all__ = ["Added", "DocumentEntry", "Library", "safe_stem"]
