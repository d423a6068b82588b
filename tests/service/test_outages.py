"""A real `reportqa serve` process through what goes wrong: a docs folder with nothing to index,
an index still being built, a link to a file outside the docs folder, a Redis that is killed or
paused (SIGSTOP). Every loop is bounded."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, RedisProcess, write_reports
from tests.service.servers import readiness, served, wait_ready
from tests.service.test_app import assert_error

POLL_LIMIT = 300  # × 0.1 s


def until(check, what: str):  # type: ignore[no-untyped-def]
    for _ in range(POLL_LIMIT):
        result = check()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"never happened: {what}")


def ask(url: str, question: str = "一线医护人员领到了多少个口罩？", session_id: str = "s1") -> httpx.Response:
    return httpx.post(f"{url}/v1/ask", json={"question": question, "session_id": session_id}, timeout=10)


def test_headings_only_is_the_no_readable_report_line(tmp_path: Path) -> None:
    docs = write_reports(tmp_path / "docs", {"a.md": "# 标题\n\n## 小节\n", "b.md": "# 工作报告\n\n### 防疫物资\n"})
    build = subprocess.run(
        [sys.executable, "-m", "cli", "index", "build", "--docs", str(docs), "--index", str(tmp_path / "index")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 1 and build.stderr.count("\n") == 1
    assert "no readable report" in build.stderr and "Traceback" not in build.stderr
    with served(docs, tmp_path / "index", tmp_path / "data", ready=False) as (url, _):
        r = until(
            lambda: (r := readiness(url)) is not None and r.status_code == 503 and "no readable" in r.text and r,
            "readyz names the missing report",
        )
        assert_error(r, 503, "index_unavailable")
        assert_error(ask(url), 503)


def test_serve_listens_while_it_builds_and_says_how_far(tmp_path: Path) -> None:
    lines = "".join(f"第{i}批志愿者在第{i}社区值守，登记出入人员{i * 7}人次。\n" for i in range(1, 400))
    docs = write_reports(tmp_path / "docs", {"big.txt": "值守记录\n" + lines})
    with served(docs, tmp_path / "index", tmp_path / "data", ready=False) as (url, proc):
        seen: list[httpx.Response] = []
        wait_ready(url, proc, seen)
    building = [r for r in seen if r.status_code == 503]
    assert building, "the server answered only once the index was built"
    assert building[0].json()["error"]["code"] == "index_building" and building[0].headers["retry-after"]
    assert any("embedding sentences" in r.json()["error"]["message"] for r in building)


def test_a_link_to_a_file_outside_the_docs_is_never_served(tmp_path: Path) -> None:
    docs = write_reports(tmp_path / "docs")
    (tmp_path / "secret.txt").write_text("服务器密码是hunter2。\n", encoding="utf-8")
    (docs / "leak.txt").symlink_to(tmp_path / "secret.txt")
    with served(docs, tmp_path / "index", tmp_path / "data") as (url, _):
        assert_error(httpx.get(f"{url}/v1/paragraph", params={"doc_id": "leak", "paragraph_index": 1}), 404)
        r = ask(url, "服务器密码是什么？").json()
        assert "hunter2" not in r["answer"]


@pytest.fixture
def redis_server(own_redis: RedisProcess, tiny_index_dir: tuple[Path, Path], tmp_path: Path):  # type: ignore[no-untyped-def]
    docs, index = tiny_index_dir
    with served(docs, index, tmp_path / "data", QA_REDIS_URL=own_redis.url) as (url, _):
        yield url, own_redis


def test_readiness_follows_redis_down_and_back(redis_server: tuple[str, RedisProcess]) -> None:
    url, redis = redis_server
    assert ask(url).status_code == 200
    redis.kill()
    r = until(lambda: (r := readiness(url)) is not None and r.status_code == 503 and r, "readyz says 503")
    assert_error(r, 503, "session_store_unavailable")
    assert_error(ask(url), 503, "session_store_unavailable")
    redis.start()  # no restart of the server
    until(lambda: (r := readiness(url)) is not None and r.status_code == 200, "readyz ready again")
    assert ask(url).json()["short_answer"] == "3万个"


def test_a_paused_redis_gives_fast_503s_and_recovers(redis_server: tuple[str, RedisProcess]) -> None:
    url, redis = redis_server
    assert ask(url).status_code == 200
    redis.pause()
    try:
        # Every request ends (none hangs on the store: httpx's 10 s timeout would raise), and once
        # the breaker is open they fail without waiting on Redis at all.
        with ThreadPoolExecutor(8) as pool:
            during = list(pool.map(lambda i: ask(url, session_id=f"p{i}"), range(32)))
        assert {r.status_code for r in during} == {503}
        assert any("failing fast" in r.json()["error"]["message"] for r in during)
        assert_error(readiness(url), 503, "session_store_unavailable")  # type: ignore[arg-type]
    finally:
        redis.resume()
    until(lambda: ask(url).status_code == 200, "answers again after the pause")


def test_sessions_survive_nothing_but_a_redis_restart_without_persistence(
    redis_server: tuple[str, RedisProcess],
) -> None:
    url, redis = redis_server
    assert ask(url, session_id="kept").json()["short_answer"] == "3万个"
    assert ask(url, "防护服呢？", session_id="kept").json()["short_answer"] == "800套"
    redis.kill()
    redis.start()
    until(lambda: (r := readiness(url)) is not None and r.status_code == 200, "ready again")
    assert ask(url, "防护服呢？", session_id="kept").json()["resolved_question"] == "防护服呢？"  # the session is lost
