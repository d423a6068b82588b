"""`reportqa chat` at a terminal: a prompt with history kept between runs, Ctrl-R search and
bracketed paste, answers drawn with rich. The pipeline is built once, before the first prompt."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.styles import Style
from rich.console import Console
from rich.text import Text

from cli import render
from cli.commands.common import COMMAND_MARKS, EXIT_OK, QUIT_COMMANDS, load_bot, settings_from
from index.local.store import MANIFEST
from index.split import Paragraph
from qa.errors import QuestionError
from qa.types import Answer

if TYPE_CHECKING:
    from qa.engine import ReportQA

PROMPT = FormattedText([("class:prompt", "问 › ")])
STYLE = Style.from_dict({"prompt": "ansicyan bold"})


def history_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "reportqa" / "history"


class QuietFileHistory(FileHistory):
    """History that survives a read-only or full disk: a question is worth more than its record."""

    def load_history_strings(self) -> Iterable[str]:
        try:
            yield from super().load_history_strings()
        except OSError:
            return

    def store_string(self, string: str) -> None:
        with contextlib.suppress(OSError):
            super().store_string(string)


def open_history(path: Path) -> History:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return InMemoryHistory()
    return QuietFileHistory(str(path))


def one_line(text: str) -> str:
    """A pasted multi-line question is one question."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def key_bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text(one_line(event.data))

    return kb


class Repl:
    def __init__(self, bot: ReportQA, console: Console, as_json: bool = False) -> None:
        self.bot = bot
        self.console = console
        self.as_json = as_json
        self.session_id: str | None = None
        self.last: Answer | None = None

    def handle(self, line: str) -> bool:
        """Answer a question or run a command; False when the user asked to leave."""
        text = one_line(line)
        if not text:  # Enter on an empty prompt asks nothing
            return True
        if text[:1] in COMMAND_MARKS:
            return self.command(text[1:].strip().lower())
        self.ask(text)
        return True

    def ask(self, text: str) -> None:
        try:
            answer = self.bot.ask(text, session_id=self.session_id)
        except QuestionError as exc:
            render.print_error(self.console, str(exc))
            self.console.print()
            return
        self.session_id, self.last = answer.session_id, answer
        if self.as_json:  # not wrapped, so it stays JSON when copied
            self.console.print(render.json_view(answer), soft_wrap=True)
        else:
            self.console.print(render.answer_view(answer))
        self.console.print()

    def command(self, name: str) -> bool:
        if name in QUIT_COMMANDS:
            return False
        if name in ("help", "h", "?"):
            self.console.print(render.help_view())
        elif name == "sources":
            self.sources()
        elif name == "reset":
            self.session_id, self.last = None, None
            self.console.print(Text("New conversation: earlier questions are forgotten.", style="green"))
        elif name == "json":
            self.as_json = not self.as_json
            self.console.print(Text(f"JSON output {'on' if self.as_json else 'off'}.", style="green"))
        else:
            render.print_error(self.console, f"unknown command :{name}; :help lists the commands")
        self.console.print()
        return True

    def paragraph(self, doc_id: str, number: int) -> Paragraph | None:
        return self.bot.paragraph(doc_id, number)

    def sources(self) -> None:
        if self.last is None:
            render.print_error(self.console, "no answer yet: ask a question first")
            return
        if not self.last.citations:
            self.console.print(Text("The last answer cites nothing: the report did not say.", style=render.NOTICE))
            return
        for number, c in enumerate(self.last.citations, start=1):
            self.console.print(render.source_view(self.last, number, c, self.paragraph(c.doc_id, c.paragraph_index)))


def load(args: argparse.Namespace, console: Console) -> ReportQA:
    s = settings_from(args)
    first_run = not args.no_rebuild and not (Path(s.index_dir) / MANIFEST).is_file()
    if first_run:
        console.print(
            Text.assemble(
                ("Building the index of ", "bold"),
                (str(s.docs_dir), "bold cyan"),
                (" (first run)… ", "bold"),
                ("this may take a minute; later runs start at once.", "dim"),
            )
        )
    # The line above says what the loader's own warning would say again.
    loader_log = logging.getLogger("index.local.load")
    level = loader_log.level
    loader_log.setLevel(logging.ERROR if first_run else level)
    try:
        bot = load_bot(s.docs_dir, s.index_dir, s.embedder, args)
    finally:
        loader_log.setLevel(level)
    with console.status("Loading the models…", spinner="dots"):
        bot.warm_up()
    if first_run:
        console.print()
    stats = bot.stats()
    console.print(render.banner(stats.documents, stats.sentences, str(s.docs_dir)))
    return bot


def run_repl(args: argparse.Namespace) -> int:
    console = Console(highlight=False)
    repl = Repl(load(args, console), console, as_json=args.json)
    session: PromptSession[str] = PromptSession(
        history=open_history(history_path()),
        key_bindings=key_bindings(),
        style=STYLE,
        enable_history_search=False,  # Ctrl-R is the search; ↑ walks the whole history
    )
    while True:
        try:
            line = session.prompt(PROMPT)
        except KeyboardInterrupt:  # Ctrl-C: the line is dropped, the conversation goes on
            continue
        except EOFError:  # Ctrl-D
            break
        try:
            if not repl.handle(line):
                break
        except KeyboardInterrupt:
            console.print(Text("interrupted", style="yellow"))
    console.print(Text("bye", style="dim"))
    return EXIT_OK
