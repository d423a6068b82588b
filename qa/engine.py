"""ReportQA: the one engine behind the command line, the HTTP service and the chat channels.

The facade: `ask`, `paragraph`, `stats` (and `sessions` for a front door that carries a
conversation over). Front doors use nothing else of the engine or the index."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from index.local.load import IndexFollower, needs_build, open_index
from index.local.store import rebuild_command
from index.local.swap import Progress
from index.retriever import IndexStats, Retriever
from index.split import Paragraph
from index.tokenize import use_lexicon_cache
from qa.answer import ABSTAIN_BELOW, compose, decide
from qa.byline import LEAD_PARAGRAPHS, asked_about_report, from_dateline
from qa.dates import chinese_dates
from qa.dialogue import resolve
from qa.errors import QuestionError, ReportQAError
from qa.library import Added, Library
from qa.pinyin import pinyin_names, with_chinese_names
from qa.question import QUESTION_MAX_CHARS, QuestionAnalyzer
from qa.read import decide_read, finished, names_held
from qa.reader.model import OnnxReader
from qa.segments import SegmentVectors
from qa.sessions import InMemorySessionStore, SessionStore, Turn
from qa.settings import Settings
from qa.types import Answer

if TYPE_CHECKING:
    from index.milvus.connect import MilvusTarget

# Enough sentences to find a supporting one when the best-ranked misses a constraint.
SEARCH_DEPTH = 5
# Where a name an English question spells in pinyin is looked for: the paragraphs of this many
# sentences retrieved for the question as asked (the bundled report has 24 sentences in all).
NAME_SCOPE = 30


def make_reader(kind: str) -> OnnxReader | None:
    """The answer step named by settings: the trained reader (default) or the span rules."""
    if kind == "rules":
        return None
    if kind != "model":
        raise ValueError(f"unknown reader {kind!r}: use 'model' or 'rules' (QA_READER)")
    return OnnxReader(threads=reader_threads())


def reader_threads() -> int:
    """The reader's threads follow the embedder's OpenMP setting: every core for a lone process
    (`reportqa ask`, chat: warm ask median on the bundled report 361 ms with one thread, 213 ms with
    two), one per worker under `serve`, where concurrent requests already use the cores."""
    configured = os.environ.get("OMP_NUM_THREADS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else max(1, os.cpu_count() or 1)


def milvus_target(settings: Settings) -> MilvusTarget:
    from index.milvus.connect import MilvusTarget

    return MilvusTarget(settings.milvus_uri, settings.milvus_token, settings.milvus_collection)


def validate(question: object) -> str:
    if not isinstance(question, str):
        raise QuestionError("invalid_question", "the question must be text")
    text = question.strip()
    if not text:
        raise QuestionError("empty_question", "the question is empty: type a question about the report")
    if len(text) > QUESTION_MAX_CHARS:
        raise QuestionError(
            "question_too_long",
            f"the question has {len(text)} characters; the limit is {QUESTION_MAX_CHARS}",
        )
    if "\ufffd" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise QuestionError("bad_encoding", "the question contains undecodable characters: send UTF-8 text")
    return text


class AnswerCache:
    """Answers to opening questions (no conversation before them), by question text. Follow-ups
    depend on their session and are never cached."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, question: str) -> Answer | None:
        with self._lock:
            answer = self._answers.get(question)
            if answer is not None:
                self._answers.move_to_end(question)
            return answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()

    def put(self, question: str, answer: Answer) -> None:
        with self._lock:
            self._answers[question] = answer
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


