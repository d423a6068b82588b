"""Word (.docx) through python-docx (MIT): body paragraphs and tables in document order.

A .docx is a zip archive. Its declared sizes are checked before anything is unpacked: a small file
that expands to gigabytes (a zip bomb) is refused. Python's zipfile never inflates an entry past its
declared size, so the declared total bounds what parsing can allocate.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from index.loaders.base import Loaded, LoadError, TextBuilder, is_numbered_heading, looks_like_heading

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
CELL_SEPARATOR = " | "


def check_archive(data: bytes, limit: int = MAX_UNPACKED_BYTES) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise LoadError(f"not a Word .docx file (not a zip archive: {exc})") from exc
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limit:
        raise LoadError(f"it would expand to {unpacked // 2**20} MB, over the {limit // 2**20} MB limit (a zip bomb?)")
    if "word/document.xml" not in {info.filename for info in infos}:
        raise LoadError("not a Word .docx file (no word/document.xml inside)")


def _styled_heading(paragraph: Any) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.startswith(("Heading", "Title", "标题")) or name.lower().startswith("heading")


def _blocks(document: Any) -> Iterator[tuple[str, bool]]:
    """(line, is_heading) for each paragraph and each table row, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text
            styled = _styled_heading(paragraph)
            yield text, styled or is_numbered_heading(text) or looks_like_heading(text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                # Merged cells repeat the same cell object: keep each once.
                cells = list(dict.fromkeys(row.cells))
                yield CELL_SEPARATOR.join(" ".join(c.text.split()) for c in cells), False


class DocxLoader:
    def load(self, data: bytes, limit: int = MAX_UNPACKED_BYTES) -> Loaded:
        check_archive(data, limit)
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
            builder = TextBuilder()
            builder.extend(_blocks(document))
        except Exception as exc:  # a damaged file can make the parser raise anything
            raise LoadError(f"a damaged Word file ({exc.__class__.__name__}: {exc})") from exc
        return builder.build("docx")
