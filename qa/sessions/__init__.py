"""Session stores: recent turns per session, for follow-up questions. In memory for one process,
SQLite for the workers of one machine, Redis for several machines."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import SessionStoreError
from qa.sessions.base import SessionStore, Turn
from qa.sessions.memory import InMemorySessionStore
from qa.sessions.sqlite import SQLiteSessionStore

if TYPE_CHECKING:
    from qa.sessions.redis import RedisSessionStore


def make_session_store(redis_url: str | None, data_dir: Path, max_turns: int, ttl_seconds: float) -> SessionStore:
    """Redis when a URL is configured, else a SQLite file in the data folder."""
    if redis_url:
        store: SessionStore = __getattr__("RedisSessionStore")(redis_url, max_turns=max_turns, ttl_seconds=ttl_seconds)
        return store
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


def __getattr__(name: str) -> Any:
    """RedisSessionStore on first use: importing the redis client costs a command that never uses it
    a few tenths of a second."""
    if name == "RedisSessionStore":
        return importlib.import_module("qa.sessions.redis").RedisSessionStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
