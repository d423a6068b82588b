"""A file's format from its bytes: real files made by real tools, and what must be refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from index.loaders.sniff import sniff
from tests.conftest import REPORT_DIR

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200  # a legacy Word .doc


def zipped(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", ["pdf", "docx", "html"])
def test_real_files_are_known_by_their_bytes_whatever_their_name(made: dict[str, Path], suffix: str) -> None:
    assert sniff(made[f"report.{suffix}"].read_bytes(), "upload.bin") == f".{suffix}"


def test_text_in_either_encoding_and_markdown_by_name() -> None:
    text = (REPORT_DIR / "report.txt").read_text(encoding="utf-8")
    assert sniff(text.encode("utf-8"), "r.txt") == ".txt"
    assert sniff(b"\xef\xbb\xbf" + text.encode("utf-8"), "") == ".txt"
    assert sniff(text.encode("gb18030"), "r") == ".txt"
    assert sniff("# 标题\n\n正文。".encode(), "notes.md") == ".md"
    assert sniff("  <!DOCTYPE html><html><body>正文</body></html>".encode(), "a.txt") == ".html"


@pytest.mark.parametrize("data", [PNG, OLE_DOC, zipped("xl/workbook.xml"), b"\x00\x01\x02\x03" * 100])
def test_images_spreadsheets_legacy_word_and_binary_are_refused(data: bytes) -> None:
    assert sniff(data, "report.txt") is None


def test_a_damaged_zip_is_still_named_word_so_its_loader_can_say_why() -> None:
    assert sniff(b"PK\x03\x04" + b"\x00" * 40, "x") == ".docx"
    assert sniff(zipped("word/document.xml"), "x") == ".docx"
