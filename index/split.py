"""Document -> sections -> paragraphs -> sentences, each with character offsets into the source.

Invariant (property-tested): `doc.text[s.start:s.end] == s.text` for every paragraph and sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from index.documents import Document

# Sentence-final marks. The semicolon ends a clause that reads as a sentence in Chinese reports.
TERMINATORS = frozenset("。！？；!?;…")
# Closing marks that belong to the sentence they close: “……”。  （完）」
CLOSERS = frozenset("”’」』）)】》〕\"'")
# Brackets whose content never ends a sentence: titles 《》 and parentheticals such as
# （学名：…；…） or wiki-style -{…;…}-.
OPENERS = frozenset("《（(【[{")
BRACKET_CLOSERS = frozenset("》）)】]}")
BRACKET_SPAN = 160
HEADING_MAX_CHARS = 24
# A heading line ends without sentence punctuation; a comma or colon means it is running text.
NOT_HEADING_CHARS = frozenset("。！？；!?;…，,：:、")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# Longer runs without sentence punctuation (a table flattened to text, a file with no punctuation
# at all) are cut: at the last comma that fits, else at the limit. Embedding and BM25 cost grow with
# a sentence's length, and one 7-million-character "sentence" took gigabytes. The longest real
# sentence of CMRC 2018's trial file has 474 characters.
MAX_SENTENCE_CHARS = 500
COMMAS = frozenset("，,、：:")


@dataclass(frozen=True, slots=True)
class Paragraph:
    doc_id: str
    section: str
    number: int  # 1-based within the document
    start: int
    end: int
    text: str
    in_section: int = 1  # 1-based within its section: what a reader counts ("暖心保障 · 第2段")
    page: int | None = None  # 1-based page where it starts (PDF only)


@dataclass(frozen=True, slots=True)
class Sentence:
    doc_id: str
    section: str
    paragraph: int  # 1-based within the document
    number: int  # 1-based within the paragraph
    start: int
    end: int
    text: str
    paragraph_in_section: int = 1  # the paragraph's number within its section
    page: int | None = None  # 1-based page where it starts (PDF only)

    @property
    def sentence_id(self) -> str:
        """Stable across rebuilds: derived from where the sentence sits, not from build order."""
        return f"{self.doc_id}:{self.start}-{self.end}"


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_ascii_period_end(text: str, i: int, end: int) -> bool:
    """An ASCII '.' ends a sentence only before whitespace or the end, never inside 1.5, after
    an initial ("Andrew W. Mellon") or inside an abbreviation ("e.g.")."""
    nxt = text[i + 1] if i + 1 < end else ""
    prev = text[i - 1] if i > 0 else ""
    before = text[i - 2] if i > 1 else " "
    initial = prev.isalpha() and prev.isascii() and not (before.isalpha() and before.isascii())
    return (nxt == "" or nxt.isspace()) and not prev.isdigit() and not initial


def _track_brackets(ch: str, open_at: list[int], i: int) -> None:
    """Track open brackets: no sentence ends inside 《…》 or a short (…). An opening bracket
    left unclosed stops holding after BRACKET_SPAN characters, so it cannot swallow a paragraph."""
    if ch in OPENERS:
        open_at.append(i)
    elif ch in BRACKET_CLOSERS and open_at:
        open_at.pop()


def _inside_brackets(open_at: list[int], i: int) -> bool:
    return bool(open_at) and i - open_at[-1] <= BRACKET_SPAN


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of sentences within text[start:end], whitespace trimmed, never empty."""
    end = len(text) if end is None else end
    begin, i = start, start
    open_at: list[int] = []
    while i < end:
        ch = text[i]
        _track_brackets(ch, open_at, i)
        is_end = not _inside_brackets(open_at, i) and (
            ch in TERMINATORS or (ch == "." and _is_ascii_period_end(text, i, end))
        )
        i += 1
        if not is_end:
            continue
        while i < end and (text[i] in TERMINATORS or text[i] in CLOSERS):
            i += 1
        s, e = _strip_span(text, begin, i)
        if s < e:
            yield s, e
        begin = i
    s, e = _strip_span(text, begin, end)
    if s < e:
        yield s, e


