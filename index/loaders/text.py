"""Plain text and Markdown: the file is the text, decoded verbatim (the Markdown structure is read
by `index.split`, which keeps every character in place)."""

from __future__ import annotations

from index.loaders.base import Loaded, LoadError


class UndecodableError(LoadError):
    """The bytes are neither UTF-8 nor GB18030."""


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"a UTF-8 BOM, then bytes that are not UTF-8 (at byte {exc.start + 3})") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UndecodableError(f"neither UTF-8 nor GB18030 ({exc.reason} at byte {exc.start})") from exc


class TextLoader:
    def load(self, data: bytes) -> Loaded:
        return Loaded(*decode(data))


class MarkdownLoader(TextLoader):
    """Markdown is read as text; headings and blank-line paragraphs are found when splitting."""
