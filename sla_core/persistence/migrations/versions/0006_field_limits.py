"""The phone number column holds what the intake modal accepts: 50 characters, was 40.

The sizes of the reporter's fields are declared once, in ``sla_core/field_limits.py``;
this revision brings the one column that was shorter than its modal up to it. The
number is written here, not imported: a migration records the schema as it was then.

PostgreSQL widens a VARCHAR in place (no rewrite, no row touched). SQLite ignores the
length but keeps it in the schema, so the table is rebuilt in batch mode; that copies
every row, and runs with foreign keys off (``sla_core.persistence.migrate``) so that
dropping the old table cascades to no event or outbox row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BEFORE, _AFTER = 40, 50


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.alter_column("contact_phone", existing_type=sa.String(_BEFORE), type_=sa.String(_AFTER),
                           existing_nullable=True)


def downgrade() -> None:
    longer = op.get_bind().execute(
        sa.text("SELECT ref FROM tickets WHERE length(contact_phone) > :limit ORDER BY ref"), {"limit": _BEFORE},
    ).scalars().all()
    if longer:  # never cut a customer's phone number to make it fit
        raise RuntimeError(f"cannot narrow tickets.contact_phone to {_BEFORE} characters: longer in "
                           + ", ".join(longer))
    with op.batch_alter_table("tickets") as batch:
        batch.alter_column("contact_phone", existing_type=sa.String(_AFTER), type_=sa.String(_BEFORE),
                           existing_nullable=True)
