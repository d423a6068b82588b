"""`/v1/documents`: the reports answers come from; uploading and deleting them needs QA_ADMIN_KEY.

Reading the list takes the API key like every /v1 route. Changes take the admin key instead (a
different token: whoever may ask need not be allowed to change the reports), and without one set
they are refused with 403 saying how to enable them. A change rebuilds the index incrementally in
the thread pool, outside the engine slots, so questions keep being answered meanwhile."""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from qa.library import DocumentEntry
from service.deps import EngineDep, require_admin_key, require_api_key
from service.errors import ServiceError
from service.schemas import DeletedOut, DocumentList, DocumentOut, UploadOut, error_responses

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=error_responses(401, 503))
UploadDep = Annotated[UploadFile, File(description="the report file")]
DOC_ID = Path(..., min_length=1, max_length=512, description="a document's doc_id (GET /v1/documents lists them)")


def document_out(entry: DocumentEntry) -> DocumentOut:
    return DocumentOut(
        doc_id=entry.doc_id,
        file=entry.path,
        format=PurePath(entry.path).suffix.lower().lstrip("."),
        characters=entry.characters,
        sentences=entry.sentences,
        sha256=entry.checksum,
    )


@router.get(
    "", response_model=DocumentList, summary="The reports answers come from", dependencies=[Depends(require_api_key)]
)
def list_documents(engine: EngineDep) -> DocumentList:
    return DocumentList(documents=[document_out(e) for e in engine.stats().entries])


@router.get(
    "/{doc_id:path}",
    response_model=DocumentOut,
    summary="One report",
    dependencies=[Depends(require_api_key)],
    responses=error_responses(404),
)
def get_document(engine: EngineDep, doc_id: str = DOC_ID) -> DocumentOut:
    entry = next((e for e in engine.stats().entries if e.doc_id == doc_id), None)
    if entry is None:
        raise ServiceError(404, "not_found", f"no document {doc_id!r}: GET /v1/documents lists them")
    return document_out(entry)


@router.post(
    "",
    response_model=UploadOut,
    status_code=201,
    summary="Upload a report (text, Markdown, PDF, Word .docx or HTML; the type is read from the bytes)",
    dependencies=[Depends(require_admin_key)],
    responses={
        200: {"model": UploadOut, "description": "the same file was already indexed"},
        **error_responses(400, 403, 413, 415, 422),
    },
)
async def upload_document(engine: EngineDep, file: UploadDep) -> JSONResponse:
    data = await file.read()
    if not data:
        raise ServiceError(422, "unreadable_file", f"{file.filename or 'the upload'} is empty (0 bytes)")
    added = await run_in_threadpool(engine.add_document, file.filename or "", data)
    body = UploadOut(**document_out(added.entry).model_dump(), created=added.created, embedded=added.embedded)
    return JSONResponse(body.model_dump(), status_code=201 if added.created else 200)


@router.delete(
    "/{doc_id:path}",
    response_model=DeletedOut,
    summary="Remove a report from the index and the docs folder",
    dependencies=[Depends(require_admin_key)],
    responses=error_responses(403, 404, 409),
)
async def delete_document(engine: EngineDep, doc_id: str = DOC_ID) -> DeletedOut:
    left = await run_in_threadpool(engine.remove_document, doc_id)
    return DeletedOut(deleted=doc_id, documents=left)
