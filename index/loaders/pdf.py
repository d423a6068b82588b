"""PDF text layers through pdfplumber (MIT, on pdfminer.six): text as a reader sees it.

Why pdfplumber: on the bundled report exported by LibreOffice it keeps the text in reading order
with no spaces added ("口罩16万个"), while pypdfium2's text inserts spaces between Chinese and digits
("2 月 18 日"), which breaks both quoting and the answer spans; pdfplumber also gives each
character's font size (headings) and finds tables. It is slower (README, bench/bench_loaders.py).

Layout undone here: lines broken by the page width are joined (no space inside Chinese text),
lines repeated at the top or bottom of most pages (running headers, footers) and page numbers are
dropped, a larger font or heading numbering starts a section, and each table row becomes one line
with its cells separated by " | ".
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from index.loaders.base import Loaded, LoadError, is_numbered_heading, join_wrapped, looks_like_heading

PAGE_NUMBER = re.compile(
    r"^[\s\-—–·第]*(?:\d+|[ivxlcdm]+)\s*(?:页|/\s*\d+|of\s*\d+)?(?:\s*共\s*\d+\s*页)?[\s\-—–·]*$", re.I
)
MARGIN_SHARE = 0.12  # running headers and footers sit in the top or bottom 12% of the page
LARGER_FONT = 1.15  # a line this much larger than the body text is a heading
CELL_SEPARATOR = " | "
# A gap wider than this share of the font size is a word space. pdfplumber's default is a fixed
# 3 pt: at 15 pt LibreOffice's 0.2 em spacing between Chinese and digits ("2月18日") passes it and
# "2 月18 日" comes out; spaces typed in the text are characters of their own and are kept.
GAP_RATIO = 0.3
SENTENCE_END = frozenset("。！？；!?;…:：")
CLOSERS = "”’」』)）\"'"


@dataclass(slots=True)
class Line:
    text: str
    page: int
    top: float
    x0: float
    x1: float
    size: float
    row: bool = False  # a table row: a paragraph of its own, never a heading


@dataclass(slots=True)
class Paragraph:
    pieces: list[tuple[int, str]] = field(default_factory=list)  # (page, text)
    heading: bool = False
    row: bool = False

    @property
    def text(self) -> str:
        out = ""
        for _, piece in self.pieces:
            out = join_wrapped(out, piece)
        return out


def _inside(line: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    middle = (float(line["top"]) + float(line["bottom"])) / 2
    return bool(box[1] <= middle <= box[3] and line["x0"] < box[2] and line["x1"] > box[0])


def page_lines(page: Any, number: int) -> list[Line]:
    """The page's text lines and table rows, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    out = []
    for ln in page.extract_text_lines(return_chars=True, strip=True, x_tolerance_ratio=GAP_RATIO):
        if not ln["text"].strip() or any(_inside(ln, b) for b in boxes):
            continue
        size = statistics.median(c["size"] for c in ln["chars"]) if ln["chars"] else 0.0
        out.append(Line(ln["text"], number, ln["top"], ln["x0"], ln["x1"], size))
    for table in tables:
        rows = [r for r in table.extract() if any(c and c.strip() for c in r)]
        for i, row in enumerate(rows):
            text = CELL_SEPARATOR.join(" ".join((c or "").split()) for c in row)
            out.append(Line(text, number, table.bbox[1] + i * 1e-3, table.bbox[0], table.bbox[2], 0.0, row=True))
    return sorted(out, key=lambda ln: ln.top)


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


def drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Without page numbers and the lines repeated in the margins of at least half the pages."""

    def in_margin(ln: Line, height: float) -> bool:
        return ln.top < height * MARGIN_SHARE or ln.top > height * (1 - MARGIN_SHARE)

    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        seen.update({_margin_key(ln.text) for ln in lines if in_margin(ln, height)})
    repeated = {k for k, n in seen.items() if len(pages) > 1 and n >= max(2, (len(pages) + 1) // 2)}
    return [
        [
            ln
            for ln in lines
            if ln.row
            or not in_margin(ln, height)
            or (_margin_key(ln.text) not in repeated and not PAGE_NUMBER.match(ln.text))
        ]
        for lines, height in zip(pages, heights, strict=True)
    ]


def ends_sentence(text: str) -> bool:
    """。 or 。” at the end: a closing quote alone can end a line inside a sentence ("战“疫”")."""
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _breaks(prev: Line, line: Line, body: float, left: float, right: float) -> bool:
    """Whether `line` starts a new paragraph after `prev`: a table row, heading numbering, a font
    change, a first-line indent, or a previous line that stopped short after closing a sentence
    (Chinese line breaking leaves lines a character or two short inside a paragraph too)."""
    if prev.row or line.row or is_numbered_heading(line.text):
        return True
    if abs(line.size - prev.size) > body * 0.1 or prev.size > body * LARGER_FONT:
        return True
    if line.x0 > left + 1.5 * body:
        return True
    short_by = right - prev.x1
    return short_by > (right - left) / 3 or (short_by > 0.5 * body and ends_sentence(prev.text))


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    text_lines = [ln for ln in lines if not ln.row]
    body = Counter(round(ln.size, 1) for ln in text_lines).most_common(1)[0][0] if text_lines else 10.0
    right = max((ln.x1 for ln in text_lines), default=0.0)
    left = min((ln.x0 for ln in text_lines), default=0.0)
    out: list[Paragraph] = []
    prev: Line | None = None
    for line in lines:
        if prev is None or _breaks(prev, line, body, left, right):
            out.append(Paragraph(row=line.row, heading=not line.row and line.size > body * LARGER_FONT))
        out[-1].pieces.append((line.page, line.text))
        prev = line
    for p in out:
        p.heading = not p.row and (p.heading or looks_like_heading(p.text))
    return out


def assemble(paras: list[Paragraph], page_count: int) -> Loaded:
    """One paragraph per line; the offset where each page's text starts."""
    text = ""
    headings: list[int] = []
    starts: dict[int, int] = {}
    for p in paras:
        if p.heading:
            headings.append(len(text))
        line = ""
        for page, piece in p.pieces:
            joined = join_wrapped(line, piece)
            starts.setdefault(page, len(text) + len(joined) - len(piece))
            line = joined
        text += line + "\n"
    pages = []
    following = len(text)
    for page in range(page_count, 0, -1):  # a page without text starts where the next text does
        following = starts.get(page, following)
        pages.append(following)
    return Loaded(text, "pdf", tuple(headings), tuple(reversed(pages)))


def _is_encrypted(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password errors: look through the wrapper's arguments."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    found = [exc, *(a for a in exc.args if isinstance(a, BaseException))]
    return any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) for e in found)


def _open(data: bytes) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # a damaged file can make the parser raise anything
        if _is_encrypted(exc):
            raise LoadError("the PDF is encrypted (password-protected): save a copy without a password") from exc
        raise LoadError(f"a damaged or truncated PDF ({exc.__class__.__name__})") from exc


class PdfLoader:
    def load(self, data: bytes) -> Loaded:
        if not data.lstrip()[:5] == b"%PDF-":
            raise LoadError("not a PDF file (no %PDF- header)")
        with _open(data) as pdf:
            try:
                pages = [page_lines(page, n) for n, page in enumerate(pdf.pages, start=1)]
                heights = [float(page.height) for page in pdf.pages]
            except Exception as exc:  # a damaged file can make the parser raise anything
                raise LoadError(f"a damaged or truncated PDF ({exc.__class__.__name__})") from exc
        if not pages:
            raise LoadError("the PDF has no pages")
        if not any(pages):
            raise LoadError(f"no text layer on its {len(pages)} page(s): a scanned PDF needs OCR first")
        flat = [ln for lines in drop_running_lines(pages, heights) for ln in lines]
        return assemble(paragraphs(flat), len(pages))
