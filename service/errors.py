"""One error shape for every failure: {"error": {"code": "…", "message": "…"}}, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.errors import QuestionError, ReportQAError, SessionStoreError
from service.validation import explain

log = logging.getLogger("reportqa.service")

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    503: "unavailable",
}


# Errors the client can fix, by code; anything else (an index or session store out of reach) is 503.
CLIENT_ERRORS = {"not_found": 404, "last_document": 409, "unsupported_type": 415, "unreadable_file": 422}


# The framework's own 4xx details, in our words (what went wrong and what to send instead).
NOT_MULTIPART = "the upload is not valid multipart/form-data: send the report as the form field `file`"
OUR_WORDING = {"Invalid multipart data.": NOT_MULTIPART, "Missing boundary in multipart.": NOT_MULTIPART}


def status_of(exc: ReportQAError) -> int:
    """The one place an engine error's class becomes an HTTP status: a refused question or upload is
    the client's to fix (4xx); anything else (an index or session store out of reach) is 503."""
    if isinstance(exc, QuestionError):
        return 422
    return CLIENT_ERRORS.get(exc.code, 503)


class ServiceError(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: str
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers, self.extra = status, code, message, headers, extra


def error_body(code: str, message: str, **extra: str) -> dict[str, dict[str, str]]:
    """`extra`: more fields a client's protocol expects (OpenAI's `type` and `param`)."""
    return {"error": {"code": code, "message": message, **extra}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: str
) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "invalid_json", "the request body is not valid JSON"
    if not errors:
        return 422, "invalid_request", "the request does not fit the API: see /docs"
    return 422, "invalid_request", explain(errors[0])


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(*_validation_message(exc))

    @app.exception_handler(ReportQAError)
    async def on_engine(_: Request, exc: ReportQAError) -> JSONResponse:
        if isinstance(exc, SessionStoreError):
            log.error("session store: %s", exc)
        return error_response(status_of(exc), exc.code, exc.message)

    @app.exception_handler(ServiceError)
    async def on_service(_: Request, exc: ServiceError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers, **exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "http_error")
        message = OUR_WORDING.get(str(exc.detail), str(exc.detail))
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "the server failed to answer; the error is logged")
