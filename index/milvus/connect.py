"""Where the Milvus collection lives, and turning its failures into one line that names the fix.

`uri` is a `.db` path (Milvus Lite, in this process) or `http://host:19530` (a Milvus server, or a
`milvus-lite server` process). The client is made on first use and kept; pymilvus reconnects by
itself, so a server that comes back is used again without a restart.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pymilvus import MilvusClient, MilvusException

from index.embed import Embedder
from index.errors import IndexMismatch, IndexMissing, RetrieverUnavailable
from index.milvus import schema

# Milvus Lite serves pymilvus through an in-process gRPC server that lacks AllocTimestamp; pymilvus
# falls back to a client-side timestamp, but the server logs each refused call with a traceback.
logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
# A .db file another process holds open makes Milvus Lite log a traceback before pymilvus raises;
# the one-line error below says what to do instead.
logging.getLogger("milvus_lite.server_manager").setLevel(logging.CRITICAL)

# Every call waits at most this long: a hung server must not hold a request's slot.
TIMEOUT_S = 5.0


@dataclass
class MilvusTarget:
    uri: str
    token: str = ""
    collection: str = "reportqa"
    _client: MilvusClient | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def fix(self) -> str:
        return f"reportqa index build --retriever milvus (QA_MILVUS_URI={self.uri})"

    @property
    def recreate(self) -> str:
        return (
            f"rebuild it: reportqa index build --retriever milvus --recreate (QA_MILVUS_URI={self.uri}), "
            "or name another QA_MILVUS_COLLECTION"
        )

    def client(self) -> MilvusClient:
        with self._lock:
            if self._client is None:
                self._client = MilvusClient(uri=self.uri, token=self.token, timeout=TIMEOUT_S)
            return self._client

    def describe(self, client: MilvusClient) -> dict[str, object]:
        if not client.has_collection(self.collection, timeout=TIMEOUT_S):
            raise IndexMissing(f"no collection {self.collection!r} in Milvus at {self.uri}; build it: {self.fix}")
        info = client.describe_collection(self.collection, timeout=TIMEOUT_S)
        try:
            described = json.loads((info.get("properties") or {}).get(schema.PROPERTY) or "{}")
        except json.JSONDecodeError:
            described = {}
        return described if isinstance(described, dict) else {}

    def check(self, client: MilvusClient, embedder: Embedder) -> None:
        """Refuse a collection made by another schema version or embedder, in one line."""
        described = self.describe(client)
        if described.get("reportqa_schema") != schema.SCHEMA_VERSION:
            raise IndexMismatch(
                f"collection {self.collection!r} in Milvus at {self.uri} has schema "
                f"{described.get('reportqa_schema', 'unknown')}, this version reads {schema.SCHEMA_VERSION}; "
                f"{self.recreate}"
            )
        if described.get("embedder") != embedder.embedder_id:
            raise IndexMismatch(
                f"collection {self.collection!r} in Milvus at {self.uri} was built with embedder "
                f"{described.get('embedder')!r}, not {embedder.embedder_id!r}; {self.recreate}"
            )

    def check_or_create(
        self, client: MilvusClient, embedder: Embedder, create: Callable[[MilvusClient, str, Embedder], None]
    ) -> None:
        if client.has_collection(self.collection, timeout=TIMEOUT_S):
            self.check(client, embedder)
        create(client, self.collection, embedder)


@contextmanager
def guarded(target: MilvusTarget) -> Iterator[None]:
    """Milvus and network failures become RetrieverUnavailable (503 in the service) naming the fix."""
    try:
        yield
    except MilvusException as exc:
        reason = str(getattr(exc, "message", "") or exc).splitlines()[0][:200]
        if target.uri.endswith(".db") and reason.startswith("Open local milvus failed"):
            raise RetrieverUnavailable(
                f"Milvus Lite could not open {target.uri} ({reason}): another process may hold it (a running "
                "`reportqa serve` or chat) — stop it, or serve the file with `milvus-lite server` and set "
                "QA_MILVUS_URI to its http:// address"
            ) from exc
        raise RetrieverUnavailable(
            f"Milvus at {target.uri} did not answer ({reason}): start it or check QA_MILVUS_URI / QA_MILVUS_TOKEN"
        ) from exc
    except (ConnectionError, TimeoutError, OSError) as exc:
        raise RetrieverUnavailable(
            f"Milvus at {target.uri} is unreachable ({exc.__class__.__name__}): start it or check QA_MILVUS_URI"
        ) from exc
