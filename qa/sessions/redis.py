"""Turns in a Redis list per session, shared by every worker and machine that reaches the server."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import redis

from qa.errors import SessionStoreError
from qa.sessions.base import REDIS_TIMEOUT_S, Turn, check_bounds, decode_turn, encode_turn


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
        check_bounds(max_turns, ttl_seconds)
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
