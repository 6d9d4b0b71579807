"""room missions: two to four goals per room, ticked by the learner's own lines

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-20
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'room_missions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=120), nullable=False),
        sa.Column('done_at', UTCDateTime(), nullable=True),
        sa.Column('evidence', sa.String(length=300), nullable=True),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['room_id'], ['rooms.id'], name=op.f('fk_room_missions_room_id_rooms'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_room_missions')),
    )
    op.create_index('ix_room_missions_room_id_position', 'room_missions', ['room_id', 'position'])


def downgrade() -> None:
    op.drop_index('ix_room_missions_room_id_position', table_name='room_missions')
    op.drop_table('room_missions')
