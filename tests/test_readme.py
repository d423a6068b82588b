"""The README's examples are real output of the bundled report: every command in a ```console block
is run and its output compared, every ```pycon block runs as a doctest, and every ```text wechat
exchange is asked again through the WeChat reply code.

When answers change on purpose, regenerate the examples from real output (never by hand):

    python tests/test_readme.py --update
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(console|pycon|text wechat)\n(.*?)^```$", re.S | re.M)
USER, BOT = "用户：", "公众号："


def blocks(kind: str, text: str | None = None) -> list[str]:
    return [m.group(2) for m in BLOCK.finditer(text or README.read_text(encoding="utf-8")) if m.group(1) == kind]


def commands(block: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs: a command is a line starting with `$ `."""
    pairs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return [(cmd, "\n".join(out).rstrip()) for cmd, out in pairs]


def workdir(base: Path) -> tuple[Path, dict[str, str]]:
    """A folder laid out like a fresh clone's (docs_src/), with its index built."""
    shutil.copytree(ROOT / "docs_src", base / "docs_src")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "QA_DATA_DIR": str(base / "var" / "data"),
        "HOME": str(base),  # the REPL history and any cache stay in the folder
    }
    for key in ("QA_DOCS_DIR", "QA_INDEX_DIR", "QA_API_KEY"):
        env.pop(key, None)
    subprocess.run(["reportqa", "index", "build", "--quiet"], cwd=base, env=env, check=True, capture_output=True)
    return base, env


def run(command: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.rstrip()


def wechat_exchange(block: str) -> str:
    """The exchange with each reply asked again, one WeChat user (one session) for the block."""
    from qa.engine import ReportQA
    from service.channels.replies import answer_text

    bot = ReportQA.load(progress=False)
    session = None
    lines: list[str] = []
    for line in block.splitlines():
        if line.startswith(USER):
            answer = bot.ask(line[len(USER) :], session_id=session)
            session = answer.session_id
            lines += [line, BOT + answer_text(answer)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return workdir(tmp_path_factory.mktemp("clone"))


@pytest.fixture
def in_clone(clone: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(clone[0])
    for key in ("QA_DOCS_DIR", "QA_INDEX_DIR"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("QA_DATA_DIR", clone[1]["QA_DATA_DIR"])
    yield clone[0]


CASES = [pair for block in blocks("console") for pair in commands(block)]


def test_the_readme_has_examples_of_each_kind() -> None:
    assert len(CASES) >= 3 and blocks("pycon") and blocks("text wechat")


@pytest.mark.parametrize(("command", "expected"), CASES, ids=[c for c, _ in CASES])
def test_console_example_is_real_output(clone: tuple[Path, dict[str, str]], command: str, expected: str) -> None:
    assert run(command, *clone) == expected


@pytest.mark.parametrize("block", blocks("pycon"))
def test_python_example_runs_as_shown(in_clone: Path, block: str) -> None:
    test = doctest.DocTestParser().get_doctest(block, {}, "README", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


@pytest.mark.parametrize("block", blocks("text wechat"))
def test_wechat_example_is_real_output(in_clone: Path, block: str) -> None:
    assert wechat_exchange(block) == block.rstrip()


def test_evaluation_files_the_readme_names_are_in_the_repository() -> None:
    named = set(re.findall(r"eval/[\w.]+\.jsonl?", README.read_text(encoding="utf-8")))
    assert named and all((ROOT / path).is_file() for path in named)


def update(base: Path) -> None:
    """Rewrite every console and wechat block of the README with real output."""
    cwd, env = workdir(base)
    text = README.read_text(encoding="utf-8")

    def console(m: re.Match[str]) -> str:
        if m.group(1) == "pycon":
            return m.group(0)  # doctest output is checked, and edited by hand when it fails
        if m.group(1) == "text wechat":
            os.chdir(cwd)
            return f"```text wechat\n{wechat_exchange(m.group(2))}\n```"
        out = [f"$ {cmd}\n{run(cmd, cwd, env)}" for cmd, _ in commands(m.group(2))]
        return "```console\n" + "\n".join(out) + "\n```"

    README.write_text(BLOCK.sub(console, text), encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    sys.path[0] = str(ROOT)  # not tests/, whose packages (tests/index …) would shadow the project's

    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    os.environ.pop("QA_DOCS_DIR", None)
    os.environ.pop("QA_INDEX_DIR", None)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QA_DATA_DIR"] = str(Path(tmp) / "var" / "data")
        update(Path(tmp))
    print(f"updated {README}")
