"""vocabulary notebook: FSRS card state on saved words, the review log, rooms' use_due_words

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0014'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rooms') as batch:
        batch.add_column(sa.Column('use_due_words', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('saved_words') as batch:
        batch.add_column(sa.Column('form', sa.String(length=100), server_default='', nullable=False))
        batch.add_column(sa.Column('source_sentence', sa.Text(), nullable=True))
        batch.add_column(sa.Column('origin', sa.String(length=12), server_default='reply', nullable=False))
        batch.add_column(sa.Column('due', UTCDateTime(), server_default=sa.func.now(), nullable=False))
        batch.add_column(sa.Column('stability', sa.Float(), nullable=True))
        batch.add_column(sa.Column('difficulty', sa.Float(), nullable=True))
        batch.add_column(sa.Column('state', sa.Integer(), server_default='1', nullable=False))
        batch.add_column(sa.Column('step', sa.Integer(), server_default='0', nullable=True))
        batch.add_column(sa.Column('last_review', UTCDateTime(), nullable=True))
    op.create_index('ix_saved_words_user_id_due', 'saved_words', ['user_id', 'due'])
    op.create_table(
        'word_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('word_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('reviewed_at', UTCDateTime(), nullable=False),
        sa.Column('review_duration_ms', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['word_id'],
            ['saved_words.id'],
            name=op.f('fk_word_reviews_word_id_saved_words'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_word_reviews_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_word_reviews')),
    )
    op.create_index('ix_word_reviews_word_id', 'word_reviews', ['word_id'])
    op.create_index('ix_word_reviews_user_id_reviewed_at', 'word_reviews', ['user_id', 'reviewed_at'])


def downgrade() -> None:
    op.drop_index('ix_word_reviews_user_id_reviewed_at', table_name='word_reviews')
    op.drop_index('ix_word_reviews_word_id', table_name='word_reviews')
    op.drop_table('word_reviews')
    op.drop_index('ix_saved_words_user_id_due', table_name='saved_words')
    with op.batch_alter_table('saved_words') as batch:
        for column in ('last_review', 'step', 'state', 'difficulty', 'stability', 'due', 'origin'):
            batch.drop_column(column)
        batch.drop_column('source_sentence')
        batch.drop_column('form')
    with op.batch_alter_table('rooms') as batch:
        batch.drop_column('use_due_words')
