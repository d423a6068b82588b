"""The chat page beyond one question: layout in a long conversation, clickable questions, the loaded
reports, copy and retry, a conversation that survives a reload, CJK punctuation, report markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from qa.engine import ReportQA
from tests.conftest import write_reports
from tests.service.conftest import opened
from tests.service.test_web import ask, last_reply

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    with opened(browser, base_url, **DESKTOP) as page:
        page.goto(base_url)
        yield page


def test_header_and_question_box_stay_in_view_in_a_long_conversation(page: Page) -> None:
    for _ in range(3):
        ask(page, "图书馆每天限流多少人？")
        ask(page, "一线医护人员领到了多少个口罩？")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("document.documentElement.scrollHeight > 2 * window.innerHeight")
    assert page.evaluate("window.scrollY > 0")
    expect(page.get_by_role("button", name="新对话")).to_be_in_viewport()
    expect(page.locator("#settings > summary")).to_be_in_viewport()
    assert page.evaluate("document.querySelector('header.top').getBoundingClientRect().top") == 0
    expect(page.get_by_label("问题", exact=True)).to_be_in_viewport()


def test_example_questions_and_suggestions_ask_when_clicked(page: Page) -> None:
    examples = page.get_by_role("list", name="示例问题").get_by_role("button")
    expect(examples.first).to_have_text("学校复课是怎么安排的？")
    examples.first.click()
    expect(page.locator(".msg.user").last).to_have_text("我：学校复课是怎么安排的？")
    expect(last_reply(page)).not_to_have_attribute("aria-busy", "true")

    ask(page, "火星上有多少只猫？")
    expect(last_reply(page).locator(".notice")).to_have_text("报告中没有找到相关信息。")
    suggestion = last_reply(page).get_by_role("list", name="可以看看").get_by_role("button").first
    question = suggestion.inner_text()
    assert question.endswith("是怎么安排的？")
    suggestion.click()
    expect(page.locator(".turn")).to_have_count(3)
    expect(page.locator(".msg.user").last).to_have_text("我：" + question)


def test_the_loaded_reports_are_listed(page: Page) -> None:
    reports = page.get_by_role("list", name="已载入的报告").get_by_role("listitem")
    expect(reports).to_have_count(2)
    assert sorted(reports.all_inner_texts()) == ["school", "supplies"]


def test_copy_puts_the_answer_on_the_clipboard(browser: Browser, base_url: str) -> None:
    with opened(browser, base_url, permissions=["clipboard-read", "clipboard-write"], **DESKTOP) as page:
        page.goto(base_url)
        ask(page, "图书馆每天限流多少人？")
        last_reply(page).get_by_role("button", name="复制").click()
        expect(last_reply(page).locator(".copy-status")).to_have_text("已复制")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("200人") and "图书馆每天限流200人；" in copied


def test_retry_after_an_error_asks_again(page: Page) -> None:
    page.route("**/v1/ask", lambda route: route.abort())
    ask(page, "图书馆每天限流多少人？")
    expect(last_reply(page)).to_contain_text("无法连接到服务")
    page.unroute("**/v1/ask")
    last_reply(page).get_by_role("button", name="重试").click()
    expect(last_reply(page).locator(".short-answer")).to_have_text("200人")
    expect(page.locator(".turn")).to_have_count(1)
    expect(page.get_by_label("问题", exact=True)).to_have_value("")


def test_the_conversation_survives_a_reload_until_a_new_one(page: Page) -> None:
    ask(page, "一线医护人员领到了多少个口罩？")
    with page.expect_request("**/v1/ask") as first:
        ask(page, "防护服呢？")
    page.reload()
    expect(page.locator(".turn")).to_have_count(2)
    expect(page.locator(".short-answer")).to_have_text(["3万个", "800套"])
    expect(page.locator("#welcome")).to_be_hidden()
    with page.expect_request("**/v1/ask") as after_reload:
        ask(page, "消毒液呢？")
    assert after_reload.value.post_data_json["session_id"] == first.value.post_data_json["session_id"]
    expect(last_reply(page).locator(".short-answer")).to_have_text("2吨")

    page.get_by_role("button", name="新对话").click()
    page.reload()
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator(".turn")).to_have_count(0)


def test_chinese_quotation_marks_are_drawn_in_a_cjk_font(page: Page) -> None:
    quotes = page.locator("#welcome p").nth(1)
    expect(quotes).to_contain_text("“发放了多少口罩？”")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#welcome p:nth-of-type(2)"})["nodeId"]
    fonts = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    # Debian's CJK font here is WenQuanYi Zen Hei; every glyph of that line, quotes included, is drawn by it.
    assert fonts == {"WenQuanYi Zen Hei"}, fonts


MARKUP = "<img src=x onerror=alert(1)>"


def test_markup_in_a_report_stays_text_everywhere(browser: Browser, make_server, tmp_path: Path) -> None:
    docs = write_reports(
        tmp_path / "docs",
        {"evil.md": f"# 仓库{MARKUP}\n\n仓库<script>alert(2)</script>存放口罩5万个{MARKUP}。\n"},
    )
    engine = ReportQA.load(docs_dir=docs, index_dir=tmp_path / "index", progress=False)
    alerts: list[str] = []
    with make_server(engine=engine, docs_dir=docs, index_dir=tmp_path / "index") as url, opened(browser, url) as page:
        page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
        page.goto(url)
        expect(page.get_by_role("list", name="示例问题")).to_contain_text(MARKUP)
        ask(page, "仓库存放了多少个口罩？")
        expect(last_reply(page).locator(".short-answer")).to_have_text("5万个")
        expect(last_reply(page).locator(".citation")).to_contain_text("<script>alert(2)</script>")
        last_reply(page).get_by_role("button", name="[1]").click()
        expect(page.get_by_role("dialog").locator(".paragraph-text")).to_contain_text(MARKUP)
        page.keyboard.press("Escape")
        page.reload()
        expect(last_reply(page).locator(".citation")).to_contain_text(MARKUP)
        assert page.locator("img, main script").count() == 0
    assert alerts == []
