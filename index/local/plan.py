"""Which segments a build keeps, rewrites or adds, and how small segments are merged.

The previous generation's segments are compared with the docs folder: a segment whose documents
are all unchanged (same path, id and sha256) is linked into the new generation as it is; one that
lost documents (removed, changed, renamed) is rewritten with the rest; files no segment holds
are read into one new segment. Its files are checked against the manifest first: a damaged
segment is not carried over, its reports are read again.

Small segments are merged like a binary counter: while the newest segment is at least half the
size of the one before it, the two become one. Segments then stay few (about log2 of the index
over the typical report) and each sentence is rewritten a logarithmic number of times, while
adding one report to a large index writes only a small folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.documents import doc_files, doc_id_for
from index.errors import IndexProblem
from index.local import store
from index.local.segment import Segment, merge, read_segment, write_segment
from index.retriever import DocumentEntry, Manifest, SegmentEntry
from index.tokenize import WordTokenizer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    doc_id: str
    keep_suffix: bool  # another file shares the stem, so the id keeps the extension
    checksum: str


@dataclass(frozen=True)
class Plan:
    previous: Manifest | None
    kept: list[SegmentEntry] = field(default_factory=list)  # linked as they are
    shrunk: dict[SegmentEntry, set[str]] = field(default_factory=dict)  # rewritten with these doc ids
    fresh: list[tuple[str, bool]] = field(default_factory=list)  # (path, keep_suffix) to read


def current_files(docs_dir: Path, sources: Mapping[str, str]) -> dict[str, Source]:
    """path below docs_dir -> what its document would be, for every report file there."""
    paths = doc_files(docs_dir, warn=True)
    stems = Counter(doc_id_for(p, docs_dir) for p in paths)
    out = {}
    for p in paths:
        rel = p.relative_to(docs_dir).as_posix()
        if rel in sources:
            keep = stems[doc_id_for(p, docs_dir)] > 1
            out[rel] = Source(doc_id_for(p, docs_dir, keep), keep, sources[rel])
    return out


def _previous(index_dir: Path, embedder_id: str) -> Manifest | None:
    try:
        manifest = store.read_manifest(index_dir, "")
    except IndexProblem:
        return None
    return manifest if manifest.embedder_id == embedder_id else None


def _intact(index_dir: Path, manifest: Manifest, name: str) -> bool:
    prefix = f"{store.SEGMENTS}/{name}/"
    listed = {rel: digest for rel, digest in manifest.files.items() if rel.startswith(prefix)}
    try:
        return bool(listed) and all(store.file_digest(index_dir / rel) == d for rel, d in listed.items())
    except OSError:
        return False


def plan_build(index_dir: Path, embedder_id: str, current: Mapping[str, Source]) -> Plan:
    previous = _previous(index_dir, embedder_id)
    if previous is None:
        return Plan(None, fresh=[(rel, s.keep_suffix) for rel, s in current.items()])
    plan = Plan(previous)
    placed = set()
    for segment in previous.segments:
        if not _intact(index_dir, previous, segment.name):
            log.warning("index segment %s is damaged: its reports are read again", segment.name)
            continue
        docs = [d for d in previous.documents if d.segment == segment.name]
        same = {d.doc_id for d in docs if current.get(d.path) == Source(d.doc_id, _keeps(d), d.checksum)}
        placed |= {d.path for d in docs if d.doc_id in same}
        if len(same) == len(docs):
            plan.kept.append(segment)
        elif same:
            plan.shrunk[segment] = same
    plan.fresh.extend((rel, s.keep_suffix) for rel, s in current.items() if rel not in placed)
    return plan


def _keeps(entry: DocumentEntry) -> bool:
    return entry.doc_id == entry.path


@dataclass
class Layout:
    """The new generation's segments in row order: previous ones to link, new ones to write."""

    previous: Manifest | None
    parts: list[SegmentEntry | Segment]

    def rows(self) -> int:
        return sum(p.sentences if isinstance(p, SegmentEntry) else len(p) for p in self.parts)

    def write(
        self, index_dir: Path, generation: Path, words: WordTokenizer
    ) -> tuple[list[SegmentEntry], dict[str, str]]:
        """Link or write every segment into the generation folder; returns their entries and the
        checksum of every file (carried over for linked segments, computed for written ones)."""
        entries, files = [], {}
        for part in self.parts:
            if isinstance(part, SegmentEntry):
                _link_tree(store.segment_folder(index_dir, part.name), store.segment_folder(generation, part.name))
                prefix = f"{store.SEGMENTS}/{part.name}/"
                assert self.previous is not None
                files.update({r: d for r, d in self.previous.files.items() if r.startswith(prefix)})
                entries.append(part)
            else:
                name = uuid.uuid4().hex[:12]
                folder = store.segment_folder(generation, name)
                entries.append(write_segment(folder, name, part, words))
                files.update(store.digest_tree(generation, folder))
        return entries, files

    def documents(self, entries: Sequence[SegmentEntry]) -> tuple[DocumentEntry, ...]:
        out: list[DocumentEntry] = []
        for part, entry in zip(self.parts, entries, strict=True):
            if isinstance(part, SegmentEntry):
                assert self.previous is not None
                out += [d for d in self.previous.documents if d.segment == part.name]
                continue
            counts = Counter(s.doc_id for s in part.sentences)
            out += [
                DocumentEntry(d.doc_id, d.path, d.checksum, d.encoding, len(d.text), counts[d.doc_id], entry.name)
                for d in part.documents
            ]
        return tuple(out)


def merge_small(
    index_dir: Path, previous: Manifest | None, kept: Sequence[SegmentEntry], new: Sequence[Segment]
) -> Layout:
    parts: list[SegmentEntry | Segment] = [*kept, *new]

    def size(p: SegmentEntry | Segment) -> int:
        return p.sentences if isinstance(p, SegmentEntry) else len(p)

    def loaded(p: SegmentEntry | Segment) -> Segment:
        return read_segment(store.segment_folder(index_dir, p.name)) if isinstance(p, SegmentEntry) else p

    while len(parts) >= 2 and 2 * size(parts[-1]) >= size(parts[-2]):
        last, before = parts.pop(), parts.pop()
        parts.append(merge([loaded(before), loaded(last)]))
    return Layout(previous, parts)


def _link_tree(source: Path, target: Path) -> None:
    """Hard links of every file (a new generation shares the bytes; removing the old one keeps them)."""
    for path in sorted(source.rglob("*")):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:  # a file system without hard links
            shutil.copy2(path, dest)
