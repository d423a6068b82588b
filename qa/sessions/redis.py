"""Turns in a Redis list per session, shared by every worker and machine that reaches the server."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from qa.errors import SessionStoreError
from qa.sessions.base import REDIS_TIMEOUT_S, Turn, check_bounds, decode_turn, encode_turn
from qa.sessions.breaker import CircuitBreaker

T = TypeVar("T")


def redact_url(url: str) -> str:
    """The URL without its password, fit for an error message or a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class GuardedRedis:
    """A Redis client whose every call is bounded by a tight timeout, is not retried (redis-py
    retries three times with backoff by default: seconds per call on a hung server) and goes
    through a circuit breaker, so a Redis that is down costs a request nothing but a fast error."""

    def __init__(self, url: str) -> None:
        self.url = url
        # Connects lazily: constructing it never fails on a server that is down.
        self.client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            socket_timeout=REDIS_TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),
        )
        self.breaker = CircuitBreaker(f"Redis at {redact_url(url)}")

    def run(self, fn: Callable[[redis.Redis], T]) -> T:
        def guarded() -> T:
            try:
                return fn(self.client)
            except redis.RedisError as exc:
                raise SessionStoreError(f"cannot reach Redis at {redact_url(self.url)}: {exc}") from exc

        return self.breaker.call(guarded)

    def close(self) -> None:
        self.client.close()


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
        self._redis = GuardedRedis(url)

    def _key(self, session_id: str) -> str:
        return self.prefix + session_id

    def history(self, session_id: str) -> list[Turn]:
        key = self._key(session_id)
        cutoff = time.time() - self.ttl_seconds

        def read(r: redis.Redis) -> list[Turn]:
            raw: list[str] = r.lrange(key, 0, -1)  # type: ignore[assignment]
            turns = [(text, decode_turn(text)) for text in raw]
            expired = [text for text, t in turns if t.at < cutoff]
            if expired:
                # LREM by value, not LTRIM by position: a concurrent append may have moved the positions.
                with r.pipeline(transaction=True) as pipe:
                    for text in expired:
                        pipe.lrem(key, 1, text)
                    pipe.execute()
            return [t for _, t in turns if t.at >= cutoff]

        return self._redis.run(read)[-self.max_turns :]

    def append(self, session_id: str, turn: Turn) -> None:
        key = self._key(session_id)

        def write(r: redis.Redis) -> None:
            with r.pipeline(transaction=True) as pipe:
                pipe.rpush(key, encode_turn(turn))
                pipe.ltrim(key, -self.max_turns, -1)
                # The whole session goes once its newest turn is past the TTL.
                pipe.expire(key, max(1, round(self.ttl_seconds)))
                pipe.execute()

        self._redis.run(write)

    def reset(self, session_id: str) -> None:
        self._redis.run(lambda r: r.delete(self._key(session_id)))

    def check(self) -> None:
        """Raise SessionStoreError unless Redis answers (for health checks)."""
        self._redis.run(lambda r: r.ping())

    def close(self) -> None:
        self._redis.close()
