"""Session stores: recent turns per session, for follow-up questions. In memory for one process,
SQLite for the workers of one machine, Redis for several machines."""

from __future__ import annotations

from pathlib import Path

from qa.errors import SessionStoreError
from qa.sessions.base import SessionStore, Turn
from qa.sessions.memory import InMemorySessionStore
from qa.sessions.redis import RedisSessionStore
from qa.sessions.sqlite import SQLiteSessionStore


def make_session_store(redis_url: str | None, data_dir: Path, max_turns: int, ttl_seconds: float) -> SessionStore:
    """Redis when a URL is configured, else a SQLite file in the data folder."""
    if redis_url:
        return RedisSessionStore(redis_url, max_turns=max_turns, ttl_seconds=ttl_seconds)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SessionStoreError(f"cannot create the data folder {data_dir}: {exc}") from exc
    return SQLiteSessionStore(data_dir / "sessions.sqlite3", max_turns=max_turns, ttl_seconds=ttl_seconds)


__all__ = [
    "InMemorySessionStore",
    "RedisSessionStore",
    "SQLiteSessionStore",
    "SessionStore",
    "Turn",
    "make_session_store",
]
