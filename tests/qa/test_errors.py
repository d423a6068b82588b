"""One error base: every failure a user can fix is a ReportQAError with a stable code."""

from __future__ import annotations

import pytest

from index import errors as index_errors
from qa.errors import LOAD_ERRORS, EvalFormatError, QuestionError, ReportQAError, SessionStoreError


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (index_errors.IndexMissing("no index at x"), "index_unavailable"),
        (index_errors.IndexDamaged("x is damaged"), "index_unavailable"),
        (index_errors.NoDocuments("no readable report"), "no_documents"),
        (index_errors.EmbedderError("unknown embedder"), "embedder_unavailable"),
        (SessionStoreError("cannot reach Redis"), "session_store_unavailable"),
        (EvalFormatError("bad line"), "bad_eval_file"),
        (QuestionError("empty_question", "the question is empty"), "empty_question"),
    ],
)
def test_every_error_shares_the_base_and_has_a_code(error: ReportQAError, code: str) -> None:
    assert isinstance(error, ReportQAError) and isinstance(error, LOAD_ERRORS)
    assert error.code == code
    assert str(error) == error.message


def test_the_index_layer_and_the_engine_share_one_base() -> None:
    assert index_errors.ReportQAError is ReportQAError
    assert issubclass(index_errors.IndexProblem, ReportQAError)
    assert FileNotFoundError in LOAD_ERRORS  # a docs folder that does not exist
