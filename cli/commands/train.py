"""`reportqa train reader|export|calibrate|rerank …`: the reader's offline tools (need torch and the
`train` extra; the serving path never imports them)."""

from __future__ import annotations

import argparse
import importlib

from cli.commands.common import EXIT_FAIL

TOOLS = {
    "reader": ("training.train", "fine-tune the reader on SQuAD-format data (DRCD)"),
    "export": ("training.export", "export trained weights to the int8 ONNX graph that serving runs"),
    "calibrate": ("training.calibrate", "set the abstention midpoint on training data (DRCD)"),
    "rerank": ("training.rerank", "compare read depths and the retrieval-rank prior on training data (DRCD)"),
}


def cmd_train(args: argparse.Namespace) -> int:
    module_name, _ = TOOLS[args.tool]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        print(f"error: training needs its extra ({exc.name} is missing): pip install -e '.[train]'")
        return EXIT_FAIL
    result: int = module.main(args.rest)
    return result


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("train", help="train, export and calibrate the reader (offline)")
    p.add_argument("tool", choices=sorted(TOOLS), help="; ".join(f"{k}: {v[1]}" for k, v in TOOLS.items()))
    p.add_argument("rest", nargs=argparse.REMAINDER, help="the tool's own options (see `reportqa train TOOL --help`)")
    p.set_defaults(func=cmd_train)
