"""listening practice: per-room switches, audio cache

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.add_column(sa.Column('listening_mode', sa.Boolean(), server_default='0', nullable=False))
        batch.add_column(sa.Column('slow_speech', sa.Boolean(), server_default='0', nullable=False))
    op.create_table(
        'audio_clips',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('engine', sa.String(length=20), nullable=False),
        sa.Column('mime_type', sa.String(length=40), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('last_used_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_audio_clips')),
    )
    op.create_index('ix_audio_clips_last_used_at', 'audio_clips', ['last_used_at'])


def downgrade() -> None:
    op.drop_index('ix_audio_clips_last_used_at', table_name='audio_clips')
    op.drop_table('audio_clips')
    with op.batch_alter_table('rooms') as batch:
        batch.drop_column('slow_speech')
        batch.drop_column('listening_mode')
