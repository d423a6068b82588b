"""The engine's results: small frozen dataclasses with offsets into the source text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from index.retriever import Hit


class AnswerType(StrEnum):
    QUANTITY = "quantity"
    PERSON = "person"
    DATE = "date"
    PLACE = "place"  # places and organisations
    NAME = "name"
    LIST = "list"
    REASON = "reason"  # reasons and manners: why / how
    YESNO = "yesno"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Citation:
    """A sentence of the report; `source[start:end] == text` in document `doc_id`."""

    doc_id: str
    section: str
    paragraph: int  # within its section, as a reader counts
    sentence: int
    text: str
    start: int
    end: int
    score: float
    paragraph_index: int  # within the document: what `ReportQA.paragraph` and /v1/paragraph look up
    page: int | None = None  # the PDF page the sentence starts on; None for other formats

    @classmethod
    def from_hit(cls, hit: Hit) -> Citation:
        s = hit.sentence
        return cls(
            s.doc_id,
            s.section,
            s.paragraph_in_section,
            s.number,
            s.text,
            s.start,
            s.end,
            round(hit.score, 4),
            s.paragraph,
            s.page,
        )


@dataclass(frozen=True, slots=True)
class Span:
    """The short answer's place in the source: inside citation 0, `source[start:end] == text`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    answer: str  # the reply text: short answer first, then the cited sentences marked [1], [2]
    short_answer: str | None  # None when the report does not say
    answer_type: AnswerType
    answerable: bool
    confidence: float
    citations: tuple[Citation, ...]
    session_id: str
    resolved_question: str  # the question as understood, after follow-up resolution
    span: Span | None = None
    suggestions: tuple[str, ...] = field(default=())  # closest sections when unanswerable
    language: str = "zh"  # the question's, and so the template words': "zh" or "en"

    def to_dict(self) -> dict[str, Any]:
        """The `/v1/ask` response shape."""
        return {
            "answer": self.answer,
            "short_answer": self.short_answer,
            "answer_type": str(self.answer_type),
            "answerable": self.answerable,
            "confidence": round(self.confidence, 4),
            "session_id": self.session_id,
            "resolved_question": self.resolved_question,
            "citations": [asdict(c) for c in self.citations],
            "span": asdict(self.span) if self.span else None,
            "suggestions": list(self.suggestions),
        }
