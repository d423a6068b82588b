"""Read report files from a docs folder, keeping the original text so offsets stay exact.

Which files are reports, and how each is turned into text, is the loaders' table (`index.loaders`)."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from index.loaders import SUFFIXES, LoadError, loader_for

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Document:
    """One report. `text` is the decoded file (BOM removed) or, for PDF, Word and HTML, the text
    extracted from it (kept in the index); every offset points into it. `headings` are the offsets
    of heading lines when the loader found them (None: the splitter finds them); `pages` the offset
    where each page starts (PDF)."""

    doc_id: str
    path: str
    text: str
    checksum: str
    encoding: str
    headings: tuple[int, ...] | None = None
    pages: tuple[int, ...] = ()

    @property
    def is_markdown(self) -> bool:
        return self.path.endswith(".md")


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_files(docs_dir: Path, warn: bool = False) -> list[Path]:
    """Every report file below `docs_dir`, in a stable order; hidden files and folders skipped, and
    links that lead outside the folder (to /etc/passwd, say) never followed: with `warn`, one
    warning names them."""
    root = docs_dir.resolve()
    found, outside = [], []
    for p in docs_dir.rglob("*"):
        if p.suffix.lower() not in SUFFIXES or any(part.startswith(".") for part in p.relative_to(docs_dir).parts):
            continue
        if not p.resolve().is_relative_to(root):
            outside.append(p)
        elif p.is_file():
            found.append(p)
    if outside and warn:
        names = ", ".join(p.relative_to(docs_dir).as_posix() for p in sorted(outside)[:3])
        log.warning(
            "skipped %d link(s) that lead outside %s (%s%s): copy those reports into the folder to index them",
            len(outside),
            docs_dir,
            names,
            ", …" if len(outside) > 3 else "",
        )
    return sorted(found, key=lambda p: p.relative_to(docs_dir).as_posix())


def doc_id_for(path: Path, docs_dir: Path, keep_suffix: bool = False) -> str:
    """Stable id: the path below the docs folder without its suffix ("report", "2020/feb"); with
    the suffix when another file shares the stem (a.txt and a.md are "a.txt" and "a.md")."""
    rel = path.relative_to(docs_dir)
    return rel.as_posix() if keep_suffix else rel.with_suffix("").as_posix()


def read_document(
    path: Path, docs_dir: Path, keep_suffix: bool = False, known: Mapping[str, Document] | None = None
) -> Document | None:
    """One file as a Document; None (with a one-line warning) when empty or unreadable. `known`
    (checksum -> Document, from the previous index) spares reading an unchanged file again."""
    rel = path.relative_to(docs_dir).as_posix()
    doc_id = doc_id_for(path, docs_dir, keep_suffix)
    try:
        data = path.read_bytes()
        if not data:
            log.warning("skipped %s: the file is empty (0 bytes)", path)
            return None
        seen = (known or {}).get(checksum(data))
        if seen is not None and seen.path.rsplit(".", 1)[-1:] == rel.rsplit(".", 1)[-1:]:
            return replace(seen, doc_id=doc_id, path=rel)
        loaded = loader_for(path).load(data)
    except (OSError, LoadError) as exc:
        log.warning("skipped %s: cannot read it: %s", path, exc)
        return None
    if not loaded.text.strip():
        log.warning("skipped %s: the file is empty", path)
        return None
    return Document(doc_id, rel, loaded.text, checksum(data), loaded.encoding, loaded.headings, loaded.pages)


def iter_documents(docs_dir: Path, known: Mapping[str, Document] | None = None) -> Iterator[Document]:
    paths = doc_files(docs_dir, warn=True)
    stems = Counter(doc_id_for(p, docs_dir) for p in paths)
    for path in paths:
        doc = read_document(path, docs_dir, stems[doc_id_for(path, docs_dir)] > 1, known)
        if doc is not None:
            yield doc


def read_documents(docs_dir: Path | str, known: Mapping[str, Document] | None = None) -> list[Document]:
    """All readable reports below `docs_dir`. Raises FileNotFoundError when the folder is missing."""
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        raise FileNotFoundError(f"docs folder {docs_dir} does not exist")
    return list(iter_documents(docs_dir, known))


def docs_fingerprint(docs_dir: Path | str) -> dict[str, str]:
    """doc path -> checksum of its bytes, for deciding whether an index is stale (no decoding)."""
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return {}
    out: dict[str, str] = {}
    for path in doc_files(docs_dir):
        try:
            out[path.relative_to(docs_dir).as_posix()] = checksum(path.read_bytes())
        except OSError:
            continue
    return out
