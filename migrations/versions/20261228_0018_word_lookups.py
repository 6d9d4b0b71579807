"""word lookups: words looked up in replies (saved or not), listed as new in the session report

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'word_lookups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('lemma', sa.String(length=100), nullable=False),
        sa.Column('level', sa.String(length=2), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['message_id'],
            ['messages.id'],
            name=op.f('fk_word_lookups_message_id_messages'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_word_lookups_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_word_lookups')),
        sa.UniqueConstraint('message_id', 'lemma', name=op.f('uq_word_lookups_message_id')),
    )
    op.create_index(op.f('ix_word_lookups_user_id'), 'word_lookups', ['user_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_word_lookups_user_id'), table_name='word_lookups')
    op.drop_table('word_lookups')
