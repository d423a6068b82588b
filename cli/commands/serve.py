"""`reportqa serve`: the HTTP service under uvicorn."""

from __future__ import annotations

import argparse
import os
import sys

from cli.commands.common import EXIT_OK, settings_from
from qa.settings import Settings


def refuse_missing_index(s: Settings) -> None:
    """--no-rebuild: a missing or stale index (or collection) is refused here, before any worker starts."""
    if s.retriever == "milvus":
        from index.milvus.search import open_milvus
        from qa.engine import milvus_target

        open_milvus(str(s.docs_dir), milvus_target(s), s.embedder, rebuild=False, progress=False)
        return
    from index.local.load import open_index

    open_index(s.docs_dir, s.index_dir, s.embedder, rebuild=False, progress=False)


def cmd_serve(args: argparse.Namespace) -> int:
    """The HTTP service under uvicorn. A missing or stale index is built by the workers while they
    already listen (/readyz shows the progress); with --no-rebuild it is refused here, at once."""
    import uvicorn

    from service.server import NoDelayH11Protocol

    s = settings_from(args)
    if args.no_rebuild:
        refuse_missing_index(s)
    # Workers are fresh processes: they read their settings from the environment.
    os.environ.update(
        {
            "QA_DOCS_DIR": str(s.docs_dir),
            "QA_INDEX_DIR": str(s.index_dir),
            "QA_EMBEDDER": s.embedder,
            "QA_READER": s.reader,
            "QA_RETRIEVER": s.retriever,
        }
    )
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="the HTTP API, OpenAI-compatible API and chat page")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes, each with its own engine")
    p.add_argument("--verbose", action="store_true", help="uvicorn's own info logging")
    p.set_defaults(func=cmd_serve)
