"""The retry ledger: one task per message, bounded, expiring, and a budget that does not cancel."""

from __future__ import annotations

import asyncio

from service.channels.ledger import Ledger, within


def test_ledger_is_bounded_expires_and_shares_one_task() -> None:
    async def scenario() -> None:
        calls = []

        async def compute() -> str:
            calls.append(1)
            await asyncio.sleep(0.05)
            return "答"

        ledger = Ledger(max_entries=2, ttl=60)
        first = ledger.claim("a", compute)
        assert ledger.claim("a", compute) is first
        assert await within(first, 0.001) is None  # over budget, and the task goes on
        assert await within(first, 5) == "答" and calls == [1]
        ledger.claim("b", compute), ledger.claim("c", compute)
        assert ledger.get("a") is None and len(ledger) == 2
        ledger.ttl = -1
        assert ledger.get("b") is None
        await asyncio.sleep(0.1)

    asyncio.run(scenario())
