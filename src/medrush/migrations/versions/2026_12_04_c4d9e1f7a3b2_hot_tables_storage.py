"""hot tables storage

Revision ID: c4d9e1f7a3b2
Revises: 8e4f6a2c1d37
Create Date: 2026-12-04 19:20:00

Every checkout updates a stock row, its idempotency key row and (through the relay) its outbox
row once more. Left to the defaults, a minute of checkouts leaves tens of thousands of dead row
versions that every later scan walks (measured with bench/checkout.py: -15 % within a minute,
back after VACUUM). Free space in each page lets the key and stock updates stay in their page
(HOT, pruned without VACUUM), and autovacuum visits these tables after 1 % of changes, not 20 %.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c4d9e1f7a3b2"
down_revision: str | None = "8e4f6a2c1d37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETTINGS = {
    "outbox_events": "autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000",
    "idempotency_keys": (
        "fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000"
    ),
    "pharmacy_stock": (
        "fillfactor = 50, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 200"
    ),
}


def upgrade() -> None:
    """Apply this revision."""
    for table, settings in SETTINGS.items():
        op.execute(f"ALTER TABLE {table} SET ({settings})")


def downgrade() -> None:
    """Revert this revision."""
    for table, settings in SETTINGS.items():
        names = ", ".join(part.split("=")[0].strip() for part in settings.split(","))
        op.execute(f"ALTER TABLE {table} RESET ({names})")
