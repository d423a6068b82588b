"""What every session store keeps: the last `max_turns` turns of a session, oldest first, none older
than `ttl_seconds`. The contract tests in `tests/qa/sessions/test_stores.py` hold each store to it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Protocol

# Long enough to ride out another worker's write; short enough that a stuck lock surfaces as an error.
SQLITE_BUSY_TIMEOUT_S = 5.0
# A Redis that is down or hung should fail the request quickly, not hang it: a local or LAN Redis
# answers in about a millisecond, so half a second means it is in trouble.
REDIS_TIMEOUT_S = 0.5


@dataclass(frozen=True, slots=True)
class Turn:
    question: str  # as asked
    resolved: str  # as understood
    answer_type: str
    short_answer: str | None
    at: float  # unix time


class SessionStore(Protocol):
    def history(self, session_id: str) -> list[Turn]: ...

    def append(self, session_id: str, turn: Turn) -> None: ...

    def reset(self, session_id: str) -> None: ...

    def check(self) -> None:
        """Raise SessionStoreError unless the store can be used now (for readiness checks)."""
        ...


def encode_turn(turn: Turn) -> str:
    return json.dumps(asdict(turn), ensure_ascii=False)


def decode_turn(text: str) -> Turn:
    return Turn(**json.loads(text))


def check_bounds(max_turns: int, ttl_seconds: float) -> None:
    if max_turns < 1:
        raise ValueError(f"max_turns must be at least 1, got {max_turns}")
    if ttl_seconds <= 0:
        raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds}")
