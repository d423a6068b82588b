"""The engine's errors. `ReportQAError(code, message)` is the one base of every failure a user can
fix; the index layer's errors (`index.errors`) share it, so a front door catches one class and
maps its `code` to a status in one place."""

from __future__ import annotations

from index.errors import EmbedderError, IndexProblem, NoDocuments, ReportQAError


class QuestionError(ReportQAError):
    """A question the engine will not take (empty, too long, undecodable)."""


class SessionStoreError(ReportQAError):
    """The session store cannot be used (unreachable server, unwritable file); the message says which."""

    def __init__(self, message: str) -> None:
        super().__init__("session_store_unavailable", message)


class EvalFormatError(ReportQAError):
    """An evaluation file is not in the expected shape; the message names the file and line."""

    def __init__(self, message: str) -> None:
        super().__init__("bad_eval_file", message)


# Why an engine cannot be loaded: a missing, stale or damaged index, an embedder that cannot load,
# no readable report, a docs folder that does not exist, a session store out of reach.
LOAD_ERRORS = (ReportQAError, FileNotFoundError)

__all__ = [
    "LOAD_ERRORS",
    "EmbedderError",
    "EvalFormatError",
    "IndexProblem",
    "NoDocuments",
    "QuestionError",
    "ReportQAError",
    "SessionStoreError",
]
