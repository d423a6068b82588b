"""Web pages through selectolax (MIT, the Lexbor HTML5 parser): the article's text only.

Why selectolax rather than trafilatura: trafilatura guesses the main text with scoring rules and
pulls in a dozen packages (it was GPL before 1.8); a report page's article is found here by its
markup (<article>, <main>, role=main, else the body) after dropping scripts, styles, navigation,
headers, footers, asides and forms, which keeps every kept character predictable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from index.loaders.base import CJK, Loaded, LoadError, TextBuilder, looks_like_heading
from index.loaders.text import decode

DROPPED = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, select, [hidden]"
MAIN = ("article", "main", "[role=main]", "#content", ".content", "body")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCKS = (
    frozenset(
        "p div section article main li ul ol dl dt dd blockquote pre table thead tbody tfoot tr figure figcaption "
        "caption address hr br center details summary".split()
    )
    | HEADINGS
)
CELLS = frozenset({"td", "th"})
CELL_SEPARATOR = " | "
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _decode(data: bytes) -> tuple[str, str]:
    """The page's declared charset if it names one Python knows, else UTF-8, then GB18030."""
    m = META_CHARSET.search(data[:4096])
    if m and not data.startswith(b"\xef\xbb\xbf"):
        name = m.group(1).decode("ascii").lower()
        name = "gb18030" if name in {"gb2312", "gbk"} else name
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _clean(text: str) -> str:
    """Collapse white space as a browser does; a line break between Chinese characters vanishes."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return " ".join(text.split())


def _row(node: Any) -> str:
    cells = [_clean(c.text(deep=True)) for c in node.iter() if c.tag in CELLS]
    return CELL_SEPARATOR.join(cells)


def _walk(node: Any) -> Iterator[tuple[str, bool]]:
    """(line, is_heading): block elements end a line; inline text runs are gathered into one."""
    run: list[str] = []

    def flush() -> Iterator[tuple[str, bool]]:
        text = _clean("".join(run))
        run.clear()
        if text:
            yield text, looks_like_heading(text)

    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            run.append(child.text(deep=False) or "")
        elif tag in HEADINGS:
            yield from flush()
            yield _clean(child.text(deep=True)), True
        elif tag == "tr":
            yield from flush()
            yield _row(child), False
        elif tag in BLOCKS or _has_blocks(child):
            yield from flush()
            yield from _walk(child)
        else:
            run.append(child.text(deep=True) or "")
    yield from flush()


def _has_blocks(node: Any) -> bool:
    return any(n is not node and n.tag in BLOCKS for n in node.traverse())


class HtmlLoader:
    def load(self, data: bytes) -> Loaded:
        from selectolax.lexbor import LexborHTMLParser

        text, encoding = _decode(data)
        tree = LexborHTMLParser(text)
        for node in tree.css(DROPPED):
            node.decompose()
        root = next((n for sel in MAIN for n in tree.css(sel)[:1]), None)
        if root is None:
            raise LoadError("no body text in the page")
        builder = TextBuilder()
        builder.extend((line, heading) for line, heading in _walk(root) if line)
        if not builder.lines:
            raise LoadError("no text in the page (only scripts, navigation or markup)")
        return builder.build(f"html/{encoding}")


__all__ = ["CJK", "HtmlLoader"]
