"""PDF text extraction: pages/s and how the text reads, pdfplumber (what the loader uses) against
pypdfium2, on the bundled report laid out by LibreOffice (15 pt body, running header, page-number
footer; `tests/made_documents.py`). Also .docx and .html load times. Needs LibreOffice.

    python bench/bench_loaders.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.loaders import loader_for
from tests.made_documents import REPORT, RUNNING_HEADER, make_all

SPACED = re.compile(r"[\u4e00-\u9fff] +\d|\d +[\u4e00-\u9fff]")


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def without_running_lines(text: str) -> str:
    """pypdfium2's text with the running header and page-number lines taken out, to compare fairly."""
    keep = [ln for ln in text.splitlines() if ln.strip() not in {RUNNING_HEADER} and not re.match(r"^第 ?\d+ ?页$", ln)]
    return "".join("".join(keep).split())


# pypdfium2's text is compared ignoring all white space and the running header and footer lines.
def pdfium_text(data: bytes) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    body = "".join(REPORT.split())
    with tempfile.TemporaryDirectory() as tmp:
        made = make_all(Path(tmp))
        pdf = made["report.pdf"].read_bytes()
        import pdfplumber

        with pdfplumber.open(made["report.pdf"]) as doc:
            pages = len(doc.pages)
        rows = []
        seconds, loaded = timed(lambda: loader_for(Path("r.pdf")).load(pdf), args.repeat)
        text = loaded.text  # type: ignore[attr-defined]
        rows.append(("pdfplumber (loader)", pages / seconds, len(SPACED.findall(text)), text.strip() == REPORT.strip()))
        seconds, raw = timed(lambda: pdfium_text(pdf), args.repeat)
        joined = without_running_lines(str(raw))
        rows.append(("pypdfium2 get_text_range", pages / seconds, len(SPACED.findall(str(raw))), joined == body))
        print(f"report.pdf: {pages} pages, {len(pdf) // 1024} KB")
        print("| extractor | pages/s | spaces between Chinese and digits | same text as the .txt |")
        print("|---|---|---|---|")
        for name, speed, spaced, same in rows:
            print(f"| {name} | {speed:.1f} | {spaced} | {'yes' if same else 'no'} |")
        for name in ("report.docx", "report.html"):
            data = made[name].read_bytes()
            seconds, _ = timed(lambda d=data, n=name: loader_for(Path(n)).load(d), args.repeat)  # type: ignore[misc]
            print(f"{name}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
