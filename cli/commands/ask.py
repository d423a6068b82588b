"""`reportqa ask`: one answer, as text, JSON or (at a terminal) drawn with rich."""

from __future__ import annotations

import argparse
import json
import sys

from cli.commands.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, load_bot, settings_from
from qa.errors import QuestionError


def cmd_ask(args: argparse.Namespace) -> int:
    """One answer. Exit 0 when the report says, 1 when it does not, 2 for a question it refuses."""
    s = settings_from(args)
    bot = load_bot(s.docs_dir, s.index_dir, s.embedder, args)
    if bot.reader is not None:
        bot.reader.warm_up_in_background()
    try:
        answer = bot.ask(args.question)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    elif sys.stdout.isatty():
        from rich.console import Console

        from cli.render import answer_view

        Console(highlight=False).print(answer_view(answer))
    else:
        print(answer.answer)
    return EXIT_OK if answer.answerable else EXIT_FAIL


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ask", parents=[common], help="answer one question, citing the report")
    p.add_argument("question", help="the question, in Chinese or English")
    p.add_argument("--json", action="store_true", help="print the answer as JSON (the /v1/ask shape)")
    p.set_defaults(func=cmd_ask)
