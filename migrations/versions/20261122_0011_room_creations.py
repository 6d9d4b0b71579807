"""Room creation rate limit: when each account made its rooms

Revision ID: 0011
Revises: 0013
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0011'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'room_creations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_room_creations_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_room_creations')),
    )
    op.create_index('ix_room_creations_user_time', 'room_creations', ['user_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_room_creations_user_time', table_name='room_creations')
    op.drop_table('room_creations')
