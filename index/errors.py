"""The one error base of the project, and the index layer's failures.

`ReportQAError` lives here, in the lowest layer, so that index errors can subclass it without the
index importing the answer engine; `qa.errors` re-exports it beside the engine's own errors. Every
error has a stable `code` for the interfaces and a one-line `message` that says what to do next.
"""

from __future__ import annotations


class ReportQAError(Exception):
    """Base of every failure a user can fix; interfaces map `code` to a status in one place."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class IndexProblem(ReportQAError):
    """The index cannot be used: a one-line message naming the file at fault and the command that
    fixes it."""

    code = "index_unavailable"

    def __init__(self, message: str) -> None:
        super().__init__(type(self).code, message)


class IndexMissing(IndexProblem):
    pass


class IndexStale(IndexProblem):
    pass


class IndexMismatch(IndexProblem):
    pass


class IndexDamaged(IndexProblem):
    pass


class NoDocuments(IndexProblem):
    """The docs folder holds no readable report."""

    code = "no_documents"


class EmbedderError(IndexProblem):
    """The embedder spec is unknown or its model cannot be loaded: no index can be searched."""

    code = "embedder_unavailable"


class UnknownDocument(ReportQAError):
    """No document of that id in the index."""

    def __init__(self, message: str) -> None:
        super().__init__("not_found", message)


class UnsupportedFile(ReportQAError):
    """A file that is not a report this version reads (by its extension), or no file at all."""

    def __init__(self, message: str) -> None:
        super().__init__("unsupported_type", message)


class UnreadableFile(ReportQAError):
    """A file of a format this version reads, whose content cannot be read (damaged, encrypted, no text)."""

    def __init__(self, message: str) -> None:
        super().__init__("unreadable_file", message)


class LastDocument(ReportQAError):
    """Removing the only report would leave nothing to answer from."""

    def __init__(self, message: str) -> None:
        super().__init__("last_document", message)


class RetrieverUnavailable(IndexProblem):
    """The retrieval engine (a Milvus server) cannot be reached or did not answer in time."""

    code = "retriever_unavailable"
