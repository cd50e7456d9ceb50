"""medicines updated_at index

Revision ID: a9d3f5c7e1b4
Revises: e7a2c5d9b4f1
Create Date: 2026-12-06 21:50:00

Every process's search index looks, every half minute, for the products stored since its last
look (``catalog.service.catch_up``), in case it missed a change broadcast on the bus.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a9d3f5c7e1b4"
down_revision: str | None = "e7a2c5d9b4f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_medicines_updated_at", "medicines", ["updated_at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_medicines_updated_at", table_name="medicines")
