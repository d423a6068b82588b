"""`reportqa chat`: a conversation. At a terminal, the REPL; piped, one answer per input line."""

from __future__ import annotations

import argparse
import json
import sys

from cli.commands.common import EXIT_OK, load_bot, settings_from
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
    session = None
    for line in sys.stdin:
        if line.strip():
            try:
                answer = bot.ask(line, session_id=session)
                session = answer.session_id
                print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else answer.answer + "\n")
            except QuestionError as exc:
                print(json.dumps({"error": {"code": exc.code, "message": str(exc)}}) if args.json else f"error: {exc}")
        if interactive:
            print("> ", end="", flush=True)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("chat", parents=[common], help="a conversation: one question per line, follow-ups kept")
    p.add_argument("--json", action="store_true", help="JSON lines out, each the /v1/ask shape")
    p.set_defaults(func=cmd_chat)
