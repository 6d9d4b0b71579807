"""practice sessions and their stored reports; `Mark learned` on corrections

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-13
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('corrections') as batch:
        batch.add_column(sa.Column('learned', sa.Boolean(), server_default='0', nullable=False))
    op.create_table(
        'practice_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('first_message_id', sa.Integer(), nullable=False),
        sa.Column('last_message_id', sa.Integer(), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=False),
        sa.Column('ended_at', UTCDateTime(), nullable=False),
        sa.Column('report', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_practice_sessions_user_id_users'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['room_id'], ['rooms.id'], name=op.f('fk_practice_sessions_room_id_rooms'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_sessions')),
    )
    op.create_index('ix_practice_sessions_user_id_id', 'practice_sessions', ['user_id', 'id'])
    op.create_index('ix_practice_sessions_room_id_id', 'practice_sessions', ['room_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_practice_sessions_room_id_id', table_name='practice_sessions')
    op.drop_index('ix_practice_sessions_user_id_id', table_name='practice_sessions')
    op.drop_table('practice_sessions')
    with op.batch_alter_table('corrections') as batch:
        batch.drop_column('learned')
