"""`/docs` and `/redoc` in a real Chromium with the network cut off: every asset comes from the app."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.service.conftest import opened


def offline(page: Page, base_url: str) -> list[str]:
    """Abort every request that leaves the service; the returned list names them."""
    outside: list[str] = []
    ours = urlsplit(base_url).netloc

    def route(r) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(r.request.url).netloc == ours:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return outside


def test_swagger_ui_shows_the_routes_with_no_network(browser: Browser, base_url: str) -> None:
    with opened(browser, base_url) as page:
        outside = offline(page, base_url)
        page.goto(f"{base_url}/docs")
        expect(page.locator(".opblock-summary-path", has_text="/v1/ask")).to_be_visible()
        expect(page.locator(".opblock-summary-path", has_text="/v1/chat/completions")).to_be_visible()
        expect(page.locator("button.authorize")).to_be_visible()  # the Bearer key is declared
        assert outside == []


def test_redoc_renders_with_no_network(browser: Browser, base_url: str) -> None:
    # Wide enough for ReDoc's sidebar, whose logo once came from ReDoc's CDN.
    with opened(browser, base_url, viewport={"width": 1400, "height": 900}) as page:
        outside = offline(page, base_url)
        page.goto(f"{base_url}/redoc")
        expect(page.get_by_role("heading", name="Answer a question, citing the report")).to_be_visible()
        assert outside == []


def test_favicon_is_served(client: httpx.Client) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
