"""dispatch shifts

Revision ID: d5f2a8c3e6b9
Revises: b3e8d1f4a6c2
Create Date: 2026-12-07 17:00:00

A courier's row keeps only its current or latest shift, and starting a shift overwrote the one
before, so a courier's earnings lost the earlier shifts of their 24 hours. Every shift is now
kept in ``dispatch_shifts`` (its end planned, moved to the minute it was ended early); the
courier rows that have a shift give the history its first row each.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5f2a8c3e6b9"
down_revision: str | None = "b3e8d1f4a6c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "dispatch_shifts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("courier_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_shifts")),
    )
    op.create_index(
        "ix_dispatch_shifts_courier_started", "dispatch_shifts", ["courier_id", "started_at"], unique=False
    )
    op.execute(
        "INSERT INTO dispatch_shifts (id, courier_id, started_at, ended_at) "
        "SELECT gen_random_uuid(), user_id, shift_started_at, shift_ends_at FROM dispatch_couriers "
        "WHERE shift_started_at IS NOT NULL AND shift_ends_at IS NOT NULL"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_dispatch_shifts_courier_started", table_name="dispatch_shifts")
    op.drop_table("dispatch_shifts")
