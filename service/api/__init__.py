"""The HTTP API: one router per module, included here one line each."""

from __future__ import annotations

from fastapi import APIRouter

from service.api import ask, chat, documents, health, paragraph

router = APIRouter()
router.include_router(ask.router)
router.include_router(paragraph.router)
router.include_router(chat.router)
router.include_router(documents.router)
router.include_router(health.router)
