"""One loader per document format, chosen from a table by file extension.

A loader turns a file's bytes into the text that every offset points into, and names the
encoding it read. A new format (PDF, DOCX, HTML) is one module here and one line in `LOADERS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from index.loaders.text import LoadError, MarkdownLoader, TextLoader


class Loader(Protocol):
    def load(self, data: bytes) -> tuple[str, str]:
        """(text, encoding) of a file's bytes; raises LoadError when they cannot be read."""
        ...


LOADERS: dict[str, Loader] = {
    ".txt": TextLoader(),
    ".md": MarkdownLoader(),
}
SUFFIXES = tuple(LOADERS)


def loader_for(path: Path) -> Loader:
    """The loader for a file by its extension (case-insensitive); KeyError for an unknown one."""
    return LOADERS[path.suffix.lower()]


__all__ = ["LOADERS", "SUFFIXES", "LoadError", "Loader", "loader_for"]
