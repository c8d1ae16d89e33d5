"""Alembic environment: the connection is handed in by intake.migrate (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from intake.db import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `intake.migrate.upgrade(engine)`.")
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
