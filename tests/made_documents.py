"""Real PDF, Word and web-page versions of a report, made by real tools.

LibreOffice lays the report out (running header, page-number footer, larger bold headings, a body
font large enough for several pages) and exports it to PDF and .docx; the web page wraps the
article in navigation, a header, a script and a footer, as news sites do.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from index.split import heading_title

RUNNING_HEADER = "连云港市公安局工作简报"
REPORT = (Path(__file__).resolve().parents[1] / "docs_src" / "report.txt").read_text(encoding="utf-8")
TABLE = [["物资", "数量"], ["口罩", "16万个"], ["防护服", "6000套"]]
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
STYLES = """<office:styles>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="1cm"/>
  <style:text-properties fo:font-size="15pt"
  style:font-size-asian="15pt"/></style:style>
 <style:style style:name="Head" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm"/>
  <style:text-properties fo:font-size="20pt" style:font-size-asian="20pt" fo:font-weight="bold"
  style:font-weight-asian="bold"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000"
  fo:padding="0.1cm"/></style:style>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm"
 fo:page-height="29.7cm" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
 <style:header-style/><style:footer-style/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">{running}
</style:master-page></office:master-styles>"""
RUNNING = """<style:header><text:p>{header}</text:p></style:header>
 <style:footer><text:p>第 <text:page-number text:select-page="current"/> 页</text:p></style:footer>"""


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:  # fail, not skip: CI installs it, so a missing LibreOffice is a broken setup
        pytest.fail("LibreOffice not found: run `apt-get install -y libreoffice-writer-nogui` (Debian's package)")
    return found


def flat_odt(body: str, header: str | None = RUNNING_HEADER) -> str:
    """A flat ODF text document; `header` None leaves out the running header and page footer."""
    running = "" if header is None else RUNNING.format(header=escape(header))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
        f'office:mimetype="application/vnd.oasis.opendocument.text">'
        f"{STYLES.format(running=running)}<office:body><office:text>{body}</office:text></office:body>"
        "</office:document>"
    )


def report_body(text: str) -> str:
    """The report's lines as LibreOffice paragraphs: its short lines as headings."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if heading_title(line, is_markdown=False) is not None:
            out.append(f'<text:h text:outline-level="1" text:style-name="Head">{escape(line)}</text:h>')
        else:
            out.append(f'<text:p text:style-name="Body">{escape(line)}</text:p>')
    return "".join(out)


def table_body(rows: list[list[str]]) -> str:
    cell = '<table:table-cell table:style-name="Cell"><text:p>{}</text:p></table:table-cell>'
    cells = "".join(
        "<table:table-row>" + "".join(cell.format(escape(c)) for c in r) + "</table:table-row>" for r in rows
    )
    cols = f'<table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
    return f'<table:table table:name="T1">{cols}{cells}</table:table>'


def shape_only_body() -> str:
    """A page with a drawing and no text: what a scan looks like to a text extractor."""
    return (
        '<text:p><draw:rect draw:name="r" text:anchor-type="paragraph" svg:width="12cm" svg:height="8cm" '
        'svg:x="1cm" svg:y="1cm"/></text:p>'
    )


def convert(sources: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """All sources in one LibreOffice run (starting it costs seconds)."""
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{out_dir / '.lo-profile'}", "--headless",
         "--convert-to", fmt, "--outdir", str(out_dir), *map(str, sources)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    made = [out_dir / f"{src.stem}.{fmt.split(':')[0]}" for src in sources]
    missing = [m.name for m in made if not m.is_file()]
    assert not missing, f"LibreOffice made no {missing}"
    return made


def write_fodt(name: str, body: str, out_dir: Path, header: str | None = RUNNING_HEADER) -> Path:
    src_dir = out_dir / "src"
    src_dir.mkdir(parents=True, exist_ok=True)
    fodt = src_dir / f"{name}.fodt"
    fodt.write_text(flat_odt(body, header), encoding="utf-8")
    return fodt


def web_page(text: str, title: str = "连云港市公安局") -> str:
    """The report as a news site's page: navigation, header, script and footer around the article."""
    parts = []
    for line in text.splitlines():
        if not line.strip():
            continue
        tag = "h2" if heading_title(line, is_markdown=False) is not None else "p"
        parts.append(f"<{tag}>{html.escape(line)}</{tag}>")
    article = "\n".join(parts)
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif }}</style>
<script>window.dataLayer = []; function track() {{ return "口罩99万个"; }}</script></head>
<body>
<header><a href="/">首页</a> <span>{title}官方网站</span></header>
<nav><ul><li><a href="/news">新闻中心</a></li><li><a href="/notice">通知公告</a></li><li>警务公开</li></ul></nav>
<main><article>
{article}
</article>
<aside><h3>相关阅读</h3><ul><li>全市交通安全形势平稳</li></ul></aside></main>
<footer>版权所有 © 2020 {title}　苏ICP备12345678号<script>track()</script></footer>
</body></html>
"""


def make_all(out: Path) -> dict[str, Path]:
    """report.pdf/.docx/.html, table.pdf/.docx and scan.pdf (no text layer), by file name."""
    report = write_fodt("report", report_body(REPORT), out)
    table = write_fodt("table", report_body("物资统计\n本次共发放以下物资。\n") + table_body(TABLE), out)
    scan = write_fodt("scan", shape_only_body(), out, header=None)
    pdfs = convert([report, table, scan], "pdf", out)
    docxs = convert([report, table], "docx", out)
    (out / "report.html").write_text(web_page(REPORT), encoding="utf-8")
    return {p.name: p for p in [*pdfs, *docxs, out / "report.html"]}
