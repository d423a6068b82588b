"""Shared claims across workers: the first claim wins, a published reply is seen by everyone, a
released claim can be taken again; on SQLite and on a real Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.errors import SessionStoreError
from service.channels.claims import RedisReplies, SharedReplies, SQLiteReplies, make_shared_replies
from service.settings import Settings


@pytest.fixture(params=["sqlite", "redis"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SharedReplies]:
    if request.param == "sqlite":
        yield SQLiteReplies(tmp_path / "replies.sqlite3")
    else:
        yield RedisReplies(request.getfixturevalue("redis_url"), prefix=f"test:{uuid.uuid4().hex}:")


def test_one_claim_per_message_and_its_reply_for_everyone(shared: SharedReplies) -> None:
    assert shared.claim("m1") is True
    assert shared.claim("m1") is False  # another worker: wait for the reply instead
    assert shared.reply("m1") is None  # still being computed
    shared.publish("m1", "3万个")
    assert shared.reply("m1") == "3万个"
    assert shared.claim("m2") is True


def test_a_released_message_can_be_claimed_again(shared: SharedReplies) -> None:
    assert shared.claim("m3")
    shared.release("m3")
    assert shared.reply("m3") is None
    assert shared.claim("m3")


def test_the_store_follows_the_settings(tmp_path: Path, redis_url: str) -> None:
    sqlite = make_shared_replies(Settings(data_dir=tmp_path / "data"))
    assert isinstance(sqlite, SQLiteReplies) and sqlite.path.parent == tmp_path / "data"
    assert isinstance(make_shared_replies(Settings(data_dir=tmp_path, redis_url=redis_url)), RedisReplies)


def test_an_unusable_folder_is_a_session_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SessionStoreError, match="cannot use the reply database"):
        make_shared_replies(Settings(data_dir=blocker / "data"))
