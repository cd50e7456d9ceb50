"""consult: clinicians' presence, consultations, messages, attachments, read marks, outcomes

Revision ID: a1a7eb1c702b
Revises: 7205c470f242
Create Date: 2026-11-23 14:34:55.430228
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a1a7eb1c702b"
down_revision: str | None = "7205c470f242"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "consult_clinicians",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("modes", postgresql.ARRAY(sa.String(length=16)), nullable=False),
        sa.Column("specialties", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("capacity", sa.SmallInteger(), nullable=False),
        sa.Column("active_count", sa.SmallInteger(), nullable=False),
        sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_consult_clinicians_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_consult_clinicians")),
    )
    op.create_table(
        "consultations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("profile_id", sa.Uuid(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("specialty", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("symptoms", sa.Text(), nullable=False),
        sa.Column("triage_level", sa.String(length=16), nullable=False),
        sa.Column("triage", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("clinician_id", sa.Uuid(), nullable=True),
        sa.Column("clinician_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("pharmacy_id", sa.Uuid(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=True),
        sa.Column("retain_until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["users.id"], name=op.f("fk_consultations_account_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["patient_profiles.id"],
            name=op.f("fk_consultations_profile_id_patient_profiles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    op.create_index(op.f("ix_consultations_account_id"), "consultations", ["account_id"], unique=False)
    op.create_index(
        "ix_consultations_clinician_status", "consultations", ["clinician_id", "status"], unique=False
    )
    op.create_index(
        "ix_consultations_queue", "consultations", ["status", "mode", "priority", "created_at"], unique=False
    )
    op.create_table(
        "consult_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("uploader_id", sa.Uuid(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consult_attachments_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_attachments")),
    )
    op.create_index(
        op.f("ix_consult_attachments_consultation_id"),
        "consult_attachments",
        ["consultation_id"],
        unique=False,
    )
    op.create_table(
        "consult_messages",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=True),
        sa.Column("sender_role", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("attachment_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consult_messages_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_messages")),
        sa.UniqueConstraint(
            "consultation_id", "sender_id", "client_id", name="uq_consult_messages_client_id"
        ),
        sa.UniqueConstraint("consultation_id", "seq", name="uq_consult_messages_conversation_seq"),
    )
    op.create_table(
        "consult_outcomes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("clinician_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consult_outcomes_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_outcomes")),
    )
    op.create_index(
        op.f("ix_consult_outcomes_consultation_id"), "consult_outcomes", ["consultation_id"], unique=False
    )
    op.create_table(
        "consult_reads",
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("last_read_seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consult_reads_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", "user_id", name=op.f("pk_consult_reads")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("consult_reads")
    op.drop_index(op.f("ix_consult_outcomes_consultation_id"), table_name="consult_outcomes")
    op.drop_table("consult_outcomes")
    op.drop_table("consult_messages")
    op.drop_index(op.f("ix_consult_attachments_consultation_id"), table_name="consult_attachments")
    op.drop_table("consult_attachments")
    op.drop_index("ix_consultations_queue", table_name="consultations")
    op.drop_index("ix_consultations_clinician_status", table_name="consultations")
    op.drop_index(op.f("ix_consultations_account_id"), table_name="consultations")
    op.drop_table("consultations")
    op.drop_table("consult_clinicians")
