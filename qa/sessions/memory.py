"""Sessions in this process only: the default for the command line and for tests."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from qa.sessions.base import Turn


class InMemorySessionStore:
    """Recent turns per session, bounded in turns, sessions and age; thread-safe."""

    def __init__(self, max_turns: int = 8, ttl_seconds: float = 3600, max_sessions: int = 10_000) -> None:
        self.max_turns = max_turns
        self.ttl_seconds = ttl_seconds
        self.max_sessions = max_sessions
        self._sessions: OrderedDict[str, list[Turn]] = OrderedDict()
        self._lock = threading.Lock()

    def history(self, session_id: str) -> list[Turn]:
        with self._lock:
            turns = self._sessions.get(session_id, [])
            fresh = [t for t in turns if time.time() - t.at <= self.ttl_seconds]
            return list(fresh)

    def append(self, session_id: str, turn: Turn) -> None:
        with self._lock:
            turns = self._sessions.pop(session_id, [])
            self._sessions[session_id] = [*turns, turn][-self.max_turns :]
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)

    def reset(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def check(self) -> None:
        """Always usable: it lives in this process."""
