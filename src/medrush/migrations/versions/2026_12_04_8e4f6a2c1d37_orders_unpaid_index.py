"""orders unpaid index

Revision ID: 8e4f6a2c1d37
Revises: 5b1e0c7d2a91
Create Date: 2026-12-04 19:05:00

The timer that cancels unpaid orders looked for them with a scan of every order, every 5 seconds.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "8e4f6a2c1d37"
down_revision: str | None = "5b1e0c7d2a91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_orders_status_reservation_expires_at", "orders", ["status", "reservation_expires_at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_orders_status_reservation_expires_at", table_name="orders")
