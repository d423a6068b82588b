"""One loader per document format, chosen from a table by file extension.

A loader turns a file's bytes into the text that every offset points into (`Loaded`). Text and
Markdown are that text verbatim; PDF, Word and HTML are extracted into one paragraph per line, with
the heading lines and the page starts named, because their bytes are not text a reader could quote.
Loaders import their parsing library on first use: a command that never reads a PDF never pays for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from index.loaders.base import Loaded, LoadError
from index.loaders.docx import DocxLoader
from index.loaders.html import HtmlLoader
from index.loaders.pdf import PdfLoader
from index.loaders.text import MarkdownLoader, TextLoader


class Loader(Protocol):
    def load(self, data: bytes) -> Loaded:
        """The text of a file's bytes; raises LoadError (saying why) when they cannot be read."""
        ...


LOADERS: dict[str, Loader] = {
    ".txt": TextLoader(),
    ".md": MarkdownLoader(),
    ".pdf": PdfLoader(),
    ".docx": DocxLoader(),
    ".html": HtmlLoader(),
    ".htm": HtmlLoader(),
}
SUFFIXES = tuple(LOADERS)


def loader_for(path: Path) -> Loader:
    """The loader for a file by its extension (case-insensitive); KeyError for an unknown one."""
    return LOADERS[path.suffix.lower()]


__all__ = ["LOADERS", "SUFFIXES", "LoadError", "Loaded", "Loader", "loader_for"]
