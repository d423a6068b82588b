"""`reportqa chat`: a conversation. At a terminal, the REPL; piped, one answer per input line."""

from __future__ import annotations

import argparse
import json
import sys

from cli.commands.common import COMMAND_MARKS, EXIT_OK, QUIT_COMMANDS, load_bot, settings_from
from qa.errors import QuestionError


def cmd_chat(args: argparse.Namespace) -> int:
    """At a terminal, the REPL. Otherwise questions from stdin, one per line, answered in one
    session: plain text or JSON lines."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from cli.repl import run_repl

        return run_repl(args)
    s = settings_from(args)
    bot = load_bot(s.docs_dir, s.index_dir, s.embedder, args)
    interactive = sys.stdin.isatty() and not args.json
    if interactive:
        print("Ask about the report (Chinese or English). Ctrl-D to quit.\n> ", end="", flush=True)
    session: str | None = None
    for line in sys.stdin:
        text = line.strip()
        if text[:1] in COMMAND_MARKS:
            command = text[1:].strip().lower()
            if command in QUIT_COMMANDS:
                break
            if command == "reset":  # a new conversation: earlier questions are forgotten
                session = None
            else:
                print_error(
                    args.json, "unknown_command", f"unknown command :{command}; piped input knows :reset and :quit"
                )
        elif text:
            try:
                answer = bot.ask(text, session_id=session)
                session = answer.session_id
                print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else answer.answer + "\n")
            except QuestionError as exc:
                print_error(args.json, exc.code, str(exc))
        if interactive:
            print("> ", end="", flush=True)
    return EXIT_OK


def print_error(as_json: bool, code: str, message: str) -> None:
    print(
        json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False)
        if as_json
        else f"error: {message}"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("chat", parents=[common], help="a conversation: one question per line, follow-ups kept")
    p.add_argument("--json", action="store_true", help="JSON lines out, each the /v1/ask shape")
    p.set_defaults(func=cmd_chat)
