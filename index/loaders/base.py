"""What every loader returns, and the rules that turn extracted lines into the stored text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


class LoadError(ValueError):
    """The file's bytes cannot be turned into text; the message says why, for a one-line warning."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """A document's stored text. `headings` (offsets of heading lines) is None for plain text and
    Markdown, whose headings the splitter finds itself; extracted formats name theirs, one
    paragraph per line. `pages` holds the offset where each page starts (PDF only)."""

    text: str
    encoding: str
    headings: tuple[int, ...] | None = None
    pages: tuple[int, ...] = ()


# 一、 （一） 第一章 1. 1.2 2） — numbering that makes a short line a heading in Chinese reports.
NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[)）]|第[一二三四五六七八九十百\d]+[章节部分篇]"
    r"|\d{1,2}(?:[.．]\d{1,2})*(?:[、.．)）]|\s)(?!\d))"
)
HEADING_MAX_CHARS = 40
SENTENCE_END = frozenset("。！？；!?;：:，,")
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def is_numbered_heading(line: str) -> bool:
    """A short numbered line that does not read as a sentence (一、基本情况 but not 1.加强防控。)."""
    s = line.strip()
    return bool(NUMBERED.match(s)) and len(s) <= HEADING_MAX_CHARS and s[-1] not in SENTENCE_END


def looks_like_heading(line: str) -> bool:
    """The plain-text rule (a short line without sentence punctuation) or numbering; the same
    rule as for .txt, so a report's sections are the same whatever format it comes in."""
    from index.split import heading_title  # the splitter imports the loaders: only at call time

    return heading_title(line, is_markdown=False) is not None or is_numbered_heading(line)


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one paragraph broken by layout: no space inside Chinese text, one space
    between two Latin words or numbers."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if a.isspace() or b.isspace() or CJK.match(a) or CJK.match(b):
        return left + right
    return f"{left} {right}"


class TextBuilder:
    """Collects paragraphs line by line and records where headings and pages start."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: list[int] = []
        self.pages: list[int] = []
        self._length = 0

    def page_break(self) -> None:
        self.pages.append(self._length)

    def add(self, line: str, heading: bool = False) -> None:
        line = " ".join(line.split())
        if not line:
            return
        if heading:
            self.headings.append(self._length)
        self.lines.append(line)
        self._length += len(line) + 1

    def extend(self, lines: Iterable[tuple[str, bool]]) -> None:
        for line, heading in lines:
            self.add(line, heading)

    def build(self, encoding: str) -> Loaded:
        text = "\n".join(self.lines) + ("\n" if self.lines else "")
        return Loaded(text, encoding, tuple(self.headings), tuple(self.pages))
