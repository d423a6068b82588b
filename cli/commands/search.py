"""`reportqa search`: the best sentences for a question, with offsets (no answer extraction)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict

from cli.commands.common import EXIT_OK, settings_from
from index.retriever import Hit, Retriever


def hit_json(hit: Hit) -> dict[str, object]:
    from qa.types import Citation

    return asdict(Citation.from_hit(hit))


def print_hits(question: str, hits: list[Hit], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"question": question, "hits": [hit_json(h) for h in hits]}, ensure_ascii=False))
        return
    for h in hits:
        s = h.sentence
        where = f"{s.doc_id} · {s.section or '—'} · ¶{s.paragraph}.{s.number} [{s.start}:{s.end}]"
        print(f"[{h.rank}] {s.text}\n    {where}")


def search_lines(index: Retriever, lines: Iterable[str], k: int, as_json: bool, prompt: bool) -> None:
    for line in lines:
        question = line.strip()
        if question:
            print_hits(question, index.search(question, k), as_json)
        if prompt:
            print("? ", end="", flush=True)


def cmd_search(args: argparse.Namespace) -> int:
    from index.local.load import open_index  # here: `reportqa --help` need not load the index code

    s = settings_from(args)
    index = open_index(s.docs_dir, s.index_dir, s.embedder, rebuild=not args.no_rebuild, progress=not args.quiet)
    if args.question:
        print_hits(args.question, index.search(args.question, args.k), args.json)
        return EXIT_OK
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"{index.stats().sentences} sentences indexed. Type a question, Ctrl-D to quit.\n? ", end="", flush=True)
    search_lines(index, sys.stdin, args.k, args.json, interactive)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common], help="the best sentences for a question")
    p.add_argument("question", nargs="?", help="omit to read questions from the terminal or stdin")
    p.add_argument("-k", type=int, default=3, help="how many sentences (default 3)")
    p.add_argument("--json", action="store_true", help="JSON lines: question and hits with offsets")
    p.set_defaults(func=cmd_search)
