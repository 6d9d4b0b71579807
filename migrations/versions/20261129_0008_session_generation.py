"""Accounts: a session generation that ends every browser session begun before it was raised, and the
ADMIN_USERNAMES names already applied

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'configured_admins',
        sa.Column('username', sa.String(length=30), nullable=False),
        sa.Column('promoted', sa.Boolean(), nullable=False),
        sa.Column('applied_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_configured_admins')),
    )


def downgrade() -> None:
    op.drop_table('configured_admins')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_generation')
