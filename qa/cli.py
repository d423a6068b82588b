"""`reportqa`: build and inspect the index, answer and search, measure retrieval and answers."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

from index.build import build_index
from index.load import open_index
from index.search import Hit, SentenceIndex
from index.store import MANIFEST, read_manifest, rebuild_command
from qa.cli_common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, USER_ERRORS, common_options, load_bot, settings_from
from qa.cli_eval import cmd_eval_qa, cmd_eval_retrieval, cmd_eval_squad
from qa.types import Citation


def cmd_index_build(args: argparse.Namespace) -> int:
    s = settings_from(args)
    manifest = build_index(s.docs_dir, s.index_dir, s.embedder, progress=not args.quiet)
    c = manifest["counts"]
    print(
        f"indexed {c['documents']} document(s), {c['paragraphs']} paragraphs, {c['sentences']} sentences "
        f"into {s.index_dir} in {manifest['build_seconds']} s ({manifest['embedder']['id']})"
    )
    return EXIT_OK


def cmd_index_info(args: argparse.Namespace) -> int:
    s = settings_from(args)
    manifest = read_manifest(s.index_dir, rebuild_command(s.docs_dir, s.index_dir, s.embedder))
    if args.json:
        print(json.dumps({k: v for k, v in manifest.items() if k != "files"}, ensure_ascii=False, indent=2))
        return EXIT_OK
    c = manifest["counts"]
    print(f"index      {s.index_dir / MANIFEST}")
    print(f"built      {manifest['built_at']} in {manifest['build_seconds']} s")
    print(f"embedder   {manifest['embedder']['id']} (dim {manifest['embedder']['dim']})")
    print(f"dense      faiss {manifest['dense']['kind']}")
    print(f"counts     {c['documents']} documents, {c['paragraphs']} paragraphs, {c['sentences']} sentences")
    for doc in manifest["documents"]:
        print(f"  {doc['doc_id']:<24} {doc['sentences']:>6} sentences  {doc['encoding']:<9} {doc['checksum'][:12]}")
    return EXIT_OK


def hit_json(hit: Hit) -> dict[str, object]:
    return asdict(Citation.from_hit(hit))


def print_hits(question: str, hits: list[Hit], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"question": question, "hits": [hit_json(h) for h in hits]}, ensure_ascii=False))
        return
    for h in hits:
        s = h.sentence
        where = f"{s.doc_id} · {s.section or '—'} · ¶{s.paragraph}.{s.number} [{s.start}:{s.end}]"
        print(f"[{h.rank}] {s.text}\n    {where}")


def search_lines(index: SentenceIndex, lines: Iterable[str], k: int, as_json: bool, prompt: bool) -> None:
    for line in lines:
        question = line.strip()
        if question:
            print_hits(question, index.search(question, k), as_json)
        if prompt:
            print("? ", end="", flush=True)


def cmd_search(args: argparse.Namespace) -> int:
    s = settings_from(args)
    index = open_index(s.docs_dir, s.index_dir, s.embedder, rebuild=not args.no_rebuild, progress=not args.quiet)
    if args.question:
        print_hits(args.question, index.search(args.question, args.k), args.json)
        return EXIT_OK
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"{len(index)} sentences indexed. Type a question, Ctrl-D to quit.\n? ", end="", flush=True)
    search_lines(index, sys.stdin, args.k, args.json, interactive)
    return EXIT_OK


def cmd_ask(args: argparse.Namespace) -> int:
    """One answer. Exit 0 when the report says, 1 when it does not, 2 for a question it refuses."""
    from qa.engine import QuestionError

    s = settings_from(args)
    bot = load_bot(s.docs_dir, s.index_dir, s.embedder, args)
    try:
        answer = bot.ask(args.question)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    elif sys.stdout.isatty():
        from rich.console import Console

        from qa.render import answer_view

        Console(highlight=False).print(answer_view(answer))
    else:
        print(answer.answer)
    return EXIT_OK if answer.answerable else EXIT_FAIL


def cmd_chat(args: argparse.Namespace) -> int:
    """At a terminal, the REPL. Otherwise questions from stdin, one per line, answered in one
    session: plain text or JSON lines."""
    from qa.engine import QuestionError

    if sys.stdin.isatty() and sys.stdout.isatty():
        from qa.repl import run_repl

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


def cmd_serve(args: argparse.Namespace) -> int:
    """The HTTP service under uvicorn. The index is built here, once, before workers start."""
    import uvicorn

    from service.server import NoDelayH11Protocol

    s = settings_from(args)
    open_index(s.docs_dir, s.index_dir, s.embedder, rebuild=not args.no_rebuild, progress=not args.quiet)
    # Workers are fresh processes: they read their settings from the environment.
    os.environ.update({"QA_DOCS_DIR": str(s.docs_dir), "QA_INDEX_DIR": str(s.index_dir), "QA_EMBEDDER": s.embedder})
    # Concurrent requests already use the cores; one thread per embedding measured best under load.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    print(f"serving on http://{args.host}:{args.port} (docs at /docs, chat page at /)", file=sys.stderr)
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        http=NoDelayH11Protocol,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,  # the service writes its own structured line per request
        log_level="info" if args.verbose else "warning",
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="reportqa",
        description="Answer questions about reports, citing the report's own sentences.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = sub.add_parser("index", help="build or inspect the sentence index")
    index_sub = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    p = index_sub.add_parser("build", parents=[common], help="index every report in the docs folder")
    p.set_defaults(func=cmd_index_build)
    p = index_sub.add_parser("info", parents=[common], help="print what the index manifest says")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=cmd_index_info)

    p = sub.add_parser("ask", parents=[common], help="answer one question, citing the report")
    p.add_argument("question", help="the question, in Chinese or English")
    p.add_argument("--json", action="store_true", help="print the answer as JSON (the /v1/ask shape)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="a conversation: one question per line, follow-ups kept")
    p.add_argument("--json", action="store_true", help="JSON lines out, each the /v1/ask shape")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("search", parents=[common], help="the best sentences for a question")
    p.add_argument("question", nargs="?", help="omit to read questions from the terminal or stdin")
    p.add_argument("-k", type=int, default=3, help="how many sentences (default 3)")
    p.add_argument("--json", action="store_true", help="JSON lines: question and hits with offsets")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("serve", parents=[common], help="the HTTP API, OpenAI-compatible API and chat page")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes, each with its own engine")
    p.add_argument("--verbose", action="store_true", help="uvicorn's own info logging")
    p.set_defaults(func=cmd_serve)

    ev = sub.add_parser("eval", help="measure quality on evaluation files")
    ev_sub = ev.add_subparsers(dest="eval_command", required=True, metavar="KIND")
    p = ev_sub.add_parser(
        "retrieval",
        parents=[common],
        help="sent@1, sent@3, ctx@1 and ms/query on a SQuAD-format file",
    )
    p.add_argument("--squad", type=Path, required=True, help="SQuAD-format JSON (e.g. CMRC 2018)")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    p.set_defaults(func=cmd_eval_retrieval)
    p = ev_sub.add_parser("qa", parents=[common], help="short answers, citations and abstention on JSONL questions")
    p.add_argument("--questions", type=Path, required=True, help="JSONL: id, question, answers, evidence")
    p.add_argument("--dialogs", type=Path, help="JSONL: id and turns, each turn asked in one session")
    p.add_argument("--json", action="store_true", help="print the report, every row included, as JSON")
    p.add_argument("--verbose", action="store_true", help="show question, gold answers and cited sentence")
    p.set_defaults(func=cmd_eval_qa)
    p = ev_sub.add_parser("squad", parents=[common], help="EM and F1 of short answers on a SQuAD-format file")
    p.add_argument("file", type=Path, help="SQuAD-format JSON (e.g. CMRC 2018)")
    p.add_argument("--limit", type=int, help="only the first N answerable questions")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    p.set_defaults(func=cmd_eval_squad)
    return parser


def run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return func(args)
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except UnicodeDecodeError as exc:
        print(f"error: the input is not UTF-8 text ({exc.reason} at byte {exc.start})", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:  # an unwritable index folder, a full disk …
        print(
            f"error: {exc.strerror or exc} ({exc.filename or 'no file'}): check the path and its permissions",
            file=sys.stderr,
        )
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`reportqa ask … | head -1`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    return run(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
