"""A segment: some documents and everything search needs about their sentences, in one folder.

A build writes new segments only for what changed and links the unchanged ones into the new
generation, so adding one report to a thousand writes one small folder instead of the whole
index. A document never straddles two segments (a sentence's context — its lead and previous
sentence — is in its own document).

segments/<name>/
  paragraphs.jsonl   one paragraph per line (doc id, section, numbers, offsets, text, page)
  sentences.jsonl    one sentence per line (doc id, section, paragraph, number, offsets, text, page)
  texts.jsonl        each document as read: stored text (what offsets point into), checksum,
                     headings and page starts
  tokens.jsonl       each sentence's own BM25 tokens (a merge or a rewrite need not tokenise again)
  vectors.npy        sentence embeddings, float32, rows L2-normalised
  terms_sentence/    BM25 term counts of the sentence's own tokens (`lexical.TermCounts`)
  terms_context/     … of the sentence read with its section title, lead and previous sentence
  dense.faiss        an HNSW graph over the vectors, only for a segment too large for flat search
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.corpus import Corpus, context_tokens, lexical_tokens
from index.documents import Document
from index.local import store
from index.local.dense import FLAT_MAX_VECTORS, build_faiss, index_kind, save_faiss
from index.local.lexical import TermCounts
from index.retriever import SegmentEntry
from index.split import Paragraph, Sentence, split_document
from index.tokenize import WordTokenizer

Vectors = npt.NDArray[np.float32]
TERMS_SENTENCE = "terms_sentence"
TERMS_CONTEXT = "terms_context"
DENSE = "dense.faiss"


@dataclass(frozen=True)
class Segment:
    documents: Sequence[Document]
    paragraphs: Sequence[Paragraph]
    sentences: Sequence[Sentence]
    tokens: Sequence[list[str]]  # each sentence's own BM25 tokens
    vectors: Vectors = field(repr=False)

    def __len__(self) -> int:
        return len(self.sentences)

    def keep(self, doc_ids: Collection[str]) -> Segment:
        """The segment without the documents not named (rows kept in order, nothing recomputed)."""
        rows = [i for i, s in enumerate(self.sentences) if s.doc_id in doc_ids]
        return Segment(
            [d for d in self.documents if d.doc_id in doc_ids],
            [p for p in self.paragraphs if p.doc_id in doc_ids],
            [self.sentences[i] for i in rows],
            [self.tokens[i] for i in rows],
            self.vectors[rows],
        )


def merge(segments: Sequence[Segment]) -> Segment:
    return Segment(
        [d for g in segments for d in g.documents],
        [p for g in segments for p in g.paragraphs],
        [s for g in segments for s in g.sentences],
        [t for g in segments for t in g.tokens],
        np.vstack([g.vectors for g in segments]) if segments else np.zeros((0, 0), dtype=np.float32),
    )


def make_segment(
    documents: Sequence[Document],
    tokenize: Callable[[Sequence[str]], list[list[str]]],
    embed: Callable[[Sequence[str]], Vectors],
) -> Segment:
    """Split the documents into sentences, then tokenise and embed them (through the caller's
    functions, which reuse what an earlier index already computed)."""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for doc in documents:
        ps, ss = split_document(doc)
        paragraphs += ps
        sentences += ss
    kept = {s.doc_id for s in sentences}  # a document of headings alone holds no sentence
    texts = [s.text for s in sentences]
    return Segment([d for d in documents if d.doc_id in kept], paragraphs, sentences, tokenize(texts), embed(texts))


def write_segment(folder: Path, name: str, segment: Segment, words: WordTokenizer) -> SegmentEntry:
    folder.mkdir(parents=True)
    store.write_jsonl(folder / store.PARAGRAPHS, segment.paragraphs)
    store.write_jsonl(folder / store.SENTENCES, segment.sentences)
    store.write_texts(folder / store.TEXTS, segment.documents)
    store.write_token_lists(folder / store.TOKENS, segment.tokens)
    np.save(folder / store.VECTORS, np.ascontiguousarray(segment.vectors, dtype=np.float32), allow_pickle=False)
    TermCounts.build(segment.tokens).save(folder / TERMS_SENTENCE)
    corpus = Corpus(segment.paragraphs, segment.sentences)
    sections = {s.section: lexical_tokens(words, s.section) for s in segment.sentences}
    TermCounts.build(context_tokens(corpus, segment.tokens, sections)).save(folder / TERMS_CONTEXT)
    dense = "flat"
    if len(segment) > FLAT_MAX_VECTORS:
        graph = build_faiss(segment.vectors)
        save_faiss(graph, folder / DENSE)
        dense = index_kind(graph)
    return SegmentEntry(name, len(segment.documents), len(segment.paragraphs), len(segment), dense)


def read_segment(folder: Path) -> Segment:
    """Everything a rewrite or a merge needs (raises OSError / ValueError / KeyError when damaged)."""
    sentences = store.load_sentences(folder / store.SENTENCES)
    tokens = [list(row) for row in store.read_jsonl_lists(folder / store.TOKENS)]
    vectors = np.load(folder / store.VECTORS, allow_pickle=False)
    if len(tokens) != len(sentences) or vectors.shape[0] != len(sentences):
        raise ValueError(f"{folder}: {len(sentences)} sentences, {len(tokens)} token rows, {vectors.shape[0]} vectors")
    return Segment(
        store.load_documents(folder / store.TEXTS),
        store.load_paragraphs(folder / store.PARAGRAPHS),
        sentences,
        tokens,
        vectors,
    )
