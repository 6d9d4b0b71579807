"""Throttling per client address: throttle_attempts replaces login_failures

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'throttle_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('attempted_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_attempts')),
    )
    op.create_index('ix_throttle_attempts_key_time', 'throttle_attempts', ['key', 'attempted_at'])
    op.create_index('ix_throttle_attempts_expires_at', 'throttle_attempts', ['expires_at'])
    # Recent failures under the old per-account keys cannot be mapped to addresses; at most one
    # window (15 minutes by default) of throttling is forgotten.
    op.drop_index('ix_login_failures_key_time', table_name='login_failures')
    op.drop_table('login_failures')


def downgrade() -> None:
    op.create_table(
        'login_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('throttle_key', sa.String(length=300), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('failed_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_login_failures_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures')),
    )
    op.create_index('ix_login_failures_key_time', 'login_failures', ['throttle_key', 'failed_at'])
    op.drop_index('ix_throttle_attempts_expires_at', table_name='throttle_attempts')
    op.drop_index('ix_throttle_attempts_key_time', table_name='throttle_attempts')
    op.drop_table('throttle_attempts')
