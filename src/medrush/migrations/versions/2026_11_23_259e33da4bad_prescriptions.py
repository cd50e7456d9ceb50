"""prescriptions: signed e-prescriptions with their review and use

Revision ID: 259e33da4bad
Revises: 9d3a73298310
Create Date: 2026-11-23 14:30:16.257801
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "259e33da4bad"
down_revision: str | None = "9d3a73298310"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "prescriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("doctor_id", sa.Uuid(), nullable=True),
        sa.Column("drafted_by", sa.Uuid(), nullable=True),
        sa.Column("consultation_id", sa.Uuid(), nullable=True),
        sa.Column("pharmacy_id", sa.Uuid(), nullable=True),
        sa.Column("jurisdiction", sa.String(length=16), nullable=False),
        sa.Column("diagnosis", sa.Text(), nullable=False),
        sa.Column("prior_diagnosis", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signature", sa.String(length=64), nullable=True),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_ref", sa.String(length=80), nullable=True),
        sa.Column("retain_until", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft','signed','approved','rejected','used','expired')",
            name=op.f("ck_prescriptions_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["users.id"], name=op.f("fk_prescriptions_account_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["users.id"], name=op.f("fk_prescriptions_doctor_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["patient_profiles.id"],
            name=op.f("fk_prescriptions_profile_id_patient_profiles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescriptions")),
    )
    op.create_index(op.f("ix_prescriptions_account_id"), "prescriptions", ["account_id"], unique=False)
    op.create_index(
        op.f("ix_prescriptions_consultation_id"), "prescriptions", ["consultation_id"], unique=False
    )
    op.create_index(op.f("ix_prescriptions_doctor_id"), "prescriptions", ["doctor_id"], unique=False)
    op.create_index(
        "ix_prescriptions_items", "prescriptions", ["items"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_prescriptions_pharmacy_id"), "prescriptions", ["pharmacy_id"], unique=False)
    op.create_index(op.f("ix_prescriptions_profile_id"), "prescriptions", ["profile_id"], unique=False)
    op.create_index(
        "ix_prescriptions_status_signed_at", "prescriptions", ["status", "signed_at"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_prescriptions_status_signed_at", table_name="prescriptions")
    op.drop_index(op.f("ix_prescriptions_profile_id"), table_name="prescriptions")
    op.drop_index(op.f("ix_prescriptions_pharmacy_id"), table_name="prescriptions")
    op.drop_index("ix_prescriptions_items", table_name="prescriptions", postgresql_using="gin")
    op.drop_index(op.f("ix_prescriptions_doctor_id"), table_name="prescriptions")
    op.drop_index(op.f("ix_prescriptions_consultation_id"), table_name="prescriptions")
    op.drop_index(op.f("ix_prescriptions_account_id"), table_name="prescriptions")
    op.drop_table("prescriptions")
