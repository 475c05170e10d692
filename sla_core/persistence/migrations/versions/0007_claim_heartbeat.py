"""Outbox claims are short and renewed: count the claims taken over from a dead holder.

A sender now holds its rows with a 30 s lease that it renews every 10 s while it works
(``bot/delivery/claims.py``); a row whose lease ran out is taken over by another sender.
``takeovers`` counts those take-overs per row: ``/metrics`` sums it
(``astreinte_outbox_takeovers_total``), the same figure whichever replica is scraped.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("takeovers", sa.Integer(), nullable=False, server_default="0"))
    # /metrics sums take-overs at every scrape: index only the few rows ever taken over.
    op.create_index("ix_outbox_taken_over", "outbox", ["id"], postgresql_where=sa.text("takeovers > 0"),
                    sqlite_where=sa.text("takeovers > 0"))


def downgrade() -> None:
    op.drop_index("ix_outbox_taken_over", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("takeovers")
