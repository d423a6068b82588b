"""`reportqa serve` as a real process on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import free_port, stop

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 120


def readiness(url: str) -> httpx.Response | None:
    try:
        return httpx.get(f"{url}/readyz", timeout=5)
    except httpx.TransportError:
        return None


def wait_ready(url: str, proc: subprocess.Popen[str], seen: list[httpx.Response] | None = None) -> None:
    """Until /readyz says 200 (bounded); every answer on the way is appended to `seen`."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        r = readiness(url)
        if r is not None and seen is not None:
            seen.append(r)
        if r is not None and r.status_code == 200:
            return
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {READY_TIMEOUT_S} s")


def serve_command(docs: Path, index: Path, port: int, workers: int = 1, *extra: str) -> list[str]:
    cmd = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", str(workers), "--quiet"]
    return [*cmd, "--docs", str(docs), "--index", str(index), *extra]


@contextmanager
def served(
    docs: Path, index: Path, data: Path, workers: int = 1, ready: bool = True, **env: str
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A `reportqa serve` process; with `ready`, returns once /readyz is 200."""
    port = free_port()
    full_env = {**os.environ, "QA_DATA_DIR": str(data), **env}
    proc = subprocess.Popen(
        serve_command(docs, index, port, workers),
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if ready:
            wait_ready(url, proc)
        yield url, proc
    finally:
        stop(proc, timeout=20)
