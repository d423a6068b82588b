"""`reportqa index build | add | remove | info`: build the index directory, add reports to it or
remove one (only new sentences are embedded), or print what its manifest says."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli.commands.common import EXIT_OK, settings_from
from index.local.store import MANIFEST, read_manifest, rebuild_command
from index.retriever import Manifest
from qa.settings import Settings


def built(manifest: Manifest, where: str) -> int:
    c = manifest.counts
    print(
        f"indexed {c.documents} document(s), {c.paragraphs} paragraphs, {c.sentences} sentences "
        f"({manifest.embedded} embedded, the rest reused) into {where} in {manifest.build_seconds} s "
        f"({manifest.embedder_id})"
    )
    return EXIT_OK


def rebuild(s: Settings, progress: bool, recreate: bool = False) -> tuple[Manifest, str]:
    """Bring the chosen backend in line with the docs folder; (what it holds, where it is)."""
    if s.retriever == "milvus":
        from index.milvus.ingest import build_milvus  # here: pymilvus only when Milvus is chosen
        from qa.engine import milvus_target

        target = milvus_target(s)
        manifest = build_milvus(s.docs_dir, target, s.embedder, progress=progress, recreate=recreate)
        return manifest, f"{target.uri} ({target.collection})"
    from index.local.build import build_index  # here: every other command starts without it

    return build_index(s.docs_dir, s.index_dir, s.embedder, progress=progress), str(s.index_dir)


def cmd_index_build(args: argparse.Namespace) -> int:
    return built(*rebuild(settings_from(args), not args.quiet, args.recreate))


def cmd_index_add(args: argparse.Namespace) -> int:
    from index.local.update import check_files, place

    s = settings_from(args)
    for path in check_files(args.files):
        place(s.docs_dir, path.name, path.read_bytes())
    return built(*rebuild(s, not args.quiet))


def cmd_index_remove(args: argparse.Namespace) -> int:
    from index.local.update import forget

    s = settings_from(args)
    if s.retriever == "milvus":
        from index.milvus.ingest import stored_path
        from qa.engine import milvus_target

        forget(s.docs_dir, args.doc_id, stored_path(milvus_target(s), args.doc_id))
    else:
        forget(s.docs_dir, args.doc_id, local_path(s, args.doc_id))
    return built(*rebuild(s, not args.quiet))


def local_path(s: Settings, doc_id: str) -> str | None:
    manifest = read_manifest(s.index_dir, rebuild_command(s.docs_dir, s.index_dir, s.embedder))
    return next((d.path for d in manifest.documents if d.doc_id == doc_id), None)


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
    sizes = ", ".join(f"{g.sentences}" for g in manifest.segments)
    print(f"segments   {len(manifest.segments)} ({sizes} sentences)")
    print(f"counts     {c.documents} documents, {c.paragraphs} paragraphs, {c.sentences} sentences")
    for doc in manifest.documents:
        print(f"  {doc.doc_id:<24} {doc.sentences:>6} sentences  {doc.encoding:<9} {doc.checksum[:12]}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    index = sub.add_parser("index", help="build or inspect the sentence index")
    index_sub = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    p = index_sub.add_parser("build", parents=[common], help="index every report in the docs folder")
    p.add_argument(
        "--recreate",
        action="store_true",
        help="with --retriever milvus: drop the collection and build it anew (one made by another schema "
        "version or embedder is refused otherwise)",
    )
    p.set_defaults(func=cmd_index_build)
    p = index_sub.add_parser("add", parents=[common], help="copy reports into the docs folder and index them")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt, .md, .pdf, .docx or .html files")
    p.set_defaults(func=cmd_index_add)
    p = index_sub.add_parser("remove", parents=[common], help="delete a report from the docs folder and the index")
    p.add_argument("doc_id", metavar="DOC_ID", help="its id, as `reportqa index info` lists it")
    p.set_defaults(func=cmd_index_remove)
    p = index_sub.add_parser("info", parents=[common], help="print what the index manifest says")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=cmd_index_info)
