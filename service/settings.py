"""The service's settings: the engine's (`qa.settings`) plus HTTP, sessions, WeChat and WeCom.

Same `QA_` variables as ever. Read once by `get_settings` (a cached FastAPI dependency); tests swap
it with `app.dependency_overrides`, never by patching a module global."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator

from qa.settings import Settings as EngineSettings


class Settings(EngineSettings):
    api_key: str | None = Field(None, description="if set, HTTP clients must send it as a Bearer token")
    admin_key: str | None = Field(
        None,
        description="Bearer token for adding and deleting documents over HTTP; unset: those routes answer 403",
    )
    max_upload_mb: float = Field(20, gt=0, le=1024, description="largest document upload, in MB (413 above it)")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed to call the API from a browser")
    redis_url: str | None = Field(None, description="redis://… to keep sessions in Redis")
    session_ttl_seconds: int = Field(3600, gt=0, description="a session's turns are forgotten after this long")
    session_max_turns: int = Field(8, ge=1, description="turns of a session kept for follow-up questions")
    wechat_token: str | None = None
    wechat_aes_key: str | None = None
    wechat_appid: str | None = None
    wechat_mode: Literal["plain", "compat", "safe"] = Field(
        "plain", description="the official account's message encryption mode: plain, compat or safe (AES)"
    )
    wecom_token: str | None = Field(None, description="WeCom (企业微信) app callback Token")
    wecom_aes_key: str | None = Field(None, description="WeCom app callback EncodingAESKey (43 characters)")
    wecom_corp_id: str | None = Field(None, description="WeCom corp id (企业ID), the receive id of its messages")
    wechat_examples: list[str] = Field(
        default_factory=list, description="example questions in the chat welcome; default: from the index"
    )
    wechat_answer_budget_seconds: float = Field(
        4.0, gt=0, lt=5, description="WeChat waits 5 s for a reply: answer within this, or say 'send again'"
    )

    @model_validator(mode="after")
    def keys_differ(self) -> Settings:
        if self.admin_key and self.admin_key == self.api_key:
            raise ValueError("QA_ADMIN_KEY must differ from QA_API_KEY: anyone who may ask could change the reports")
        return self

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


@lru_cache
def get_settings() -> Settings:
    return Settings()
