"""dispatch shift pauses

Revision ID: 7a2c4346facd
Revises: d5f2a8c3e6b9
Create Date: 2026-12-07 19:30:00

The hourly guarantee paid all shift time, paused or not. Every time a courier is offline within a
shift (went offline, or silent and taken offline by the dispatch round) is now kept in
``dispatch_shift_pauses`` (``ended_at`` null while open, at most one open per courier), and
earnings pay the guarantee for shift time less pauses. A courier offline within its open shift
when this runs gets an open pause from the moment its row last changed (when it went offline).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a2c4346facd"
down_revision: str | None = "d5f2a8c3e6b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "dispatch_shift_pauses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("courier_id", sa.Uuid(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["dispatch_shifts.id"],
            name=op.f("fk_dispatch_shift_pauses_shift_id_dispatch_shifts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_shift_pauses")),
    )
    op.create_index(
        "ix_dispatch_shift_pauses_courier_started",
        "dispatch_shift_pauses",
        ["courier_id", "started_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_dispatch_shift_pauses_shift_id"), "dispatch_shift_pauses", ["shift_id"], unique=False
    )
    op.create_index(
        "uq_dispatch_shift_pauses_courier_open",
        "dispatch_shift_pauses",
        ["courier_id"],
        unique=True,
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.execute(
        "INSERT INTO dispatch_shift_pauses (id, courier_id, shift_id, started_at) "
        "SELECT gen_random_uuid(), c.user_id, s.id, GREATEST(c.updated_at, s.started_at) "
        "FROM dispatch_couriers c JOIN dispatch_shifts s ON s.courier_id = c.user_id "
        "AND s.started_at <= now() AND s.ended_at > now() "
        "WHERE c.status = 'offline' AND c.offline_reason IS NOT NULL AND c.offline_reason <> 'shift_ended'"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("uq_dispatch_shift_pauses_courier_open", table_name="dispatch_shift_pauses")
    op.drop_index(op.f("ix_dispatch_shift_pauses_shift_id"), table_name="dispatch_shift_pauses")
    op.drop_index("ix_dispatch_shift_pauses_courier_started", table_name="dispatch_shift_pauses")
    op.drop_table("dispatch_shift_pauses")
