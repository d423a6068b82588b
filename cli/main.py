"""`reportqa`: build and inspect the index, answer and search, serve, measure retrieval and answers."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from cli.commands import ask, chat, index, search, serve, train
from cli.commands import eval as evaluation
from cli.commands.common import EXIT_FAIL, EXIT_OK, USER_ERRORS, common_options

# In the order `reportqa --help` lists them.
COMMANDS = (index, ask, chat, search, serve, evaluation, train)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="reportqa",
        description="Answer questions about reports, citing the report's own sentences.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub, common)
    return parser


def run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        code = func(args)
        sys.stdout.flush()  # here, so a reader that went away is met inside this handler, not at exit
        return code
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except UnicodeDecodeError as exc:
        print(f"error: the input is not UTF-8 text ({exc.reason} at byte {exc.start})", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:  # before OSError, which it is a kind of
        # The reader went away (`reportqa ask … | head -1`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # an unwritable index folder, a full disk …
        print(
            f"error: {exc.strerror or exc} ({exc.filename or 'no file'}): check the path and its permissions",
            file=sys.stderr,
        )
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# One-shot commands leave the process at once when their output is written: the interpreter's
# teardown (freeing the reader's 250k-piece vocabulary, ONNX Runtime's session, jieba's tables)
# took 0.20-0.24 s of `reportqa ask`'s ~1.5 s, measured, and does nothing a finished answer needs.
FAST_EXIT = {"ask", "search"}


def main(argv: Sequence[str] | None = None, fast_exit: bool = False) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    code = run(args.func, args)
    if fast_exit and args.command in FAST_EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    return code


def entry() -> None:
    """The `reportqa` script (and `python -m cli`); `main` stays callable in process."""
    sys.exit(main(fast_exit=True))


if __name__ == "__main__":
    entry()
