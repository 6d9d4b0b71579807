"""rooms, messages, daily usage, per-user daily limit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('daily_limit', sa.Integer(), nullable=True))
    op.create_table(
        'rooms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=80), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('situation', sa.String(length=500), nullable=False),
        sa.Column('ai_role', sa.String(length=120), nullable=False),
        sa.Column('my_role', sa.String(length=120), nullable=False),
        sa.Column('level', sa.String(length=2), nullable=False),
        sa.Column('instructions', sa.String(length=1000), nullable=False),
        sa.Column('scenario', sa.String(length=40), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.Column('last_activity_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_rooms_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rooms')),
    )
    op.create_index('ix_rooms_user_activity', 'rooms', ['user_id', 'last_activity_at'])
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=10), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('error', sa.String(length=300), nullable=True),
        sa.Column('model', sa.String(length=120), nullable=True),
        sa.Column('charged_day', sa.Date(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['room_id'], ['rooms.id'], name=op.f('fk_messages_room_id_rooms'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_messages_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    )
    op.create_index('ix_messages_room_id_id', 'messages', ['room_id', 'id'])
    op.create_index('ix_messages_user_id_id', 'messages', ['user_id', 'id'])
    op.create_index('ix_messages_status', 'messages', ['status'])
    op.create_table(
        'daily_usage',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('used', sa.Integer(), nullable=False),
        sa.Column('bonus', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_daily_usage_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_daily_usage')),
    )


def downgrade() -> None:
    op.drop_table('daily_usage')
    op.drop_index('ix_messages_status', table_name='messages')
    op.drop_index('ix_messages_user_id_id', table_name='messages')
    op.drop_index('ix_messages_room_id_id', table_name='messages')
    op.drop_table('messages')
    op.drop_index('ix_rooms_user_activity', table_name='rooms')
    op.drop_table('rooms')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('daily_limit')
