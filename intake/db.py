"""Metadata tables (SQLAlchemy 2). The schema is created and upgraded by Alembic migrations."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    """An API token or a web session; only the SHA-256 of the secret is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="api")  # api | session
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    user: Mapped[User] = relationship()


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    reference: Mapped[str | None] = mapped_column(String(200), nullable=True)
    service_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Every code line as requested: [{"code", "modifiers", "units"}]; None on cases from before.
    service_lines: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    payer_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    plan_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    state: Mapped[str | None] = mapped_column(String(2), nullable=True)
    urgency: Mapped[str] = mapped_column(String(16), default="standard")
    request_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    member_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    patient_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    patient_dob: Mapped[str | None] = mapped_column(String(10), nullable=True)
    date_of_service: Mapped[date | None] = mapped_column(Date, nullable=True)  # anticipated
    place_of_service: Mapped[str | None] = mapped_column(String(2), nullable=True)
    units: Mapped[int | None] = mapped_column(Integer, nullable=True)
    episode: Mapped[str] = mapped_column(String(16), default="initial", server_default="initial")
    out_of_network: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    payer_fax: Mapped[str | None] = mapped_column(String(40), nullable=True)  # where a faxed packet goes
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    created_by: Mapped[str] = mapped_column(String(40), default="api")  # api | web | inbox
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    documents: Mapped[list[Document]] = relationship(back_populates="case", order_by="Document.created_at")


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(16))  # web | api | inbox
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    doc_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    extraction: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    grouping: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    inbox_key: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    case: Mapped[Case | None] = relationship(back_populates="documents")


class Packet(Base):
    __tablename__ = "packets"
    __table_args__ = (UniqueConstraint("case_id", "version"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="building", index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)
    completeness: Mapped[str | None] = mapped_column(String(16), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    due_rule: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The hand-off (intake/handoff.py): what was sent where, what the payer decided, and every
    # status change with who made it.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submission: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    history: Mapped[list[Any] | None] = mapped_column(JSON, default=list, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True)
    case: Mapped[Case] = relationship()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # WAL lets the API read while a worker writes; foreign keys are off by default.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
