"""Alembic environment: runs on the connection handed over by ``medrush.migrations``."""

from __future__ import annotations

from alembic import context

from medrush.migrations import load_all_models

target_metadata = load_all_models()
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through medrush.migrations
    raise RuntimeError("run migrations through `medrush db upgrade`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    compare_type=True,
    compare_server_default=False,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
