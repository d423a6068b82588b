"""deploy/: the compose file checked against a schema of the Compose keys it uses (Docker is not
available here to run it), and the topology it promises: stateless replicas sharing Redis and
Milvus behind the proxy, the index built by one job."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from qa.settings import Settings as EngineSettings
from service.settings import Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Healthcheck(Strict):
    test: list[str]
    interval: str
    timeout: str
    retries: int = Field(ge=1)
    start_period: str | None = None


class Dependency(Strict):
    condition: Literal["service_started", "service_healthy", "service_completed_successfully"]


class Build(Strict):
    context: str
    dockerfile: str


class Deploy(Strict):
    replicas: int = Field(ge=1)


class Service(Strict):
    image: str = Field(pattern=r"^[\w./-]+:[\w.-]+$")  # always a pinned tag, never implicit latest upstream
    build: Build | None = None
    command: str | list[str] | None = None
    environment: dict[str, str] = Field(default_factory=dict)
    volumes: list[str] = Field(default_factory=list)
    ports: list[str] = Field(default_factory=list)
    depends_on: dict[str, Dependency] = Field(default_factory=dict)
    healthcheck: Healthcheck | None = None
    deploy: Deploy | None = None
    restart: Literal["no", "always", "on-failure", "unless-stopped"] | None = None
    profiles: list[str] = Field(default_factory=list)


class Compose(Strict):
    name: str
    services: dict[str, Service]
    volumes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    x_reportqa: dict[str, Any] | None = Field(None, alias="x-reportqa")


@pytest.fixture(scope="module")
def compose() -> Compose:
    return Compose.model_validate(yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")))


def test_every_dependency_and_volume_exists(compose: Compose) -> None:
    for name, service in compose.services.items():
        assert set(service.depends_on) <= set(compose.services), name
        for volume in service.volumes:
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in compose.volumes, f"{name}: named volume {source} is not declared"
        for dependency, rule in service.depends_on.items():
            if rule.condition == "service_healthy":
                assert compose.services[dependency].healthcheck is not None, f"{name} waits on {dependency}"


def test_replicas_share_redis_and_milvus_and_never_build(compose: Compose) -> None:
    replicas, indexer = compose.services["reportqa"], compose.services["indexer"]
    assert replicas.deploy is not None and replicas.deploy.replicas >= 2
    assert isinstance(replicas.command, list) and replicas.command[:2] == ["reportqa", "serve"]
    assert isinstance(indexer.command, list) and indexer.command[:3] == ["reportqa", "index", "build"]
    assert indexer.profiles == ["build"]  # run on purpose, not with every `up`
    for service in (replicas, indexer):
        env = service.environment
        assert env["QA_RETRIEVER"] == "milvus"
        assert env["QA_MILVUS_URI"] == "http://milvus:19530" and env["QA_REDIS_URL"].startswith("redis://redis:")
        # Every variable is one the settings read, with a value they accept.
        settings = Settings(**{k.removeprefix("QA_").lower(): v for k, v in env.items()})
        assert settings.retriever == "milvus"
    assert set(EngineSettings.model_fields) <= set(Settings.model_fields)


def test_the_proxy_sends_every_request_to_the_replicas(compose: Compose) -> None:
    proxy = compose.services["proxy"]
    assert proxy.depends_on["reportqa"].condition == "service_healthy"
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"upstream reportqa \{[^}]*server reportqa:8000", conf)
    assert "proxy_pass http://reportqa;" in conf
    assert "proxy_buffering off" in conf  # streamed chat completions
    upload_mb = int(re.search(r"client_max_body_size (\d+)m", conf).group(1))  # type: ignore[union-attr]
    assert upload_mb >= Settings().max_upload_mb


def test_the_image_installs_what_serving_needs() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "torch==2.13.0" in dockerfile  # the CPU build, before the package
    for package in ("cli", "service", "qa", "index", "training", "docs_src"):
        assert f"COPY {package} {package}" in dockerfile
