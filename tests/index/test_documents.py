import logging
from pathlib import Path

import pytest

from index.documents import doc_files, docs_fingerprint, read_documents
from index.loaders.text import decode

TEXT = "连云港市公安局发放口罩16万个。\n"


def test_decode_utf8_with_and_without_bom() -> None:
    assert decode(TEXT.encode("utf-8")) == (TEXT, "utf-8")
    assert decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8")) == (TEXT, "utf-8-sig")


def test_decode_gb18030_and_gbk() -> None:
    assert decode(TEXT.encode("gb18030")) == (TEXT, "gb18030")
    assert decode(TEXT.encode("gbk"))[0] == TEXT


def test_reads_txt_and_md_recursively_in_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    (tmp_path / "one.txt").write_bytes(TEXT.encode("gb18030"))
    (tmp_path / "notes.docx").write_bytes(b"ignored")
    (tmp_path / ".hidden.txt").write_text("隐藏。", encoding="utf-8")
    docs = read_documents(tmp_path)
    assert [d.doc_id for d in docs] == ["b/two", "one"]
    assert docs[1].text == TEXT and docs[1].encoding == "gb18030"
    assert docs[0].is_markdown


def test_crlf_text_is_kept_verbatim(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_bytes("第一段。\r\n第二段。\r\n".encode())
    (doc,) = read_documents(tmp_path)
    assert doc.text == "第一段。\r\n第二段。\r\n"


def test_empty_and_undecodable_files_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x81\x30\xff\xfe\x00\x80\x80")
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        docs = read_documents(tmp_path)
    assert [d.doc_id for d in docs] == ["ok"]
    warnings = [r.getMessage() for r in caplog.records]
    assert any("empty.txt" in w and "empty" in w for w in warnings)
    assert any("binary.txt" in w and "cannot read" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_documents(tmp_path / "nope")


def test_fingerprint_covers_every_file_including_skipped_ones(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    assert set(docs_fingerprint(tmp_path)) == {"empty.txt", "ok.txt"}
    assert [p.name for p in doc_files(tmp_path)] == ["empty.txt", "ok.txt"]


def test_files_sharing_a_stem_keep_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("甲。\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("乙。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("丙。\n", encoding="utf-8")
    assert [d.doc_id for d in read_documents(tmp_path)] == ["a.md", "a.txt", "b"]


def test_a_bom_followed_by_broken_bytes_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "broken.txt").write_bytes(b"\xef\xbb\xbf" + "好".encode() + b"\xff\xfe")
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert [d.doc_id for d in read_documents(tmp_path)] == ["ok"]
    assert any("broken.txt" in r.getMessage() and "BOM" in r.getMessage() for r in caplog.records)


def test_links_that_lead_outside_the_docs_folder_are_not_followed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text("报告正文。\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("服务器密码是hunter2。\n", encoding="utf-8")
    (docs / "leak.txt").symlink_to(secret)
    (docs / "passwd.txt").symlink_to("/etc/passwd")
    (docs / "inside.txt").symlink_to(docs / "report.txt")  # a link within the folder is fine
    with caplog.at_level(logging.WARNING, logger="index.documents"):
        docs_read = read_documents(docs)
    assert [d.doc_id for d in docs_read] == ["inside", "report"]
    assert "leak.txt" not in docs_fingerprint(docs)
    warnings = [r.getMessage() for r in caplog.records if "outside" in r.getMessage()]
    assert len(warnings) == 1 and "2 link(s)" in warnings[0] and "leak.txt" in warnings[0]
