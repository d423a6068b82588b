"""`reportqa eval …`: retrieval, answers and SQuAD-style scores, printed as Markdown tables."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from cli.commands.common import EXIT_OK, load_bot, settings_from

# The evaluation code is imported by the command that runs it: other commands start without it.
if TYPE_CHECKING:
    from qa.eval.qa import QAReport, QARow
    from qa.eval.squad import SquadQAReport


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from qa.eval.retrieval import evaluate_retrieval, squad_index
    from qa.eval.squad import read_squad

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
    from qa.eval.qa import evaluate, read_dialogs, read_questions

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


def print_squad(title: str, report: SquadQAReport) -> None:
    print(f"\n{title}: {report.questions} questions, {report.ms_per_question:.1f} ms/question")
    print("| answer chars | questions | EM | F1 | first citation holds it | one sentence holds it | answered |")
    print("|---|---|---|---|---|---|---|")
    for b in report.buckets:
        print(
            f"| {b.bucket} | {b.questions} | {b.em:.3f} | {b.f1:.3f} | {b.cited:.3f} | {b.citable:.3f} "
            f"| {b.answered:.3f} |"
        )


def cmd_eval_squad(args: argparse.Namespace) -> int:
    from qa.eval.squad import evaluate_reader, evaluate_squad, read_squad, squad_dirs

    s = settings_from(args)
    passages, questions = read_squad(args.file)
    questions = [q for q in questions if q.answers][: args.limit]
    docs_dir, index_dir = squad_dirs(args.file, s.data_dir / "eval", s.embedder)
    bot = load_bot(docs_dir, index_dir, s.embedder, args)
    report = evaluate_squad(bot, passages, questions, progress=not args.quiet)
    alone = (
        evaluate_reader(bot.reader, bot.analyzer, passages, questions, not args.quiet)
        if bot.reader and args.reader_only
        else None
    )
    if args.json:
        out = {"corpus": {k: v for k, v in asdict(report).items() if k != "rows"}}
        if alone:
            out["reader_only"] = {k: v for k, v in asdict(alone).items() if k != "rows"}
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    print(f"file        {args.file}  ({report.questions} questions)")
    print(f"embedder    {s.embedder}, answers by the {s.reader}")
    if alone:
        print_squad("reader only, gold passage", alone)
    print_squad("whole corpus: retrieve, read, answer", report)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
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
    p = ev_sub.add_parser(
        "squad",
        parents=[common],
        help="EM and F1 of short answers on a SQuAD-format file, and how often the first citation holds the answer",
    )
    p.add_argument("file", type=Path, help="SQuAD-format JSON (e.g. CMRC 2018)")
    p.add_argument("--limit", type=int, help="only the first N answerable questions")
    p.add_argument(
        "--no-reader-only", dest="reader_only", action="store_false", help="skip the gold-passage reader pass"
    )
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    p.set_defaults(func=cmd_eval_squad)
