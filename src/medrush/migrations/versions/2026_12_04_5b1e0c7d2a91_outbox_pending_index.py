"""outbox pending index

Revision ID: 5b1e0c7d2a91
Revises: c993b3fd4bd4
Create Date: 2026-12-04 18:30:00

The relay looked for undelivered events with a scan of the whole outbox, which grows with every
event; at checkout rates (bench/checkout.py) the scan cost more than the checkouts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e0c7d2a91"
down_revision: str | None = "c993b3fd4bd4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(
        "ix_outbox_events_pending",
        "outbox_events",
        ["id"],
        postgresql_where=sa.text("delivered_at IS NULL AND failed_at IS NULL"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_outbox_events_pending", table_name="outbox_events")
