"""A real uvicorn server on 127.0.0.1, in a thread, around an app built for each test module."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright

from qa.engine import ReportQA
from service.app import create_app
from service.settings import Settings
from tests.conftest import free_port

START_TIMEOUT_S = 30
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 20_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():  # fail, not skip: CI installs it, so a missing browser is a broken setup
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium` (Debian's package)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def opened(browser: Browser, url: str, **context_options: object) -> Iterator[Page]:
    """The chat page in a fresh browser context (its own storage), closed afterwards."""
    context = browser.new_context(**context_options)
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        yield page
    finally:
        context.close()


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run `app` under uvicorn on a free loopback port until the block ends."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def tiny_engine(tiny_index_dir: tuple[Path, Path]) -> ReportQA:
    docs, index = tiny_index_dir
    engine = ReportQA.load(docs_dir=docs, index_dir=index, rebuild=False, progress=False)
    engine.warm_up()
    return engine


@pytest.fixture(scope="session")
def tiny_settings(tiny_index_dir: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    docs, index = tiny_index_dir
    return Settings(docs_dir=docs, index_dir=index, data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def make_server(tiny_engine: ReportQA, tiny_settings: Settings) -> Callable[..., object]:
    """make_server(**settings_overrides) -> context manager yielding the base URL."""

    def make(engine: ReportQA | None = tiny_engine, **overrides: object):
        return serving(create_app(tiny_settings.model_copy(update=overrides), engine=engine))

    return make


@pytest.fixture(scope="session")
def base_url(make_server) -> Iterator[str]:
    with make_server() as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c
