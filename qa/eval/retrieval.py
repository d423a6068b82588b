"""Retrieval quality on a SQuAD-format file: every passage becomes a document of one corpus and
each question is searched against all of them."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from index.local.load import open_index
from index.retriever import Retriever
from qa.eval.squad import SquadQuestion, squad_dirs


@dataclass(frozen=True, slots=True)
class RetrievalReport:
    questions: int
    sent_at_1: float
    sent_at_3: float
    ctx_at_1: float
    ms_per_query: float
    sentences: int


def squad_index(path: Path, cache_dir: Path, embedder: str, progress: bool) -> Retriever:
    """An index of the file's passages (see squad_dirs for the cache)."""
    docs_dir, index_dir = squad_dirs(path, cache_dir, embedder)
    return open_index(docs_dir, index_dir, embedder, progress=progress)


def evaluate_retrieval(index: Retriever, questions: Sequence[SquadQuestion], progress: bool = True) -> RetrievalReport:
    hits1 = hits3 = ctx1 = 0
    answerable = [q for q in questions if q.answers]
    started = time.perf_counter()
    for q in tqdm(answerable, desc="questions", unit="q", disable=not progress):
        top = index.search(q.question, k=3)
        texts = [h.sentence.text for h in top]
        has_answer = [any(a in t for a in q.answers) for t in texts]
        hits1 += bool(has_answer[:1] and has_answer[0])
        hits3 += any(has_answer)
        ctx1 += bool(top) and top[0].sentence.doc_id == q.passage_id
    elapsed = time.perf_counter() - started
    n = max(len(answerable), 1)
    return RetrievalReport(
        questions=len(answerable),
        sent_at_1=hits1 / n,
        sent_at_3=hits3 / n,
        ctx_at_1=ctx1 / n,
        ms_per_query=1000 * elapsed / n,
        sentences=index.stats().sentences,
    )
