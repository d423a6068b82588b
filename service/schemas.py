"""Request and response models: the OpenAPI documentation and the validation come from these."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa.question import QUESTION_MAX_CHARS
from qa.types import AnswerType


def encodable(value: str) -> str:
    """The text, unless it holds a lone surrogate (JSON can carry "\\ud800"; UTF-8 cannot): every
    text that reaches a session key or the engine is checked, not only the question."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains undecodable characters (a lone surrogate): send UTF-8 text") from None
    return value


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        ...,
        max_length=QUESTION_MAX_CHARS,
        examples=["一共发放了多少个口罩？"],
        description="the question, in Chinese or English, at most 500 characters",
    )
    session_id: str | None = Field(None, max_length=128, description="reuse to ask follow-up questions")

    @field_validator("question")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty: type a question about the report")
        return value

    @field_validator("session_id")
    @classmethod
    def session_encodable(cls, value: str | None) -> str | None:
        return None if value is None else encodable(value)


class CitationOut(BaseModel):
    doc_id: str = Field(description="the report: its file name without the extension")
    section: str = Field(description="the heading the sentence sits under ('' before the first heading)")
    paragraph: int = Field(description="the paragraph's number within its section, from 1")
    paragraph_index: int = Field(description="the paragraph's number within the document, from 1 (/v1/paragraph)")
    sentence: int = Field(description="the sentence's number within its paragraph, from 1")
    text: str = Field(description="the sentence, copied from the report")
    start: int = Field(description="character offset into the source file: source[start:end] == text")
    end: int = Field(description="character offset just past the sentence")
    score: float = Field(description="the retrieval score; comparable within one answer only")
    page: int | None = Field(None, description="the PDF page the sentence starts on, from 1; null for other formats")


class SpanOut(BaseModel):
    text: str = Field(description="the short answer as the report writes it")
    start: int = Field(description="character offset into the source file")
    end: int = Field(description="character offset just past the short answer")


class AskResponse(BaseModel):
    answer: str = Field(description="the reply text: the short answer, then the cited sentences [1], [2]")
    short_answer: str | None = Field(description="the answer alone, e.g. 16万个; null when the report does not say")
    answer_type: AnswerType = Field(description="what kind of answer the question asks for")
    answerable: bool = Field(description="false when the report does not say")
    confidence: float = Field(description="0 to 1: how sure the answer is")
    session_id: str = Field(description="send it back to ask follow-up questions in this conversation")
    resolved_question: str = Field(description="the question as understood, follow-ups filled in")
    citations: list[CitationOut] = Field(description="the report's sentences behind the answer, best first")
    span: SpanOut | None = Field(description="where the short answer sits inside the first citation")
    suggestions: list[str] = Field(description="when unanswerable: the closest section titles")


class ParagraphOut(BaseModel):
    doc_id: str = Field(description="the report: its file name without the extension")
    section: str = Field(description="the heading the paragraph sits under")
    paragraph: int = Field(description="the paragraph's number within its section, from 1")
    paragraph_index: int = Field(description="the paragraph's number within the document, from 1")
    text: str = Field(description="the paragraph, copied from the report")
    start: int = Field(description="character offset into the source file")
    end: int = Field(description="character offset just past the paragraph")
    page: int | None = Field(None, description="the PDF page the paragraph starts on, from 1; null for other formats")


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"] = Field(description="who wrote the message")
    content: str | list[dict[str, Any]] | None = Field(None, description="text, or OpenAI content parts")

    @field_validator("content")
    @classmethod
    def content_encodable(cls, value: str | list[dict[str, Any]] | None) -> str | list[dict[str, Any]] | None:
        parts = [value] if isinstance(value, str) else [str(p.get("text", "")) for p in value or []]
        for part in parts:
            encodable(part)
        return value

    def text(self) -> str:
        """Plain text of the message; content parts of type "text" are joined."""
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p …: accepted, nothing to tune

    model: str | None = Field(None, description="'reportqa' (the one model); any other name is 404 model_not_found")
    messages: list[ChatMessage] = Field(
        ..., min_length=1, max_length=200, description="the conversation; the last user message is the question"
    )
    stream: bool = Field(False, description="send server-sent chat.completion.chunk events ending in [DONE]")
    user: str | None = Field(None, max_length=128, description="used as the session id when given")
    max_tokens: int | None = Field(
        None,
        ge=1,
        description="cut the reply to this many characters (finish_reason 'length'); usage counts characters",
    )
    max_completion_tokens: int | None = Field(None, ge=1, description="the same as max_tokens (OpenAI's newer name)")

    def reply_limit(self) -> int | None:
        limits = [n for n in (self.max_tokens, self.max_completion_tokens) if n is not None]
        return min(limits) if limits else None

    @field_validator("user")
    @classmethod
    def user_encodable(cls, value: str | None) -> str | None:
        return None if value is None else encodable(value)


class Health(BaseModel):
    status: str = Field(description="'ok' when the index is loaded")
    sentences: int | None = Field(None, description="sentences in the index")
    documents: int | None = Field(None, description="reports in the index")
    doc_ids: list[str] | None = Field(None, description="the reports' ids (file names without extension), in order")
    sections: list[str] | None = Field(None, description="the reports' section titles in reading order")


class DocumentOut(BaseModel):
    doc_id: str = Field(description="the report's id: its file name without the extension")
    file: str = Field(description="its file in the docs folder")
    format: Literal["txt", "md", "pdf", "docx", "html", "htm"] = Field(description="the format it was read as")
    characters: int = Field(description="characters of its text, which citation offsets point into")
    sentences: int = Field(description="sentences indexed from it")
    sha256: str = Field(description="sha256 of the file's bytes: the same file uploaded twice has the same id")


class DocumentList(BaseModel):
    documents: list[DocumentOut] = Field(description="the reports answers come from, in index order")


class UploadOut(DocumentOut):
    created: bool = Field(description="false when the same file was already indexed (nothing changed)")
    embedded: int = Field(description="sentences embedded for this upload; the rest of the index was reused")


class DeletedOut(BaseModel):
    deleted: str = Field(description="the removed report's id")
    documents: int = Field(description="reports left in the index")


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid_request"])
    message: str = Field(examples=["question: the question is empty: type a question about the report"])


class ErrorOut(BaseModel):
    """Every error, whatever its status."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer with, all in the one error shape."""
    meaning = {
        400: "the body is not valid JSON (an upload: not valid multipart/form-data)",
        401: "QA_API_KEY (document changes: QA_ADMIN_KEY) is set and the request lacks the right Bearer token",
        403: "document changes are disabled: the server has no QA_ADMIN_KEY",
        404: "no such paragraph or document, or (chat completions) no such model",
        409: "the change would leave the index without any report",
        413: "the body is over 64 KiB (an upload: over QA_MAX_UPLOAD_MB)",
        415: "the upload is none of the formats read: text, Markdown, PDF, Word .docx, HTML",
        422: "the request does not fit the schema (empty question, over 500 characters, …) or an upload cannot be read",
        503: "the index or the session store is unavailable; the message says how to fix it",
    }
    return {status: {"model": ErrorOut, "description": meaning[status]} for status in statuses}
