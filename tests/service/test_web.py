"""The chat page in a real Chromium (Debian's, never a downloaded one) against the live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.service.conftest import WAIT_MS, opened

SCREENSHOT = Path("/tmp/reportqa-page.png")


@pytest.fixture
def alerts() -> list[str]:
    """Messages of any alert() the page shows: there should be none (it would be injected script)."""
    return []


@pytest.fixture
def page(browser: Browser, base_url: str, alerts: list[str]) -> Iterator[Page]:
    with opened(browser, base_url, viewport={"width": 1000, "height": 760}, locale="zh-CN") as page:
        page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
        page.goto(base_url)
        yield page


def ask(page: Page, question: str) -> None:
    """Type a question, press Enter, and wait for its reply to replace the thinking indicator."""
    before = page.locator(".msg.bot").count()
    box = page.get_by_label("问题", exact=True)
    box.fill(question)
    box.press("Enter")
    reply = page.locator(".msg.bot").nth(before)
    expect(reply).not_to_have_attribute("aria-busy", "true", timeout=WAIT_MS)
    expect(box).to_be_enabled(timeout=WAIT_MS)


def last_reply(page: Page):
    return page.locator(".msg.bot").last


def test_page_is_labelled_chinese_and_accessible(page: Page) -> None:
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "报告问答" in page.title()
    box = page.get_by_label("问题", exact=True)
    expect(box).to_have_attribute("maxlength", "500")
    expect(page.get_by_role("button", name="发送")).to_be_visible()
    expect(page.get_by_role("button", name="新对话")).to_be_visible()
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    box.fill("口罩")
    expect(page.locator("#counter")).to_have_text("2/500")


def test_ask_shows_the_short_answer_and_its_citation(page: Page) -> None:
    ask(page, "图书馆每天限流多少人？")
    reply = last_reply(page)
    expect(reply.locator(".short-answer")).to_have_text("200人")
    citation = reply.get_by_role("button", name="[1]")
    expect(citation).to_contain_text("图书馆每天限流200人；")
    expect(citation).to_contain_text("图书馆 · 第1段")
    expect(citation.locator(".answer-span")).to_have_text("200人")


def test_citation_opens_the_paragraph_with_the_sentence_marked(page: Page) -> None:
    ask(page, "图书馆每天限流多少人？")
    last_reply(page).get_by_role("button", name="[1]").click()
    panel = page.get_by_role("dialog")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_contain_text("图书馆 · 第1段")
    expect(panel.locator(".paragraph-text")).to_have_text("图书馆每天限流200人；读者需预约。")
    mark = panel.locator("mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("图书馆每天限流200人；")
    expect(mark.locator(".answer-span")).to_have_text("200人")
    page.screenshot(path=str(SCREENSHOT))
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_follow_up_uses_the_same_session_until_a_new_conversation(page: Page) -> None:
    ask(page, "一线医护人员领到了多少个口罩？")
    expect(last_reply(page).locator(".short-answer")).to_have_text("3万个")
    ask(page, "防护服呢？")
    expect(last_reply(page).locator(".short-answer")).to_have_text("800套")
    expect(page.locator(".turn")).to_have_count(2)

    page.get_by_role("button", name="新对话").click()
    expect(page.locator(".turn")).to_have_count(0)
    with page.expect_request("**/v1/ask") as request:
        ask(page, "图书馆每天限流多少人？")
    assert "session_id" not in request.value.post_data_json


def test_unanswerable_question_shows_a_notice(page: Page) -> None:
    ask(page, "火星上有多少只猫？")
    notice = last_reply(page).locator(".notice")
    expect(notice).to_contain_text("报告中没有找到相关信息")
    expect(last_reply(page).locator(".short-answer")).to_have_count(0)


def test_markup_in_a_question_stays_text(page: Page, alerts: list[str]) -> None:
    question = "<img src=x onerror=alert(1)>"
    ask(page, question)
    expect(page.locator(".msg.user").last).to_contain_text(question)
    assert page.locator("img").count() == 0
    assert alerts == []


def test_shift_enter_is_a_newline_and_blank_is_not_sent(page: Page) -> None:
    box = page.get_by_label("问题", exact=True)
    box.fill("第一行")
    box.press("Shift+Enter")
    box.type("第二行")
    expect(box).to_have_value("第一行\n第二行")
    expect(page.locator(".turn")).to_have_count(0)
    box.fill("   ")
    box.press("Enter")
    expect(page.locator("#form-status")).to_have_text("请先输入问题。")
    expect(page.locator(".turn")).to_have_count(0)


def test_fits_a_phone_screen(browser: Browser, base_url: str) -> None:
    phone = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
    with opened(browser, base_url, **phone) as page:
        page.goto(base_url)
        ask(page, "图书馆每天限流多少人？")
        expect(last_reply(page).locator(".short-answer")).to_have_text("200人")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_api_key_from_settings_is_sent(browser: Browser, make_server) -> None:
    with make_server(api_key="s3cret") as url, opened(browser, url) as page:
        page.goto(url)
        ask(page, "图书馆每天限流多少人？")
        expect(last_reply(page)).to_contain_text("API 密钥")
        expect(last_reply(page)).to_contain_text("missing or wrong API key")
        page.get_by_label("API 密钥").fill("s3cret")
        page.get_by_role("button", name="保存").click()
        ask(page, "图书馆每天限流多少人？")
        expect(last_reply(page).locator(".short-answer")).to_have_text("200人")


def test_unavailable_index_is_explained(browser: Browser, make_server, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    server = make_server(engine=None, docs_dir=tmp_path / "docs", index_dir=tmp_path / "index")
    with server as url, opened(browser, url) as page:
        page.goto(url)
        ask(page, "口罩有多少？")
        expect(last_reply(page)).to_have_class("msg bot error")
        expect(last_reply(page)).to_contain_text("服务暂时不可用")


def test_the_page_runs_under_its_content_security_policy(browser: Browser, base_url: str) -> None:
    """The policy names the page's own inline script and style by hash: the page still works, and
    a script injected into it would not run; no other site can frame it."""
    response = httpx.get(base_url)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'sha256-" in policy and "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    violations: list[str] = []
    with opened(browser, base_url, locale="zh-CN") as page:
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(base_url)
        ask(page, "图书馆每天限流多少人？")
        expect(last_reply(page).locator(".short-answer")).to_have_text("200人")
        injected = page.evaluate(
            """() => new Promise(done => {
                 window.__ran = false;
                 const s = document.createElement('script');
                 s.textContent = 'window.__ran = true';
                 document.body.appendChild(s);
                 setTimeout(() => done(window.__ran), 200);
               })"""
        )
    assert injected is False
    assert any("script-src" in v for v in violations)  # only the injected script was refused
    assert all("style-src" not in v for v in violations)


def test_citations_from_a_pdf_name_their_page(browser: Browser, make_server, made_indexes) -> None:
    """The bundled report as a LibreOffice PDF: the citation and its paragraph panel say the page."""
    docs, index = made_indexes["pdf"]
    with make_server(engine=None, docs_dir=docs, index_dir=index) as url:
        expected = httpx.post(f"{url}/v1/ask", json={"question": "一共发放了多少个口罩？"}, timeout=60).json()
        page_number = expected["citations"][0]["page"]
        assert isinstance(page_number, int) and page_number >= 1
        with opened(browser, url, viewport={"width": 1000, "height": 760}, locale="zh-CN") as page:
            page.goto(url)
            ask(page, "一共发放了多少个口罩？")
            citation = last_reply(page).get_by_role("button", name="[1]")
            expect(citation).to_contain_text(f"第{page_number}页")
            citation.click()
            expect(page.get_by_role("dialog").locator("h2")).to_contain_text(f"第{page_number}页")
