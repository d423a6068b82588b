"""The retrieval seam: what the answer engine needs from any index, whatever stores it.

A backend (today `index.local`: BM25 + FAISS in one directory) implements `Retriever`; the
contract tests in `tests/index/test_retriever_contract.py` are what every backend must pass. A new
backend is one package and one fixture there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from index.embed import Embedder
from index.split import Paragraph, Sentence


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved sentence with its paragraph and the scores that ranked it."""

    sentence: Sentence
    paragraph: Paragraph
    score: float  # fused, comparable within one query only
    lexical: float  # raw BM25 of the sentence
    dense: float  # cosine of question and sentence
    rank: int  # 1-based


@dataclass(frozen=True, slots=True)
class Counts:
    documents: int
    paragraphs: int
    sentences: int


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    doc_id: str
    path: str
    checksum: str
    encoding: str
    characters: int
    sentences: int
    segment: str = ""  # the index segment holding its sentences


@dataclass(frozen=True, slots=True)
class SegmentEntry:
    """One segment of an index: a folder written once, then linked into each later generation
    until a change to its documents or a merge rewrites it."""

    name: str
    documents: int
    paragraphs: int
    sentences: int
    dense: str  # "flat" (made when loaded) or "hnsw" (saved)


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an index holds and how it was built; written as `manifest.json` (see `to_json`)."""

    schema_version: int
    built_at: str
    build_seconds: float
    docs_dir: str
    embedder_id: str
    embedder_dim: int
    dense_kind: str
    counts: Counts
    documents: tuple[DocumentEntry, ...]
    sources: Mapping[str, str] = field(default_factory=dict)  # doc path -> sha256 of its bytes
    files: Mapping[str, str] = field(default_factory=dict)  # index file -> sha256
    embedded: int = 0  # sentences this build embedded; the rest were reused from the previous index
    segments: tuple[SegmentEntry, ...] = ()  # in row order: the rows of each follow the previous one's

    def to_json(self) -> dict[str, Any]:
        """The manifest file's JSON object, keys in the order they have always been written."""
        return {
            "schema_version": self.schema_version,
            "built_at": self.built_at,
            "build_seconds": self.build_seconds,
            "docs_dir": self.docs_dir,
            "embedder": {"id": self.embedder_id, "dim": self.embedder_dim},
            "dense": {"kind": self.dense_kind},
            "counts": {
                "documents": self.counts.documents,
                "paragraphs": self.counts.paragraphs,
                "sentences": self.counts.sentences,
            },
            "documents": [
                {
                    "doc_id": d.doc_id,
                    "path": d.path,
                    "checksum": d.checksum,
                    "encoding": d.encoding,
                    "characters": d.characters,
                    "sentences": d.sentences,
                    "segment": d.segment,
                }
                for d in self.documents
            ],
            "segments": [
                {
                    "name": g.name,
                    "documents": g.documents,
                    "paragraphs": g.paragraphs,
                    "sentences": g.sentences,
                    "dense": g.dense,
                }
                for g in self.segments
            ],
            "sources": dict(self.sources),
            "files": dict(self.files),
            "embedded": self.embedded,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        """Raises KeyError or TypeError when a field is missing or of the wrong shape."""
        counts = data["counts"]
        return cls(
            schema_version=int(data["schema_version"]),
            built_at=str(data["built_at"]),
            build_seconds=float(data["build_seconds"]),
            docs_dir=str(data.get("docs_dir", "")),
            embedder_id=str(data["embedder"]["id"]),
            embedder_dim=int(data["embedder"]["dim"]),
            dense_kind=str(data["dense"]["kind"]),
            counts=Counts(int(counts["documents"]), int(counts["paragraphs"]), int(counts["sentences"])),
            documents=tuple(DocumentEntry(**d) for d in data["documents"]),
            sources=dict(data["sources"]),
            files=dict(data["files"]),
            embedded=int(data.get("embedded", 0)),
            segments=tuple(SegmentEntry(**g) for g in data["segments"]),
        )


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What a front door may show about the index: counts, the section titles in reading order and
    the documents' ids (a web page lists the reports it answers from)."""

    documents: int
    paragraphs: int
    sentences: int
    embedder_id: str
    sections: tuple[str, ...]
    doc_ids: tuple[str, ...] = ()
    entries: tuple[DocumentEntry, ...] = ()  # each document's file, checksum and counts


class Retriever(Protocol):
    """Ranked sentences for a question, and the paragraphs that citations point at.

    Constructing one is cheap; heavy models load on first use or in `warm_up`."""

    @property
    def embedder(self) -> Embedder:
        """The query embedder (the answer engine embeds clauses with it for English questions)."""
        ...

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The k best sentences, best first, ranks 1..k; [] for an empty query or an empty index."""
        ...

    def paragraph(self, doc_id: str, number: int) -> Paragraph | None:
        """The paragraph a citation names, or None when there is no such paragraph."""
        ...

    def stats(self) -> IndexStats: ...

    def warm_up(self) -> None:
        """Load the models now rather than on the first question."""
        ...

    def check(self) -> None:
        """Raise an IndexProblem when searching would fail now (a server out of reach); for /readyz."""
        ...
