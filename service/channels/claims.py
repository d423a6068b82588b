"""Exactly-once across worker processes: which worker answers a channel's message, and its reply.

The per-worker ledger (`ledger`) cannot see a retry that lands on another worker. The first worker to see a
message claims its key here (SQLite beside the sessions, or Redis when sessions live there); a
worker that finds the key claimed waits for the published reply instead of asking the engine.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Protocol

from qa.errors import SessionStoreError
from qa.sessions.base import SQLITE_BUSY_TIMEOUT_S
from qa.sessions.redis import GuardedRedis
from service.settings import Settings

# WeChat stops retrying within 15 s; a claim outlives that comfortably. The table, file and key
# names below keep the names they were first deployed with, so running workers keep sharing them.
CLAIM_TTL_SECONDS = 600
PENDING = ""


class SharedReplies(Protocol):
    def claim(self, key: str) -> bool:
        """True for the one caller that should answer this message."""
        ...

    def publish(self, key: str, reply: str) -> None: ...

    def reply(self, key: str) -> str | None:
        """The published reply; None while it is still being computed."""
        ...

    def release(self, key: str) -> None:
        """Give the message up (the answer failed), so that a retry answers it afresh."""
        ...


class SQLiteReplies:
    def __init__(self, path: Path) -> None:
        self.path = path
        with closing(self._connect()) as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS wechat_replies"
                " (key TEXT PRIMARY KEY, reply TEXT NOT NULL, at REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)

    def _run(self, sql: str, *args: object) -> sqlite3.Cursor:
        try:
            with closing(self._connect()) as conn:
                return conn.execute(sql, args)
        except sqlite3.Error as exc:
            raise SessionStoreError(f"cannot use the reply database {self.path}: {exc}") from exc

    def claim(self, key: str) -> bool:
        self._run("DELETE FROM wechat_replies WHERE at < ?", time.time() - CLAIM_TTL_SECONDS)
        return (
            self._run("INSERT OR IGNORE INTO wechat_replies VALUES (?, ?, ?)", key, PENDING, time.time()).rowcount == 1
        )

    def publish(self, key: str, reply: str) -> None:
        self._run("UPDATE wechat_replies SET reply = ? WHERE key = ?", reply, key)

    def reply(self, key: str) -> str | None:
        try:
            with closing(self._connect()) as conn:
                row = conn.execute("SELECT reply FROM wechat_replies WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise SessionStoreError(f"cannot use the reply database {self.path}: {exc}") from exc
        return row[0] if row and row[0] != PENDING else None

    def release(self, key: str) -> None:
        self._run("DELETE FROM wechat_replies WHERE key = ?", key)


class RedisReplies:
    def __init__(self, url: str, prefix: str = "reportqa:wechat:") -> None:
        self.url, self.prefix = url, prefix
        self._redis = GuardedRedis(url)

    def claim(self, key: str) -> bool:
        return bool(self._redis.run(lambda r: r.set(self.prefix + key, PENDING, nx=True, ex=CLAIM_TTL_SECONDS)))

    def publish(self, key: str, reply: str) -> None:
        self._redis.run(lambda r: r.set(self.prefix + key, reply, xx=True, ex=CLAIM_TTL_SECONDS))

    def reply(self, key: str) -> str | None:
        value = self._redis.run(lambda r: r.get(self.prefix + key))
        return value if isinstance(value, str) and value != PENDING else None

    def release(self, key: str) -> None:
        self._redis.run(lambda r: r.delete(self.prefix + key))


def make_shared_replies(settings: Settings) -> SharedReplies:
    """Beside the sessions: Redis when configured, else SQLite in the data folder."""
    if settings.redis_url:
        return RedisReplies(settings.redis_url)
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return SQLiteReplies(settings.data_dir / "wechat_replies.sqlite3")
    except (OSError, sqlite3.Error) as exc:
        raise SessionStoreError(f"cannot use the reply database in {settings.data_dir}: {exc}") from exc
