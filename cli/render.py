"""Answers drawn for a terminal with rich: the short answer first, numbered citations with their
section and paragraph, the answer span highlighted inside its sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.json import JSON
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from index.split import Paragraph
from qa.format import SEE_ALSO, reply_parts
from qa.types import Answer, Citation

SHORT = "bold black on bright_yellow"
SPAN = "bold bright_yellow underline"
SENTENCE = "bold"
WHERE = "dim"
NOTICE = "bold yellow"
ERROR = "bold red"

COMMANDS = (
    (":help", "this list"),
    (":sources", "the full paragraphs behind the last answer"),
    (":reset", "start a new conversation (forget follow-up context)"),
    (":json", "toggle raw JSON output (the /v1/ask shape)"),
    (":quit", "leave (or Ctrl-D)"),
)


def where(c: Citation) -> str:
    place = f"{c.section} · 第{c.paragraph}段" if c.section else f"第{c.paragraph}段"
    page = f" · 第{c.page}页" if c.page else ""
    return f"{c.doc_id}{page} · {place} · 句{c.sentence}"


def marked(text: str, spans: Sequence[tuple[int, int, str]], base: str = "") -> Text:
    """`text` with each (start, end, style) applied; offsets outside the text are clipped, so a
    span that does not fall inside (it should) leaves the text plain rather than failing."""
    out = Text(text, style=base)
    for start, end, style in spans:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            out.stylize(style, start, end)
    return out


def cited_sentence(answer: Answer, number: int, c: Citation) -> Text:
    spans = []
    if number == 1 and answer.span is not None:  # the span lies inside citation 0
        spans.append((answer.span.start - c.start, answer.span.end - c.start, SPAN))
    return marked(c.text, spans)


def answer_view(answer: Answer) -> Group:
    if not answer.answerable:
        return unanswerable_view(answer)
    parts: list[Any] = [Text.assemble(("答 › ", "bold green"), (f" {answer.short_answer} ", SHORT))]
    if answer.resolved_question.strip() != answer.question.strip():  # a follow-up, as understood
        parts.append(Text.assemble(("     = ", WHERE), (answer.resolved_question, "italic dim")))
    grid = Table.grid(padding=(0, 1))  # a hanging indent for sentences that wrap
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")  # Chinese has no spaces to wrap at
    for number, c in enumerate(answer.citations, start=1):
        grid.add_row(f"[{number}]", cited_sentence(answer, number, c))
        grid.add_row("", Text(where(c), style=WHERE))
    parts.append(Padding(grid, (1, 0, 0, 5)))
    return Group(*parts)


def unanswerable_view(answer: Answer) -> Group:
    head, _ = reply_parts(answer)
    parts: list[Any] = [Text.assemble(("答 › ", "bold green"), (head, NOTICE))]
    if answer.suggestions:
        tips = Text(SEE_ALSO[answer.language], style=WHERE)  # the engine's own words, in the question's language
        for i, name in enumerate(answer.suggestions):
            tips.append(" · " if i else "", style=WHERE)
            tips.append(name, style="cyan")
        parts.append(Padding(tips, (0, 0, 0, 5)))
    return Group(*parts)


def json_view(answer: Answer) -> JSON:
    return JSON.from_data(answer.to_dict(), indent=2, ensure_ascii=False)


def source_view(answer: Answer, number: int, c: Citation, paragraph: Paragraph | None) -> Panel:
    title = Text.assemble((f"[{number}] ", "bold cyan"), (where(c), ""))
    if paragraph is None:
        return Panel(Text(c.text), title=title, title_align="left", border_style="dim")
    offset = paragraph.start
    spans = [(c.start - offset, c.end - offset, SENTENCE)]
    if number == 1 and answer.span is not None:
        spans.append((answer.span.start - offset, answer.span.end - offset, SPAN))
    text = marked(paragraph.text, spans, base="dim")
    return Panel(text, title=title, title_align="left", border_style="cyan", padding=(0, 1))


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def banner(documents: int, sentences: int, docs_dir: str) -> Group:
    head = Text.assemble(
        ("ReportQA", "bold cyan"),
        ("  ", ""),
        (f"{plural(documents, 'document')} · {plural(sentences, 'sentence')}", ""),
        (f"  ({docs_dir})", WHERE),
    )
    hint = Text("Ask about the reports in Chinese or English; follow-ups like 防护服呢？ work.", style=WHERE)
    cmds = Text(style=WHERE)
    for i, (name, _) in enumerate(COMMANDS):
        cmds.append(" " if i else "")
        cmds.append(name, style="bold")
    cmds.append("   ↑/Ctrl-R history · Ctrl-C clears the line · Ctrl-D quits")
    return Group(head, hint, cmds, Text())


def help_view() -> Group:
    rows = [Text.assemble((f"  {name:<12}", "bold"), (what, "")) for name, what in COMMANDS]
    rows.append(Text(f"  {'↑ / Ctrl-R':<12}earlier questions (kept between runs)", style=WHERE))
    rows.append(Text(f"  {'Ctrl-C':<12}clear the line", style=WHERE))
    return Group(*rows)


def print_error(console: Console, message: str) -> None:
    console.print(Text.assemble(("error: ", ERROR), (message, "red")))
