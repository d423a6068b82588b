"""Turns in one SQLite file (WAL), shared by the threads and worker processes of one machine.
Every write is a single transaction and nothing is cached in the process."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from qa.errors import SessionStoreError
from qa.sessions.base import SQLITE_BUSY_TIMEOUT_S, Turn, check_bounds, decode_turn, encode_turn

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


class SQLiteSessionStore:
    """Turns in one SQLite file (WAL), shared by the threads and processes of one machine."""

    def __init__(self, path: Path | str, max_turns: int = 8, ttl_seconds: float = 3600) -> None:
        check_bounds(max_turns, ttl_seconds)
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
