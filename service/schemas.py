"""Request and response models: the OpenAPI documentation and the validation come from these."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa.question import QUESTION_MAX_CHARS


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(..., max_length=QUESTION_MAX_CHARS, examples=["一共发放了多少个口罩？"])
    session_id: str | None = Field(None, max_length=128, description="reuse to ask follow-up questions")

    @field_validator("question")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty: type a question about the report")
        return value


class CitationOut(BaseModel):
    doc_id: str
    section: str
    paragraph: int
    sentence: int
    text: str
    start: int = Field(description="character offset into the source file: source[start:end] == text")
    end: int
    score: float


class SpanOut(BaseModel):
    text: str
    start: int
    end: int


class AskResponse(BaseModel):
    answer: str
    short_answer: str | None
    answer_type: str
    answerable: bool
    confidence: float
    session_id: str
    resolved_question: str
    citations: list[CitationOut]
    span: SpanOut | None
    suggestions: list[str]


class ParagraphOut(BaseModel):
    doc_id: str
    section: str
    paragraph: int
    text: str
    start: int
    end: int


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """Plain text of the message; content parts of type "text" are joined."""
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p …: accepted, nothing to tune

    model: str | None = None
    messages: list[ChatMessage] = Field(..., min_length=1, max_length=200)
    stream: bool = False
    user: str | None = Field(None, max_length=128, description="used as the session id when given")


class Health(BaseModel):
    status: str
    sentences: int | None = None
    documents: int | None = None


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid_request"])
    message: str = Field(examples=["question: the question is empty: type a question about the report"])


class ErrorOut(BaseModel):
    """Every error, whatever its status."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer with, all in the one error shape."""
    meaning = {
        400: "the body is not valid JSON",
        401: "QA_API_KEY is set and the request lacks the right Bearer token",
        404: "no such paragraph",
        413: "the body is over 64 KiB",
        422: "the request does not fit the schema (empty question, over 500 characters, …)",
        503: "the index or the session store is unavailable; the message says how to fix it",
    }
    return {status: {"model": ErrorOut, "description": meaning[status]} for status in statuses}
