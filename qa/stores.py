"""Session stores that outlive the process: SQLite for one machine, Redis for several.

Both keep the contract of `InMemorySessionStore`: the last `max_turns` turns of a session, oldest
first, none older than `ttl_seconds`. Several uvicorn workers may share one store, so every write
is a single transaction and nothing is cached in the process.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

from qa.dialogue import SessionStore, Turn
from qa.settings import Settings

# Long enough to ride out another worker's write; short enough that a stuck lock surfaces as an error.
SQLITE_BUSY_TIMEOUT_S = 5.0
# A Redis that is down should fail the request quickly, not hang it.
REDIS_TIMEOUT_S = 2.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    at REAL NOT NULL,
    turn TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_session_at ON turns (session_id, at);
CREATE INDEX IF NOT EXISTS turns_at ON turns (at);
"""


class SessionStoreError(RuntimeError):
    """The session store cannot be used (unreachable server, unwritable file); the message says which."""


def encode_turn(turn: Turn) -> str:
    return json.dumps(asdict(turn), ensure_ascii=False)


def decode_turn(text: str) -> Turn:
    return Turn(**json.loads(text))


def _check_bounds(max_turns: int, ttl_seconds: float) -> None:
    if max_turns < 1:
        raise ValueError(f"max_turns must be at least 1, got {max_turns}")
    if ttl_seconds <= 0:
        raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds}")


class SQLiteSessionStore:
    """Turns in one SQLite file (WAL), shared by the threads and processes of one machine."""

    def __init__(self, path: Path | str, max_turns: int = 8, ttl_seconds: float = 3600) -> None:
        _check_bounds(max_turns, ttl_seconds)
        self.path = Path(path)
        self.max_turns = max_turns
        self.ttl_seconds = ttl_seconds
        try:
            with closing(self._connect()) as conn:
                conn.execute("PRAGMA journal_mode=WAL")  # persistent: set once for every later connection
                conn.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: nothing to share between threads or to inherit across a fork, and
        # opening a local file costs far less than answering a question.
        # isolation_level=None leaves transactions to the explicit BEGIN below.
        return sqlite3.connect(self.path, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)

    def _error(self, exc: sqlite3.Error) -> SessionStoreError:
        return SessionStoreError(f"cannot use the session database {self.path}: {exc}")

    def history(self, session_id: str) -> list[Turn]:
        cutoff = time.time() - self.ttl_seconds
        try:
            with closing(self._connect()) as conn:
                rows = conn.execute(
                    "SELECT turn FROM turns WHERE session_id = ? AND at >= ? ORDER BY id",
                    (session_id, cutoff),
                ).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return [decode_turn(text) for (text,) in rows][-self.max_turns :]

    def append(self, session_id: str, turn: Turn) -> None:
        cutoff = time.time() - self.ttl_seconds
        try:
            with closing(self._connect()) as conn:
                # IMMEDIATE takes the write lock up front, so two workers appending to one session
                # cannot interleave their insert and trim.
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute(
                        "INSERT INTO turns (session_id, at, turn) VALUES (?, ?, ?)",
                        (session_id, turn.at, encode_turn(turn)),
                    )
                    conn.execute(
                        "DELETE FROM turns WHERE session_id = ? AND id NOT IN "
                        "(SELECT id FROM turns WHERE session_id = ? ORDER BY id DESC LIMIT ?)",
                        (session_id, session_id, self.max_turns),
                    )
                    conn.execute("DELETE FROM turns WHERE at < ?", (cutoff,))  # every session's expired turns
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def reset(self, session_id: str) -> None:
        try:
            with closing(self._connect()) as conn:
                conn.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def check(self) -> None:
        """Raise SessionStoreError unless the database can be read (for health checks)."""
        try:
            with closing(self._connect()) as conn:
                conn.execute("SELECT 1 FROM turns LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc


def redact_url(url: str) -> str:
    """The URL without its password, fit for an error message or a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class RedisSessionStore:
    """Turns in a Redis list per session, shared by every worker and machine that reaches the server."""

    def __init__(
        self,
        url: str,
        max_turns: int = 8,
        ttl_seconds: float = 3600,
        prefix: str = "reportqa:session:",
    ) -> None:
        _check_bounds(max_turns, ttl_seconds)
        self.url = url
        self.max_turns = max_turns
        self.ttl_seconds = ttl_seconds
        self.prefix = prefix
        # Connects lazily: constructing the store never fails on a server that is down.
        self._redis = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            socket_timeout=REDIS_TIMEOUT_S,
        )

    def _key(self, session_id: str) -> str:
        return self.prefix + session_id

    def _error(self, exc: redis.RedisError) -> SessionStoreError:
        return SessionStoreError(f"cannot reach Redis at {redact_url(self.url)}: {exc}")

    def history(self, session_id: str) -> list[Turn]:
        key = self._key(session_id)
        cutoff = time.time() - self.ttl_seconds
        try:
            raw: list[str] = self._redis.lrange(key, 0, -1)  # type: ignore[assignment]
            turns = [(text, decode_turn(text)) for text in raw]
            expired = [text for text, t in turns if t.at < cutoff]
            if expired:
                # LREM by value, not LTRIM by position: a concurrent append may have moved the positions.
                with self._redis.pipeline(transaction=True) as pipe:
                    for text in expired:
                        pipe.lrem(key, 1, text)
                    pipe.execute()
        except redis.RedisError as exc:
            raise self._error(exc) from exc
        return [t for _, t in turns if t.at >= cutoff][-self.max_turns :]

    def append(self, session_id: str, turn: Turn) -> None:
        key = self._key(session_id)
        try:
            with self._redis.pipeline(transaction=True) as pipe:
                pipe.rpush(key, encode_turn(turn))
                pipe.ltrim(key, -self.max_turns, -1)
                # The whole session goes once its newest turn is past the TTL.
                pipe.expire(key, max(1, round(self.ttl_seconds)))
                pipe.execute()
        except redis.RedisError as exc:
            raise self._error(exc) from exc

    def reset(self, session_id: str) -> None:
        try:
            self._redis.delete(self._key(session_id))
        except redis.RedisError as exc:
            raise self._error(exc) from exc

    def check(self) -> None:
        """Raise SessionStoreError unless Redis answers (for health checks)."""
        try:
            self._redis.ping()
        except redis.RedisError as exc:
            raise self._error(exc) from exc

    def close(self) -> None:
        self._redis.close()


def make_session_store(settings: Settings) -> SessionStore:
    """Redis when a URL is configured, else a SQLite file in the data folder."""
    if settings.redis_url:
        return RedisSessionStore(
            settings.redis_url,
            max_turns=settings.session_max_turns,
            ttl_seconds=settings.session_ttl_seconds,
        )
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SessionStoreError(f"cannot create the data folder {settings.data_dir}: {exc}") from exc
    return SQLiteSessionStore(
        settings.data_dir / "sessions.sqlite3",
        max_turns=settings.session_max_turns,
        ttl_seconds=settings.session_ttl_seconds,
    )
