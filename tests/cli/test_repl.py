"""The chat REPL as a person meets it: a real process on a pseudo-terminal, keys typed, screens read."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect  # a dev dependency: a missing one fails the run rather than skipping the REPL
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_ANSWER_S = 60  # the process starts and loads its models
LATER_S = 20
PROMPT = "问 › "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")
CTRL_C, CTRL_D, UP = "\x03", "\x04", "\x1b[A"


def plain(text: str) -> str:
    return ANSI.sub("", text)


def spawn(tiny_index_dir: tuple[Path, Path], state: Path, *extra: str) -> pexpect.spawn:
    docs, index = tiny_index_dir
    env = {
        **os.environ,
        "HOME": str(state / "home"),
        "XDG_STATE_HOME": str(state / "xdg"),
        "TERM": "xterm",
        # nothing answers the cursor-position query on this pseudo-terminal; do not wait for it
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    args = ["-m", "cli", "chat", "--docs", str(docs), "--index", str(index), "--no-rebuild", *extra]
    child = pexpect.spawn(
        sys.executable, args, cwd=str(ROOT), env=env, dimensions=(40, 120), encoding="utf-8", timeout=LATER_S
    )
    child.expect_exact("2 documents", timeout=FIRST_ANSWER_S)
    child.expect_exact(PROMPT, timeout=FIRST_ANSWER_S)
    return child


def exchange(child: pexpect.spawn, line: str, marker: str) -> str:
    """Type a line and Enter; the screen text from `marker` up to the next prompt."""
    child.send(line + "\r")
    child.expect_exact(marker)
    child.expect_exact(PROMPT)
    return plain(marker + child.before)


@pytest.fixture
def chat(tiny_index_dir: tuple[Path, Path], tmp_path: Path) -> Iterator[pexpect.spawn]:
    child = spawn(tiny_index_dir, tmp_path)
    yield child
    child.close(force=True)


def json_block(text: str) -> dict:
    return json.JSONDecoder().raw_decode(text[text.index("{") :])[0]


def test_a_question_its_answer_a_follow_up_and_its_sources(chat: pexpect.spawn) -> None:
    first = exchange(chat, "一线医护人员领到了多少个口罩？", "答 › ")
    assert "3万个" in first and "[1]" in first and "防疫物资 · 第1段" in first
    follow = exchange(chat, "防护服呢？", "答 › ")
    assert "800套" in follow.splitlines()[0]
    assert "一线医护人员领到了多少防护服？" in follow  # the follow-up as understood
    sources = exchange(chat, ":sources", "╭")
    assert "另有消毒液2吨送往各社区卫生服务中心。" in sources  # the whole paragraph, not just the sentence
    library = exchange(chat, "图书馆每天限流多少人？", "答 › ")
    assert "200人" in library.splitlines()[0] and "school · 图书馆 · 第1段" in library


def test_json_toggle_and_reset(chat: pexpect.spawn) -> None:
    assert "JSON output on" in exchange(chat, ":json", "JSON output")
    first = json_block(exchange(chat, "一线医护人员领到了多少个口罩？", "{"))
    assert first["short_answer"] == "3万个" and first["citations"][0]["doc_id"] == "supplies"
    follow = json_block(exchange(chat, "防护服呢？", "{"))
    assert follow["short_answer"] == "800套" and follow["session_id"] == first["session_id"]
    assert "New conversation" in exchange(chat, ":reset", "New conversation")
    fresh = json_block(exchange(chat, "防护服呢？", "{"))
    assert fresh["session_id"] != first["session_id"]
    assert fresh["resolved_question"] == "防护服呢？"  # read as written: no conversation to lean on
    assert "JSON output off" in exchange(chat, ":json", "JSON output")
    assert "200人" in exchange(chat, "图书馆每天限流多少人？", "答 › ")


def test_ctrl_c_clears_the_line_empty_asks_nothing_ctrl_d_exits_0(chat: pexpect.spawn) -> None:
    chat.send("图书馆每天")
    chat.expect_exact("图书馆每天")
    chat.send(CTRL_C)
    chat.expect_exact(PROMPT)
    exchange(chat, ":json", "JSON output")
    answer = json_block(exchange(chat, "一线医护人员领到了多少个口罩？", "{"))
    assert answer["short_answer"] == "3万个" and answer["resolved_question"] == "一线医护人员领到了多少个口罩？"
    exchange(chat, ":json", "JSON output")
    chat.send("   \r")  # an empty line is a fresh prompt, not an error
    chat.expect_exact(PROMPT)
    assert "error" not in plain(chat.before)
    assert "unknown command" in exchange(chat, ":frobnicate", "error: ")
    assert "200人" in exchange(chat, "图书馆每天限流多少人？", "答 › ")
    chat.send(CTRL_D)
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0


def test_quit_command_exits_0(chat: pexpect.spawn) -> None:
    chat.send(":quit\r")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0


def test_history_is_written_and_recalled_on_the_next_run(tiny_index_dir: tuple[Path, Path], tmp_path: Path) -> None:
    child = spawn(tiny_index_dir, tmp_path)
    exchange(child, "图书馆每天限流多少人？", "答 › ")
    child.send(CTRL_D)
    child.expect(pexpect.EOF)
    child.close()
    history = tmp_path / "xdg" / "reportqa" / "history"
    assert "图书馆每天限流多少人？" in history.read_text(encoding="utf-8")

    again = spawn(tiny_index_dir, tmp_path)
    try:
        again.send(UP)
        again.expect_exact("图书馆每天限流多少人？")
        assert "200人" in exchange(again, "", "答 › ")  # Enter on the recalled question asks it
    finally:
        again.close(force=True)


@pytest.mark.parametrize("blocker", ["xdg", "xdg/reportqa/history"])
def test_an_unusable_history_does_not_stop_the_chat(
    tiny_index_dir: tuple[Path, Path], tmp_path: Path, blocker: str
) -> None:
    """A file where the state folder should be; a folder where the history file should be."""
    if blocker == "xdg":
        (tmp_path / "xdg").write_text("not a folder", encoding="utf-8")
    else:
        (tmp_path / blocker).mkdir(parents=True)
    child = spawn(tiny_index_dir, tmp_path)
    try:
        assert "200人" in exchange(child, "图书馆每天限流多少人？", "答 › ")
        assert "3万个" in exchange(child, "一线医护人员领到了多少个口罩？", "答 › ")
        child.send(CTRL_D)
        child.expect(pexpect.EOF)
        assert "Traceback" not in plain(child.before)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_a_pasted_multi_line_question_is_one_question(chat: pexpect.spawn) -> None:
    chat.send("\x1b[200~图书馆每天\n限流多少人？\n\x1b[201~")
    answer = exchange(chat, "", "答 › ")
    assert "200人" in answer.splitlines()[0]


def test_unanswerable_shows_the_closest_sections(chat: pexpect.spawn) -> None:
    answer = exchange(chat, "地铁票价是多少元？", "答 › ")
    assert "报告中没有找到相关信息" in answer and "防疫物资" in answer


def run_plain(tiny_index_dir: tuple[Path, Path], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    docs, index = tiny_index_dir
    return subprocess.run(
        [sys.executable, "-m", "cli", *args, "--docs", str(docs), "--index", str(index), "--no-rebuild"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_piped_plain_chat_is_one_block_per_question(tiny_index_dir: tuple[Path, Path]) -> None:
    out = run_plain(tiny_index_dir, "chat", stdin="一线医护人员领到了多少个口罩？\n防护服呢？\n地铁票价是多少元？\n")
    assert out.returncode == 0, out.stderr
    blocks = [b.splitlines() for b in out.stdout.strip().split("\n\n")]
    assert [b[0] for b in blocks] == ["3万个", "800套", "报告中没有找到相关信息。"]
    assert "\x1b[" not in out.stdout  # no colours when piped


def test_ask_on_a_terminal_is_drawn_and_keeps_its_exit_codes(tiny_index_dir: tuple[Path, Path]) -> None:
    docs, index = tiny_index_dir
    where = ["--docs", str(docs), "--index", str(index), "--no-rebuild"]
    for question, needle, status in (("图书馆每天限流多少人？", "200人", 0), ("地铁票价是多少元？", "没有找到", 1)):
        child = pexpect.spawn(
            sys.executable,
            ["-m", "cli", "ask", question, *where],
            cwd=str(ROOT),
            env={**os.environ, "TERM": "xterm"},
            dimensions=(40, 120),
            encoding="utf-8",
            timeout=FIRST_ANSWER_S,
        )
        child.expect(pexpect.EOF)
        child.close()
        screen = plain(child.before)
        assert "答 › " in screen and needle in screen and child.exitstatus == status


@pytest.mark.parametrize("args", [["ask"], ["ask", "问题", "--frobnicate"], ["chat", "extra"]])
def test_usage_errors_exit_2(tiny_index_dir: tuple[Path, Path], args: list[str]) -> None:
    out = run_plain(tiny_index_dir, *args)
    assert out.returncode == 2 and "usage:" in out.stderr and "Traceback" not in out.stderr
