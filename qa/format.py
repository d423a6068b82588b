"""The reply's wording: template words in the question's language around the report's own text.

Front doors that lay a reply out themselves (a terminal, a 2048-byte WeChat message) take its parts
from here, from the Answer's structure, rather than parsing the reply text back apart."""

from __future__ import annotations

from collections.abc import Sequence

from qa.types import Answer, Citation

NOT_FOUND = {"zh": "报告中没有找到相关信息。", "en": "The report does not say."}
SEE_ALSO = {"zh": "可以看看：", "en": "Closest sections: "}
LIST_SEPARATOR = "、"


def where(c: Citation, lang: str) -> str:
    """Where a cited sentence sits: （section，第n段） or (section, paragraph n); PDFs add the page."""
    if lang == "en":
        parts = [c.section, f"paragraph {c.paragraph}", f"page {c.page}" if c.page else ""]
        return "(" + ", ".join(p for p in parts if p) + ")"
    parts = [c.section, f"第{c.paragraph}段", f"第{c.page}页" if c.page else ""]
    return "（" + "，".join(p for p in parts if p) + "）"


def citation_line(number: int, c: Citation, lang: str) -> str:
    return f"[{number}] {c.text}{where(c, lang)}"


def see_also_line(tips: Sequence[str], lang: str) -> str:
    return SEE_ALSO[lang] + LIST_SEPARATOR.join(tips)


def reply_head(answerable: bool, short_answer: str | None, lang: str) -> str:
    """The reply's first line: the short answer, or that the report does not say."""
    return (short_answer or "") if answerable else NOT_FOUND[lang]


def reply_body(answerable: bool, citations: Sequence[Citation], tips: Sequence[str], lang: str) -> list[str]:
    """The lines after the head: numbered citations, or the closest sections when unanswerable."""
    if answerable:
        return [citation_line(i, c, lang) for i, c in enumerate(citations, start=1)]
    return [see_also_line(tips, lang)] if tips else []


def reply_text(
    answerable: bool, short_answer: str | None, citations: Sequence[Citation], tips: Sequence[str], lang: str
) -> str:
    head = reply_head(answerable, short_answer, lang)
    return "\n".join([head, *reply_body(answerable, citations, tips, lang)])


def reply_parts(answer: Answer) -> tuple[str, list[str]]:
    """(head, later lines) of an answer's reply, for a front door that shortens or lays it out."""
    lang = answer.language
    head = reply_head(answer.answerable, answer.short_answer, lang)
    return head, reply_body(answer.answerable, answer.citations, answer.suggestions, lang)
