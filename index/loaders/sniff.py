"""A file's format from its bytes, not its name: an upload named `report.pdf` may be anything.

Returns the suffix of the loader that reads it, or None when no loader does (an image, a legacy
`.doc`, an archive, binary noise). A file that looks like a format but is damaged inside (a
truncated PDF, a broken zip) is still named by its format: its loader then says what is wrong.
"""

from __future__ import annotations

import io
import zipfile

from index.loaders.text import UndecodableError, decode

HEAD_BYTES = 2048
# Control characters other than tab, newlines and form feed: text has almost none of them.
MAX_CONTROL_SHARE = 0.01
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")


def _zip_suffix(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return ".docx"  # a damaged zip: the Word loader says why it cannot read it
    return ".docx" if "word/document.xml" in names else None


def _is_text(data: bytes) -> bool:
    try:
        text, _ = decode(data)
    except UndecodableError:
        return False
    if "\x00" in text:
        return False
    control = sum(1 for ch in text[: HEAD_BYTES * 4] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return control <= MAX_CONTROL_SHARE * min(len(text), HEAD_BYTES * 4)


def sniff(data: bytes, name: str = "") -> str | None:
    """The loader suffix for these bytes (".pdf", ".docx", ".html", ".md" or ".txt"), or None.
    `name` only tells Markdown from plain text, which the bytes cannot."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_suffix(data)
    head = data[:HEAD_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(HTML_STARTS) or (head.startswith(b"<") and b"<body" in head):
        return ".html"
    if not _is_text(data):
        return None
    return ".md" if name.lower().endswith((".md", ".markdown")) else ".txt"
