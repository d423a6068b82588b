"""`reportqa index build | info`: build the index directory, or print what its manifest says."""

from __future__ import annotations

import argparse
import json

from cli.commands.common import EXIT_OK, settings_from
from index.local.store import MANIFEST, read_manifest, rebuild_command


def cmd_index_build(args: argparse.Namespace) -> int:
    from index.local.build import build_index  # here: every other command starts without it

    s = settings_from(args)
    manifest = build_index(s.docs_dir, s.index_dir, s.embedder, progress=not args.quiet)
    c = manifest.counts
    print(
        f"indexed {c.documents} document(s), {c.paragraphs} paragraphs, {c.sentences} sentences "
        f"into {s.index_dir} in {manifest.build_seconds} s ({manifest.embedder_id})"
    )
    return EXIT_OK


def cmd_index_info(args: argparse.Namespace) -> int:
    s = settings_from(args)
    manifest = read_manifest(s.index_dir, rebuild_command(s.docs_dir, s.index_dir, s.embedder))
    if args.json:
        shown = {k: v for k, v in manifest.to_json().items() if k != "files"}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return EXIT_OK
    c = manifest.counts
    print(f"index      {s.index_dir / MANIFEST}")
    print(f"built      {manifest.built_at} in {manifest.build_seconds} s")
    print(f"embedder   {manifest.embedder_id} (dim {manifest.embedder_dim})")
    print(f"dense      faiss {manifest.dense_kind}")
    print(f"counts     {c.documents} documents, {c.paragraphs} paragraphs, {c.sentences} sentences")
    for doc in manifest.documents:
        print(f"  {doc.doc_id:<24} {doc.sentences:>6} sentences  {doc.encoding:<9} {doc.checksum[:12]}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    index = sub.add_parser("index", help="build or inspect the sentence index")
    index_sub = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    p = index_sub.add_parser("build", parents=[common], help="index every report in the docs folder")
    p.set_defaults(func=cmd_index_build)
    p = index_sub.add_parser("info", parents=[common], help="print what the index manifest says")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=cmd_index_info)
