"""retention indexes

Revision ID: e7a2c5d9b4f1
Revises: c4d9e1f7a3b2
Create Date: 2026-12-06 20:10:00

Block range (BRIN) indexes on the creation time of outbox events and idempotency keys, for the
housekeeping that deletes them after their retention (settings ``outbox_retention_days`` and
``idempotency_retention_hours``). Rows arrive in time order, so a BRIN index finds the old ones
at a fraction of a B-tree's upkeep on every checkout.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e7a2c5d9b4f1"
down_revision: str | None = "c4d9e1f7a3b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_outbox_events_created_at", "outbox_events", ["created_at"], postgresql_using="brin")
    op.create_index(
        "ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], postgresql_using="brin"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_index("ix_outbox_events_created_at", table_name="outbox_events")
