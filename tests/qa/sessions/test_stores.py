"""One session-store contract, run against memory, a SQLite file and a real redis-server."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import redis

from qa.errors import SessionStoreError
from qa.sessions import (
    InMemorySessionStore,
    RedisSessionStore,
    SessionStore,
    SQLiteSessionStore,
    Turn,
    make_session_store,
)
from qa.sessions.breaker import COOLDOWN_S, FAILURES_TO_OPEN
from qa.sessions.redis import redact_url
from tests.conftest import free_port

MakeStore = Callable[..., SessionStore]


def turn(question: str, age_s: float = 0.0, short: str | None = "1个") -> Turn:
    return Turn(question, question, "quantity", short, time.time() - age_s)


def questions(turns: list[Turn]) -> list[str]:
    return [t.question for t in turns]


@pytest.fixture(params=["memory", "sqlite", "redis"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeStore]:
    """A factory, so each test picks its own bounds; Redis keys get a fresh prefix per test."""
    kind = request.param
    redis_stores: list[RedisSessionStore] = []

    def make(max_turns: int = 8, ttl_seconds: float = 3600) -> SessionStore:
        if kind == "memory":
            return InMemorySessionStore(max_turns=max_turns, ttl_seconds=ttl_seconds)
        if kind == "sqlite":
            return SQLiteSessionStore(tmp_path / "sessions.sqlite3", max_turns=max_turns, ttl_seconds=ttl_seconds)
        url = request.getfixturevalue("redis_url")
        store = RedisSessionStore(url, max_turns, ttl_seconds, prefix=f"test:{uuid.uuid4().hex}:")
        redis_stores.append(store)
        return store

    yield make
    for store in redis_stores:
        store.close()


# --- the contract every store keeps ---


def test_turns_come_back_oldest_first_and_bounded(make_store: MakeStore) -> None:
    store = make_store(max_turns=3)
    for i in range(5):
        store.append("u1", turn(f"问题{i}"))
    assert questions(store.history("u1")) == ["问题2", "问题3", "问题4"]


def test_turns_older_than_the_ttl_are_gone(make_store: MakeStore) -> None:
    store = make_store(ttl_seconds=60)
    store.append("u1", turn("旧问题", age_s=120))
    store.append("u1", turn("新问题"))
    store.append("u2", turn("只有旧的", age_s=61))
    assert questions(store.history("u1")) == ["新问题"]
    assert store.history("u2") == []


def test_reset_forgets_one_session(make_store: MakeStore) -> None:
    store = make_store()
    store.append("u1", turn("一"))
    store.append("u2", turn("二"))
    store.reset("u1")
    store.reset("never-seen")  # resetting nothing is not an error
    assert store.history("u1") == []
    assert questions(store.history("u2")) == ["二"]


def test_an_unknown_session_has_no_history(make_store: MakeStore) -> None:
    assert make_store().history("nobody") == []


def test_turns_round_trip_unchanged(make_store: MakeStore) -> None:
    store = make_store()
    sent = [
        Turn("防护服呢？", "一共发放了多少防护服？", "quantity", "800套", time.time()),
        Turn("“健康守门人”是谁？😷", "“健康守门人”是谁？😷", "name", None, time.time()),
    ]
    for t in sent:
        store.append("用户:张明", t)
    assert store.history("用户:张明") == sent


def test_sessions_do_not_see_each_other(make_store: MakeStore) -> None:
    store = make_store(max_turns=2)
    for sid in ("a", "a:b", "用户"):
        store.append(sid, turn(f"{sid}的问题"))
    assert [questions(store.history(sid)) for sid in ("a", "a:b", "用户")] == [
        ["a的问题"],
        ["a:b的问题"],
        ["用户的问题"],
    ]


# --- SQLite: one file shared by threads and workers ---


def test_two_sqlite_stores_on_one_file_share_sessions(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    worker_a, worker_b = SQLiteSessionStore(path), SQLiteSessionStore(path)
    worker_a.append("u1", turn("发放了多少口罩？"))
    worker_b.append("u1", turn("防护服呢？"))
    assert questions(worker_a.history("u1")) == ["发放了多少口罩？", "防护服呢？"]
    worker_b.reset("u1")
    assert worker_a.history("u1") == []


def test_concurrent_sqlite_appends_lose_nothing(tmp_path: Path) -> None:
    store = SQLiteSessionStore(tmp_path / "sessions.sqlite3", max_turns=1000)
    threads, per_thread = 8, 25

    def work(n: int) -> None:
        for i in range(per_thread):
            store.append("shared", turn(f"{n}-{i}"))
            store.append(f"own-{n}", turn(f"{n}-{i}"))

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(store.history("shared")) == threads * per_thread
    for n in range(threads):
        assert questions(store.history(f"own-{n}")) == [f"{n}-{i}" for i in range(per_thread)]


def append_from_process(path: str, n: int, count: int) -> None:
    store = SQLiteSessionStore(path, max_turns=1000)
    for i in range(count):
        store.append("shared", turn(f"p{n}-{i}"))


def test_sqlite_appends_from_several_processes_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "sessions.sqlite3")
    SQLiteSessionStore(path)  # the schema exists before the workers race for it
    processes, per_process = 4, 25
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        for future in [pool.submit(append_from_process, path, n, per_process) for n in range(processes)]:
            future.result()
    got = questions(SQLiteSessionStore(path, max_turns=1000).history("shared"))
    assert sorted(got) == sorted(f"p{n}-{i}" for n in range(processes) for i in range(per_process))


def test_sqlite_file_is_plain_and_purged(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    store = SQLiteSessionStore(path, ttl_seconds=60)
    store.append("old", turn("过期的问题", age_s=120))
    store.append("new", turn("口罩呢？"))  # appending purges every session's expired turns
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        rows = conn.execute("SELECT session_id, turn FROM turns").fetchall()
    assert len(rows) == 1 and rows[0][0] == "new" and '"口罩呢？"' in rows[0][1]  # readable JSON


def test_an_unusable_sqlite_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(SessionStoreError, match=r"cannot use the session database .*not-a-folder"):
        SQLiteSessionStore(blocker / "sessions.sqlite3")


# --- Redis: a real server ---


def test_redis_keeps_a_readable_list_that_expires(redis_url: str) -> None:
    store = RedisSessionStore(redis_url, max_turns=2, ttl_seconds=60, prefix="test:expiry:")
    for q in ("一", "二", "口罩呢？"):
        store.append("u1", turn(q))
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        raw = client.lrange("test:expiry:u1", 0, -1)
        assert len(raw) == 2 and '"口罩呢？"' in raw[1]
        assert 0 < client.ttl("test:expiry:u1") <= 60
        store.append("u2", turn("过期的问题", age_s=120))
        store.append("u2", turn("新问题"))
        store.history("u2")  # reading drops the expired turns from the list
        assert client.llen("test:expiry:u2") == 1
    finally:
        client.close()
        store.close()


def test_a_redis_that_is_down_is_a_clear_error() -> None:
    port = free_port()  # nothing listens there once the probe socket is closed
    store = RedisSessionStore(f"redis://:secret@127.0.0.1:{port}/0")
    calls: list[Callable[[], object]] = [
        lambda: store.history("u1"),
        lambda: store.append("u1", turn("问题")),
        lambda: store.reset("u1"),
        store.check,
    ]
    for call in calls:
        with pytest.raises(
            SessionStoreError, match=f"cannot reach Redis at redis://:\\*\\*\\*@127.0.0.1:{port}/0: "
        ) as e:
            call()
        assert "secret" not in str(e.value)
    store.close()


def test_redact_url_hides_only_the_password() -> None:
    assert redact_url("redis://user:pw@host:6379/1") == "redis://user:***@host:6379/1"
    assert redact_url("redis://host:6379") == "redis://host:6379"


# --- choosing a store ---


def test_without_a_redis_url_sessions_go_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    store = make_session_store(None, tmp_path / "var" / "data", max_turns=2, ttl_seconds=3600)
    assert isinstance(store, SQLiteSessionStore) and store.max_turns == 2
    assert store.path == tmp_path / "var" / "data" / "sessions.sqlite3" and store.path.exists()


def test_with_a_redis_url_sessions_go_to_redis(redis_url: str, tmp_path: Path) -> None:
    store = make_session_store(redis_url, tmp_path, max_turns=8, ttl_seconds=30)
    assert isinstance(store, RedisSessionStore) and store.ttl_seconds == 30
    store.check()
    store.append("make-session-store", turn("问题"))
    assert questions(store.history("make-session-store")) == ["问题"]
    store.reset("make-session-store")
    store.close()


def test_a_hung_redis_fails_fast_once_the_breaker_opens_and_recovers_without_a_restart(own_redis) -> None:
    store = RedisSessionStore(own_redis.url)
    store.append("u1", turn("问题"))
    own_redis.pause()  # SIGSTOP: connections are accepted, nothing is answered
    try:
        for _ in range(FAILURES_TO_OPEN):
            with pytest.raises(SessionStoreError, match="cannot reach Redis"):
                store.history("u1")  # each waits out the socket timeout once
        with pytest.raises(SessionStoreError, match="failing fast"):
            store.history("u1")  # the breaker is open: Redis is not asked
        assert store._redis.breaker.open_until is not None
    finally:
        own_redis.resume()
    deadline = time.monotonic() + 10 * COOLDOWN_S
    while time.monotonic() < deadline:
        try:
            assert [t.question for t in store.history("u1")] == ["问题"]
            break
        except SessionStoreError:
            time.sleep(0.05)
    else:
        pytest.fail("the store did not recover after Redis came back")
    store.close()


def test_a_killed_redis_is_an_error_and_a_restarted_one_is_used_again(own_redis) -> None:
    store = RedisSessionStore(own_redis.url)
    own_redis.kill()
    with pytest.raises(SessionStoreError, match="cannot reach Redis"):
        store.check()
    own_redis.start()  # the same port, nothing kept: sessions without persistence are lost
    deadline = time.monotonic() + 10 * COOLDOWN_S
    while time.monotonic() < deadline:
        try:
            store.check()
            break
        except SessionStoreError:
            time.sleep(0.05)
    else:
        pytest.fail("the store did not use the restarted Redis")
    assert store.history("u1") == []
    store.close()


def test_a_usable_store_passes_its_readiness_check(make_store: MakeStore) -> None:
    store = make_store()
    store.check()
    store.append("u1", turn("问题"))
    assert questions(store.history("u1")) == ["问题"]
