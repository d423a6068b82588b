"""Exactly-once answers for a chat channel's retries.

WeChat, for one, gives a callback 5 s, then sends the same message again, up to three times. Each message's
reply is computed once, as an asyncio task kept here under the message's key: a retry, even one
arriving while the first attempt is still computing, waits on the same task instead of asking the
engine again. The ledger is bounded (least recently used entries go first) and entries expire,
since WeChat stops retrying well within the expiry. One ledger per worker process (made by the app's
lifespan); across workers, `claims` decides which worker answers.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

MAX_ENTRIES = 10_000
TTL_SECONDS = 600.0


@dataclass(slots=True)
class Entry:
    task: asyncio.Task[str]
    created: float


class Ledger:
    def __init__(self, max_entries: int = MAX_ENTRIES, ttl: float = TTL_SECONDS) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> asyncio.Task[str] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry.created > self.ttl:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry.task

    def put(self, key: str, task: asyncio.Task[str]) -> None:
        self._entries[key] = Entry(task, time.monotonic())
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def pop(self, key: str) -> asyncio.Task[str] | None:
        task = self.get(key)
        self._entries.pop(key, None)
        return task

    def forget(self, key: str, task: asyncio.Task[str]) -> None:
        """Drop `key` if it still holds `task` (a failed computation, so a retry tries again)."""
        entry = self._entries.get(key)
        if entry is not None and entry.task is task:
            del self._entries[key]

    def claim(self, key: str, compute: Callable[[], Awaitable[str]]) -> asyncio.Task[str]:
        """The task computing `key`'s reply: the one already started, or a new one. There is no
        `await` between the look-up and the insert, so two requests on the event loop cannot both
        start one."""
        task = self.get(key)
        if task is None:
            task = asyncio.ensure_future(compute())
            self.put(key, task)
        return task


async def within(task: asyncio.Task[str], budget: float) -> str | None:
    """The task's result if it is ready within `budget` seconds, else None; the task itself keeps
    running (shielded from the timeout) so that a later retry gets its result."""
    try:
        return await asyncio.wait_for(asyncio.shield(task), budget)
    except TimeoutError:
        return None