class ReportQA:
    def __init__(
        self,
        retriever: Retriever,
        sessions: SessionStore | None = None,
        cache_size: int = 1024,
        reader: OnnxReader | None = None,
        follower: IndexFollower | None = None,
        library: Library | None = None,
    ) -> None:
        self.retriever = retriever
        self.reader = reader
        self.follower = follower
        self.library = library  # None: the reports cannot be changed through this engine
        self._switching = threading.Lock()
        self.sessions: SessionStore = sessions or InMemorySessionStore()
        self.analyzer = QuestionAnalyzer()
        self.segments = SegmentVectors(retriever.embedder)
        self.cache = AnswerCache(cache_size)

    @classmethod
    def load(
        cls,
        docs_dir: Path | str | None = None,
        index_dir: Path | str | None = None,
        embedder: str | None = None,
        rebuild: bool = True,
        progress: bool = True,
        sessions: SessionStore | None = None,
        *,
        settings: Settings | None = None,
        on_progress: Progress = None,
    ) -> ReportQA:
        """Open (building it first when missing or out of date) the index named by the arguments,
        falling back to `settings` (by default read from the environment, as `Settings()` does)."""
        s = settings if settings is not None else Settings()
        use_lexicon_cache(s.data_dir / "cache")
        docs, index, spec = docs_dir or s.docs_dir, index_dir or s.index_dir, embedder or s.embedder
        if s.retriever == "milvus":
            from index.milvus.ingest import build_milvus, held_manifest
            from index.milvus.search import open_milvus  # only here: pymilvus is not imported otherwise

            target = milvus_target(s)
            milvus = open_milvus(str(docs), target, spec, rebuild=rebuild, progress=progress)
            library = Library(
                docs,
                lambda: build_milvus(docs, target, milvus.embedder, progress=False),
                lambda: held_manifest(target, milvus.embedder),
            )
            # No answer cache: replicas share the collection, and nothing tells this one that another
            # has changed it (the local index has its generation link for that).
            return cls(milvus, sessions, cache_size=0, reader=make_reader(s.reader), library=library)
        retriever = open_index(docs, index, spec, rebuild=rebuild, progress=progress, on_progress=on_progress)
        follower = IndexFollower(index, retriever.embedder, rebuild_command(docs, index, spec))
        library = Library.local(docs, index, spec)
        return cls(retriever, sessions, reader=make_reader(s.reader), follower=follower, library=library)

    def follow_index(self, wait: bool = False) -> bool:
        """Switch to a newer index generation if a build (`reportqa index add`, an upload, another
        worker) published one since the last question; True when it switched. Cheap when nothing
        changed (one readlink). Questions already running keep the retriever they started with;
        cached answers belong to the old index and are dropped."""
        if self.follower is None or not self.follower.changed():
            return False
        if not self._switching.acquire(blocking=wait):
            return False  # another thread is opening it; this question uses the current index
        try:
            newer = self.follower.open_newer()
            if newer is None:
                return False
            self.retriever = newer
            self.cache.clear()
            return True
        finally:
            self._switching.release()

    @staticmethod
    def needs_build(settings: Settings) -> bool:
        """Whether `load` would build the index first (the reports changed, or there is none).
        A Milvus collection is built by `reportqa index build`, or by `load` when it is missing."""
        if settings.retriever == "milvus":
            return False
        return needs_build(settings.docs_dir, settings.index_dir, settings.embedder)

    def warm_up(self) -> None:
        """Load the models now rather than on the first question."""
        self.retriever.warm_up()
        self.analyzer.tag("预热")
        if self.reader is not None:
            self.reader.warm_up()

    def add_document(self, name: str, data: bytes) -> Added:
        """Index a report from its bytes and answer from it from now on (see `qa.library`)."""
        added = self._library().add(name, data)
        self.follow_index(wait=True)
        self.cache.clear()
        return added

    def remove_document(self, doc_id: str) -> int:
        """Remove a report from the index; returns how many reports are left."""
        manifest = self._library().remove(doc_id)
        self.follow_index(wait=True)
        self.cache.clear()
        return manifest.counts.documents

    def _library(self) -> Library:
        if self.library is None:
            raise ReportQAError("read_only", "this engine was not loaded from a docs folder: its reports cannot change")
        return self.library

    def paragraph(self, doc_id: str, number: int) -> Paragraph | None:
        """The paragraph a citation names (document id and paragraph number), if there is one."""
        self.follow_index()
        return self.retriever.paragraph(doc_id, number)

    def stats(self) -> IndexStats:
        self.follow_index()
        return self.retriever.stats()

    def check(self) -> None:
        """Raises ReportQAError when questions cannot be answered now (the retrieval engine or the
        session store out of reach): what /readyz reports."""
        self.retriever.check()
        self.sessions.check()

    def ask(self, question: str, session_id: str | None = None) -> Answer:
        text = validate(question)
        sid = session_id or uuid.uuid4().hex
        answer = self.answer(text, sid, self.sessions.history(sid))
        self.remember(answer)
        return answer

    def answer(self, text: str, session_id: str, history: Sequence[Turn]) -> Answer:
        """The answer to a validated question given its session's history, touching no session
        store: the service reads and writes the store itself, outside its engine slots, so that a
        slow store cannot hold the cores."""
        self.follow_index()
        retriever = self.retriever  # the whole question is answered from one index generation
        cached = None if history else self.cache.get(text)
        if cached is not None:
            return replace(cached, session_id=session_id)
        answer = self._answer(retriever, text, resolve(self.analyzer, text, list(history)), session_id)
        if not history and retriever is self.retriever:  # not an answer from a replaced index
            self.cache.put(text, answer)
        return answer

    @staticmethod
    def turn_of(answer: Answer) -> Turn:
        """What a session remembers of an answer, for resolving the next follow-up."""
        a = answer
        return Turn(a.question, a.resolved_question, str(a.answer_type), a.short_answer, time.time())

    def remember(self, answer: Answer) -> None:
        self.sessions.append(answer.session_id, self.turn_of(answer))

    def _as_the_report_writes(self, retriever: Retriever, question: str) -> str:
        """An English question with its dates and the names it spells in pinyin written as the
        report writes them (the reader learnt English questions that keep such words in Chinese)."""
        question = chinese_dates(question)
        if not (names := pinyin_names(question)):
            return question
        hits = retriever.search(question, k=NAME_SCOPE)
        paragraphs = dict.fromkeys(h.paragraph.text for h in hits)
        return with_chinese_names(question, names, list(paragraphs), self.analyzer.tag)

    def _answer(self, retriever: Retriever, asked: str, resolved: str, session_id: str) -> Answer:
        as_asked = q = self.analyzer.analyze(resolved)
        if q.language == "en" and (written := self._as_the_report_writes(retriever, q.text)) != q.text:
            q = self.analyzer.analyze_english(written)
        hits = retriever.search(q.text, k=SEARCH_DEPTH)
        if hits and (kind := asked_about_report(resolved, q.language)) is not None:
            # Who wrote the report and when: its dateline, of the document the question found.
            doc = hits[0].sentence.doc_id
            dated = from_dateline(kind, [retriever.paragraph(doc, n) for n in range(1, LEAD_PARAGRAPHS + 1)])
            if dated is not None:
                return compose(q, asked, dated, hits, session_id)
        decision = decide_read(self.reader, q, hits, self.analyzer.tag) if self.reader is not None else None
        if decision is None or decision.confidence < ABSTAIN_BELOW:
            # Where the reader would abstain, the span rules may still find a typed span their
            # constraint check accepts; they keep their own abstention. Measured: report dev
            # questions answered right 58 % → 78 %, CMRC trial (first 300) F1 0.390 → 0.415.
            # They compare an English question as asked: given the report's own 连云港, "What is the
            # population of Lianyungang?" came close enough to any sentence naming the city to answer.
            decision = decide(as_asked, hits, self.analyzer, self.segments)
        return compose(q, asked, finished(q, names_held(q, decision), self.analyzer.tag), hits, session_id)
