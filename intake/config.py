"""Settings, from environment variables with the PRECERT_ prefix (and DIR/storage.env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRECERT_", extra="ignore")

    data_dir: Path = Path("./precert-data")

    # Object storage. No endpoint -> `precert serve` starts the embedded S3 server.
    s3_endpoint: str | None = None  # host:port or http(s)://host:port
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str = "us-east-1"
    store_bucket: str = "precert"
    inbox_bucket: str = "precert-inbox"

    # Metadata database; default SQLite under data_dir.
    database_url: str | None = None

    # Task queue: embedded SQLite (default) or Redis, e.g. redis://localhost:6379/0
    queue_url: str | None = None
    workers: int = Field(default=2, ge=1, le=64)

    admin_token: str | None = None  # only read on first start

    max_upload_mb: int = Field(default=100, ge=1)
    max_pages: int = Field(default=500, ge=1)
    ocr_timeout_s: float = Field(default=120, gt=0)
    # Pages of one document OCRed at once (each a Tesseract process), in each worker process.
    ocr_workers: int = Field(default=2, ge=1, le=64)

    # Exactly one process should watch an inbox: turn it off on extra API replicas.
    inbox_watch: bool = True
    # How often `serve` checks its worker process and re-enqueues work whose task was lost.
    supervise_seconds: float = Field(default=30.0, gt=0)
    inbox_poll_seconds: float = Field(default=3.0, gt=0)
    # A scanner may still be writing: take an inbox object only once it is this old.
    inbox_settle_seconds: float = Field(default=2.0, ge=0)

    # The practice that sends packets (the cover sheet's "From").
    practice_name: str | None = None
    practice_contact: str | None = None
    practice_phone: str | None = None
    practice_fax: str | None = None
    practice_email: str | None = None
    # packet.pdf above this is also written as parts under it, each with the cover (fax servers
    # and portals cap file sizes). 0: never split.
    packet_part_mb: float = Field(default=10.0, ge=0)
    # bundle.json attachments: URLs under this base (how downstream tools reach this service),
    # or the documents inline (large bundles).
    public_url: str | None = None
    bundle_inline_attachments: bool = False
    # Packet files are locked against deletion for this long when the bucket supports S3 object
    # lock (governance mode). 0: no retention.
    packet_retention_days: int = Field(default=2190, ge=0)
    # A presigned download link (`?redirect=presigned`) lives this long.
    presigned_seconds: int = Field(default=300, ge=10, le=86400)

    # Webhooks: each delivery attempt's timeout, how many attempts before giving up, and how
    # often pending deliveries and overdue decisions are looked for.
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    webhook_max_attempts: int = Field(default=8, ge=1)
    webhook_poll_seconds: float = Field(default=2.0, gt=0)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'precert.db').resolve()}"


def load_storage_env(data_dir: Path) -> dict[str, str]:
    """The embedded S3 server's coordinates that `precert serve` wrote for admins and workers."""
    path = data_dir / "storage.env"
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip()
    return values
