"""The process-wide wiring: settings, database, object store, task queue."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property

from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from extractors.ocr_page import OcrSettings
from extractors.reader import ReadLimits
from intake.config import Settings, load_storage_env
from intake.db import make_engine, make_sessionmaker
from intake.migrate import upgrade
from intake.storage import ObjectStore


def make_huey(settings: Settings) -> Huey:
    url = settings.queue_url
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("precert", url=url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("precert", filename=str((settings.data_dir / "queue.db").resolve()), fsync=True)


def settings_from_environment(data_dir: str | None = None) -> Settings:
    """Environment first; for the embedded default, the storage.env that `precert serve` wrote."""
    overrides = {"data_dir": data_dir} if data_dir else {}
    settings = Settings(**overrides)
    if not settings.s3_endpoint:
        stored = load_storage_env(settings.data_dir)
        if stored.get("PRECERT_S3_ENDPOINT"):
            for key, value in stored.items():
                os.environ.setdefault(key, value)
            settings = Settings(**overrides)
    return settings


@dataclass
class Runtime:
    settings: Settings
    # Serialises grouping across every worker; the task queue sets a shared lock (make_queue).
    grouping_lock: Callable[[], AbstractContextManager[object]] = field(default=nullcontext)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url())

    @cached_property
    def sessions(self) -> sessionmaker:
        return make_sessionmaker(self.engine)

    @cached_property
    def store(self) -> ObjectStore:
        return ObjectStore.from_settings(self.settings)

    @property
    def limits(self) -> ReadLimits:
        return ReadLimits(max_pages=self.settings.max_pages)

    @property
    def ocr(self) -> OcrSettings:
        return OcrSettings(timeout_s=self.settings.ocr_timeout_s, workers=self.settings.ocr_workers)

    def migrate(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(self.engine)