def capped(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> Iterator[tuple[int, int]]:
    """text[start:end] in pieces of at most `limit` characters, cut after a comma where one fits."""
    while end - start > limit:
        cut = next((i + 1 for i in range(start + limit - 1, start, -1) if text[i] in COMMAS), start + limit)
        s, e = _strip_span(text, start, cut)
        if s < e:
            yield s, e
        start = cut
    s, e = _strip_span(text, start, end)
    if s < e:
        yield s, e


def heading_title(line: str, is_markdown: bool) -> str | None:
    """The section title if this line is a heading, else None."""
    stripped = line.strip()
    if is_markdown:
        m = MD_HEADING.match(stripped)
        return m.group(2) if m else None
    if not stripped or len(stripped) > HEADING_MAX_CHARS:
        return None
    if any(ch in NOT_HEADING_CHARS for ch in stripped) or stripped[-1] == ".":
        return None
    return stripped


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line without its line break (handles \\n, \\r\\n and \\r)."""
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if m.start() == m.end():
            break
        line_end = m.end()
        while line_end > m.start() and text[line_end - 1] in "\r\n":
            line_end -= 1
        yield m.start(), line_end


def _blocks(doc: Document) -> Iterator[tuple[str, int, int]]:
    """("heading", s, e) or ("text", s, e) blocks. Plain text: one paragraph per line.
    Markdown: paragraphs are runs of lines separated by blank lines."""
    text = doc.text
    run: tuple[int, int] | None = None
    named = None if doc.headings is None else frozenset(doc.headings)
    for s, e in _lines(text):
        line = text[s:e]
        heading = heading_title(line, doc.is_markdown) is not None if named is None else s in named
        if not line.strip() or heading:
            if run:
                yield ("text", *run)
                run = None
            if line.strip():
                yield ("heading", s, e)
            continue
        if not doc.is_markdown:
            yield ("text", s, e)
        else:
            run = (run[0], e) if run else (s, e)
    if run:
        yield ("text", *run)


def _demote_trailing_headings(doc: Document, blocks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A heading introduces text; short plain-text lines after the last paragraph (a byline,
    "（完）") are text themselves."""
    if doc.is_markdown:
        return blocks
    last_text = max((i for i, b in enumerate(blocks) if b[0] == "text"), default=-1)
    return [("text", s, e) if i > last_text else (k, s, e) for i, (k, s, e) in enumerate(blocks)]


def _page(doc: Document, offset: int) -> int | None:
    return bisect_right(doc.pages, offset) or 1 if doc.pages else None


def _title(doc: Document, line: str) -> str | None:
    """A heading line's title: as written when the loader named it, else by the text rules."""
    return line.strip() if doc.headings is not None else heading_title(line, doc.is_markdown)


def split_document(doc: Document) -> tuple[list[Paragraph], list[Sentence]]:
    """All paragraphs and sentences of a document, in reading order."""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    section = ""
    in_section = 0
    for kind, s, e in _demote_trailing_headings(doc, list(_blocks(doc))):
        if kind == "heading":
            section = _title(doc, doc.text[s:e]) or section
            in_section = 0
            continue
        s, e = _strip_span(doc.text, s, e)
        if s == e:
            continue
        in_section += 1
        para = Paragraph(doc.doc_id, section, len(paragraphs) + 1, s, e, doc.text[s:e], in_section, _page(doc, s))
        paragraphs.append(para)
        spans = (piece for span in sentence_spans(doc.text, s, e) for piece in capped(doc.text, *span))
        for n, (ss, se) in enumerate(spans, start=1):
            sentences.append(
                Sentence(doc.doc_id, section, para.number, n, ss, se, doc.text[ss:se], in_section, _page(doc, ss))
            )
    return paragraphs, sentences
