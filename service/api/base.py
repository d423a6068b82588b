"""What every `/v1` router shares: the prefix, the API key and the documented error statuses."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from service.deps import require_api_key
from service.schemas import error_responses


def v1_router(tag: str) -> APIRouter:
    return APIRouter(
        prefix="/v1",
        dependencies=[Depends(require_api_key)],
        tags=[tag],
        responses=error_responses(400, 401, 413, 422, 503),
    )
