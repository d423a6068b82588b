"""The loaders' table: one loader per extension, chosen case-insensitively."""

from pathlib import Path

import pytest

from index.loaders import LOADERS, SUFFIXES, Loaded, LoadError, loader_for
from index.loaders.text import MarkdownLoader, TextLoader


def test_the_table_picks_a_loader_by_extension() -> None:
    assert isinstance(loader_for(Path("a/report.txt")), TextLoader)
    assert isinstance(loader_for(Path("notes.MD")), MarkdownLoader)
    assert set(SUFFIXES) == set(LOADERS) == {".txt", ".md", ".pdf", ".docx", ".html", ".htm"}
    with pytest.raises(KeyError):
        loader_for(Path("slides.pptx"))


def test_a_loader_keeps_the_text_verbatim_and_names_its_encoding() -> None:
    text = "第一段。\r\n  第二段。\n"
    assert loader_for(Path("r.txt")).load(text.encode("utf-8")) == Loaded(text, "utf-8")
    assert loader_for(Path("r.md")).load(text.encode("gb18030")) == Loaded(text, "gb18030")


def test_unreadable_bytes_are_a_load_error() -> None:
    with pytest.raises(LoadError, match="UTF-8 BOM"):
        loader_for(Path("r.txt")).load(b"\xef\xbb\xbf\xff\xfe")
