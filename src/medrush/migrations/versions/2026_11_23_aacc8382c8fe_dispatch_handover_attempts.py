"""dispatch handover attempts

Revision ID: aacc8382c8fe
Revises: a1a7eb1c702b
Create Date: 2026-11-23 14:58:06.741050
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aacc8382c8fe"
down_revision: str | None = "a1a7eb1c702b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "dispatch_jobs", sa.Column("handover_attempts", sa.Integer(), server_default="0", nullable=False)
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("dispatch_jobs", "handover_attempts")
