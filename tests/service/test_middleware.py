"""What reaches a real `reportqa serve` process over raw sockets: a body larger than its declared
Content-Length (chunked), and bytes that are not HTTP at all."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.service.servers import served

MIB = 1 << 20


@pytest.fixture(scope="module")
def server(tiny_index_dir: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    docs, index = tiny_index_dir
    with served(docs, index, tmp_path_factory.mktemp("data")) as (url, proc):
        yield url, proc.pid


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        block = sock.recv(65536)
        if not block:
            break
        data += block
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    while len(body) < int(headers.get("content-length", "0")):
        block = sock.recv(65536)
        if not block:
            break
        body += block
    return int(lines[0].split()[1]), headers, body


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_a_chunked_body_behind_a_small_content_length_is_cut_at_the_limit(server: tuple[str, int]) -> None:
    url, pid = server
    before = rss_mib(pid)
    with connect(url) as sock:
        sock.sendall(
            b"POST /v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n" % MIB + b"a" * MIB + b"\r\n"
        sock.sendall(chunk)
        status, _, body = read_response(sock)
        accepted = 0
        try:  # the other 199 MiB: the server has answered and closed, so these soon fail
            for _ in range(199):
                sock.sendall(chunk)
                accepted += 1
        except OSError:
            pass
    assert status == 413
    assert json.loads(body)["error"]["code"] == "payload_too_large"
    assert accepted < 64  # socket buffers take a few MiB; the server read none of it
    assert rss_mib(pid) - before < 64


def test_malformed_http_gets_the_json_error_shape(server: tuple[str, int]) -> None:
    url, _ = server
    with connect(url) as sock:
        sock.sendall(b"NOT HTTP AT ALL\x00\r\n\r\n")
        status, headers, body = read_response(sock)
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": {"code": "bad_request", "message": "malformed HTTP request"}}
