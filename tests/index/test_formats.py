"""PDF, Word and web pages made by real tools from the bundled report read as the .txt does."""

from __future__ import annotations

import logging
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from index.documents import read_documents
from index.loaders import LoadError, loader_for
from index.loaders.base import is_numbered_heading
from index.loaders.docx import DocxLoader
from index.split import split_document
from tests.conftest import REPORT_DIR
from tests.made_documents import REPORT, RUNNING_HEADER, convert, report_body, write_fodt


def load(path: Path) -> str:
    return loader_for(path).load(path.read_bytes()).text


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report.html"])
def test_each_format_reads_as_the_text_file(made: dict[str, Path], name: str) -> None:
    # Headers, footers, page numbers, navigation and scripts gone; PDF lines joined without spaces.
    assert load(made[name]) == REPORT.strip() + "\n"


def test_pdf_sentences_know_their_page(made: dict[str, Path], tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(made["report.pdf"], docs)
    (doc,) = read_documents(docs)
    assert len(doc.pages) >= 3 and RUNNING_HEADER not in doc.text and "第 1 页" not in doc.text
    paragraphs, sentences = split_document(doc)
    assert [p.section for p in paragraphs] == [p.section for p in split_document_txt()]
    with pdfplumber.open(made["report.pdf"]) as pdf:
        page_texts = ["".join((p.extract_text(x_tolerance_ratio=0.3) or "").split()) for p in pdf.pages]
    for s in sentences:
        assert s.page is not None and doc.text[s.start : s.end] == s.text
        head = "".join(s.text.split())[:8]  # the sentence starts on its page
        assert head in page_texts[s.page - 1], (s.page, s.text)
    assert {s.page for s in sentences} == set(range(1, len(page_texts) + 1))


def split_document_txt() -> list:  # type: ignore[type-arg]
    docs = read_documents(REPORT_DIR)
    return split_document(docs[0])[0]


@pytest.mark.parametrize("name", ["table.pdf", "table.docx"])
def test_tables_are_rows_of_text(made: dict[str, Path], name: str) -> None:
    lines = load(made[name]).splitlines()
    assert lines[-3:] == ["物资 | 数量", "口罩 | 16万个", "防护服 | 6000套"]
    assert "物资统计" in lines


def test_a_web_page_keeps_the_article_only(made: dict[str, Path]) -> None:
    text = load(made["report.html"])
    for noise in ("首页", "新闻中心", "相关阅读", "版权所有", "99万", "dataLayer", "font-family"):
        assert noise not in text


def test_numbered_headings() -> None:
    for line in ("一、基本情况", "（二）工作措施", "第三章 总结", "1. 概述", "2.1 物资保障", "3、成效"):
        assert is_numbered_heading(line), line
    for line in ("1.加强防控。", "3名老交警蹲守查控点", "2.5万人次参与", "一、加强领导，压实责任。"):
        assert not is_numbered_heading(line), line


def bad_files(made: dict[str, Path], folder: Path) -> dict[str, str]:
    """file name -> what its warning must say."""
    pdf = made["report.pdf"].read_bytes()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    (folder / "notes.docx").write_bytes(b"this is not a zip archive")
    shutil.copy(made["scan.pdf"], folder / "scan.pdf")
    bomb = folder / "bomb.docx"
    shutil.copy(made["report.docx"], bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as z, z.open("word/media/x.bin", "w") as f:
        for _ in range(210):
            f.write(bytes(1 << 20))
    (folder / "blank.html").write_text("<html><body><script>alert(1)</script><nav>首页</nav></body></html>")
    return {
        "empty.pdf": "empty",
        "truncated.pdf": "PDF",
        "garbage.pdf": "PDF",
        "notes.docx": "not a zip",
        "scan.pdf": "needs OCR",
        "bomb.docx": "MB limit",
        "blank.html": "no text",
    }


def test_bad_files_are_skipped_with_one_warning_each(
    made: dict[str, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(made["report.docx"], docs / "good.docx")
    expected = bad_files(made, docs)
    with caplog.at_level(logging.WARNING, logger="index.documents"):
        documents = read_documents(docs)
    assert [d.doc_id for d in documents] == ["good"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == len(expected)
    for name, reason in expected.items():
        (line,) = [w for w in warnings if f"/{name}:" in w]
        assert reason in line and "\n" not in line


def test_encrypted_pdf_says_so(made: dict[str, Path], tmp_path: Path) -> None:
    src = write_fodt("secret", report_body("密件\n内容。\n"), tmp_path)
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"pw"}}'
    (pdf,) = convert([src], f"pdf:writer_pdf_Export:{options}", tmp_path)
    with pytest.raises(LoadError, match="encrypted"):
        load(pdf)


def test_zip_bomb_guard_counts_declared_sizes(made: dict[str, Path]) -> None:
    data = made["report.docx"].read_bytes()
    assert DocxLoader().load(data).text.startswith("中国江苏网")
    with pytest.raises(LoadError, match="over the 0 MB limit"):
        DocxLoader().load(data, limit=1000)
