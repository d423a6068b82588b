"""Sessions that outlive a request: several uvicorn workers over SQLite, and Redis."""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import redis

from tests.conftest import free_port, stop
from tests.service.servers import ROOT, serve_command, wait_ready


def follow_up_works(url: str) -> bool:
    first = httpx.post(f"{url}/v1/ask", json={"question": "一线医护人员领到了多少个口罩？"}, timeout=30).json()
    second = httpx.post(
        f"{url}/v1/ask", json={"question": "防护服呢？", "session_id": first["session_id"]}, timeout=30
    ).json()
    return first["short_answer"] == "3万个" and second["short_answer"] == "800套"


def test_two_workers_both_serve_and_share_sessions_through_sqlite(
    tiny_index_dir: tuple[Path, Path], tmp_path: Path
) -> None:
    docs, index = tiny_index_dir
    port = free_port()
    env = {**os.environ, "QA_DATA_DIR": str(tmp_path / "data")}
    cmd = serve_command(docs, index, port, 2, "--no-rebuild")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc)
        # Conversations in parallel, each opening and follow-up on its own connection: the kernel
        # hands connections to either worker. A follow-up only resolves if both read one store.
        with ThreadPoolExecutor(4) as pool:
            assert all(pool.map(lambda _: follow_up_works(url), range(16)))
        assert (tmp_path / "data" / "sessions.sqlite3").is_file()
    finally:
        stop(proc, timeout=20)
    access = [json.loads(line) for line in proc.stderr.read().splitlines() if line.startswith('{"request_id"')]
    asks = [line for line in access if line["path"] == "/v1/ask"]
    assert len(asks) == 32 and all(line["status"] == 200 for line in asks)  # one structured line per request
    assert len({line["pid"] for line in asks}) == 2  # both workers answered


def test_sessions_in_redis(make_server, redis_url: str) -> None:
    with make_server(engine=None, redis_url=redis_url) as url:
        assert follow_up_works(url)
    keys = redis.Redis.from_url(redis_url).keys("reportqa:session:*")
    assert keys
