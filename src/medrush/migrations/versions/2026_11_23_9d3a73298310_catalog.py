"""catalog: medicines, the search vocabulary and the loaded data version

Revision ID: 9d3a73298310
Revises: 20184ff89504
Create Date: 2026-11-23 14:20:30.588182
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "9d3a73298310"
down_revision: str | None = "20184ff89504"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "catalog_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_catalog_meta")),
    )
    op.create_table(
        "catalog_vocab",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("terms", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_catalog_vocab")),
    )
    op.create_table(
        "medicines",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_zh", sa.String(length=300), nullable=False),
        sa.Column("name_ko", sa.String(length=300), nullable=False),
        sa.Column("generic_name_en", sa.String(length=300), nullable=False),
        sa.Column("atc", sa.String(length=16), nullable=True),
        sa.Column("dosage_form", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("rx_class", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medicines")),
    )
    op.create_index(op.f("ix_medicines_atc"), "medicines", ["atc"], unique=False)
    op.create_index(op.f("ix_medicines_category"), "medicines", ["category"], unique=False)
    op.create_index(op.f("ix_medicines_rx_class"), "medicines", ["rx_class"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_medicines_rx_class"), table_name="medicines")
    op.drop_index(op.f("ix_medicines_category"), table_name="medicines")
    op.drop_index(op.f("ix_medicines_atc"), table_name="medicines")
    op.drop_table("medicines")
    op.drop_table("catalog_vocab")
    op.drop_table("catalog_meta")
