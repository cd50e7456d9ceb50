"""medicines written_xid

Revision ID: b3e8d1f4a6c2
Revises: a9d3f5c7e1b4
Create Date: 2026-12-06 23:50:00

Every process's search index catches up on the products written since its last look
(``catalog.service.catch_up``). Timestamps cannot say that exactly: a transaction may commit long
after it stamped ``updated_at``, and node clocks differ. Each row now carries the id of the
transaction that last wrote it (set by a trigger, whatever the writer), and a look remembers its
PostgreSQL snapshot: the rows whose writer that snapshot could not see are exactly the news.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3e8d1f4a6c2"
down_revision: str | None = "a9d3f5c7e1b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = "pg_current_xact_id()::text::bigint"


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "medicines",
        sa.Column("written_xid", sa.BigInteger(), server_default=sa.text(f"({STAMP})"), nullable=False),
    )
    op.execute(
        f"""
        CREATE FUNCTION medicines_stamp_written_xid() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.written_xid := {STAMP};
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER medicines_written_xid BEFORE INSERT OR UPDATE ON medicines "
        "FOR EACH ROW EXECUTE FUNCTION medicines_stamp_written_xid()"
    )
    op.create_index("ix_medicines_written_xid", "medicines", ["written_xid"])
    op.drop_index("ix_medicines_updated_at", table_name="medicines")


def downgrade() -> None:
    """Revert this revision."""
    op.create_index("ix_medicines_updated_at", "medicines", ["updated_at"])
    op.drop_index("ix_medicines_written_xid", table_name="medicines")
    op.execute("DROP TRIGGER medicines_written_xid ON medicines")
    op.execute("DROP FUNCTION medicines_stamp_written_xid()")
    op.drop_column("medicines", "written_xid")
