"""The status portal: an interruption says whether the service was down or only degraded.

``outages.degraded``: false (the service was down, the existing rows) or true (it worked,
slower or with a part missing). A degraded service is available by the contract, so it
does not count against the 99.5 %; the status page shows it as "degraded".

Revision ID: 0009_status_portal
Revises: 0009_csat
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_status_portal"
down_revision = "0009_bugs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outages") as batch:
        batch.add_column(sa.Column("degraded", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("outages") as batch:
        batch.drop_column("degraded")
