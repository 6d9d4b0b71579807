"""voice input: recordings and the recognition signal on messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'recordings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('mime_type', sa.String(length=60), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('duration_seconds', sa.Float(), nullable=False),
        sa.Column('transcript', sa.Text(), nullable=False),
        sa.Column('words', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['room_id'], ['rooms.id'], name=op.f('fk_recordings_room_id_rooms'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_recordings_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recordings')),
    )
    op.create_index('ix_recordings_user_id', 'recordings', ['user_id'])
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('recording_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('speech_score', sa.Float(), nullable=True))
        batch.add_column(sa.Column('hard_words', sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_messages_recording_id_recordings'),
            'recordings',
            ['recording_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.drop_constraint(op.f('fk_messages_recording_id_recordings'), type_='foreignkey')
        batch.drop_column('hard_words')
        batch.drop_column('speech_score')
        batch.drop_column('recording_id')
    op.drop_index('ix_recordings_user_id', table_name='recordings')
    op.drop_table('recordings')
