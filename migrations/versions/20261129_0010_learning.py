"""learning from every turn: feedback, corrections, help allowance, translations, saved words, hints

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(
            sa.Column('native_language', sa.String(length=8), server_default='ko', nullable=False)
        )
    with op.batch_alter_table('rooms') as batch:
        batch.add_column(
            sa.Column('feedback_mode', sa.String(length=10), server_default='gentle', nullable=False)
        )
    op.create_table(
        'help_usage',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('used', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_help_usage_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_help_usage')),
    )
    op.create_table(
        'helper_rungs',
        sa.Column('server', sa.String(length=300), nullable=False),
        sa.Column('model', sa.String(length=120), nullable=False),
        sa.Column('task', sa.String(length=40), nullable=False),
        sa.Column('rung', sa.String(length=1), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('server', 'model', 'task', name=op.f('pk_helper_rungs')),
    )
    op.create_table(
        'message_feedback',
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('mode', sa.String(length=10), nullable=False),
        sa.Column('corrected', sa.Text(), nullable=True),
        sa.Column('natural_alternative', sa.Text(), nullable=True),
        sa.Column('tier', sa.String(length=1), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['message_id'],
            ['messages.id'],
            name=op.f('fk_message_feedback_message_id_messages'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_message_feedback_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('message_id', name=op.f('pk_message_feedback')),
    )
    op.create_index('ix_message_feedback_user_id', 'message_feedback', ['user_id'])
    op.create_table(
        'corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('original', sa.Text(), nullable=False),
        sa.Column('replacement', sa.Text(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('severity', sa.String(length=6), nullable=False),
        sa.Column('explanation', sa.Text(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('dismissed', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('long_explanation', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['message_id'],
            ['message_feedback.message_id'],
            name=op.f('fk_corrections_message_id_message_feedback'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_corrections')),
    )
    op.create_index('ix_corrections_message_id', 'corrections', ['message_id'])
    op.create_table(
        'translations',
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['message_id'],
            ['messages.id'],
            name=op.f('fk_translations_message_id_messages'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('message_id', 'language', name=op.f('pk_translations')),
    )
    op.create_table(
        'saved_words',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('lemma', sa.String(length=100), nullable=False),
        sa.Column('pos', sa.String(length=40), nullable=False),
        sa.Column('meaning', sa.String(length=500), nullable=False),
        sa.Column('level', sa.String(length=2), nullable=True),
        sa.Column('source_message_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['source_message_id'],
            ['messages.id'],
            name=op.f('fk_saved_words_source_message_id_messages'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_saved_words_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_words')),
        sa.UniqueConstraint('user_id', 'language', 'lemma', name='uq_saved_words_user_language_lemma'),
    )
    op.create_index('ix_saved_words_user_id_id', 'saved_words', ['user_id', 'id'])
    op.create_table(
        'hint_uses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['message_id'],
            ['messages.id'],
            name=op.f('fk_hint_uses_message_id_messages'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['room_id'], ['rooms.id'], name=op.f('fk_hint_uses_room_id_rooms'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_hint_uses_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hint_uses')),
    )
    op.create_index('ix_hint_uses_room_id', 'hint_uses', ['room_id'])


def downgrade() -> None:
    op.drop_index('ix_hint_uses_room_id', table_name='hint_uses')
    op.drop_table('hint_uses')
    op.drop_index('ix_saved_words_user_id_id', table_name='saved_words')
    op.drop_table('saved_words')
    op.drop_table('translations')
    op.drop_index('ix_corrections_message_id', table_name='corrections')
    op.drop_table('corrections')
    op.drop_index('ix_message_feedback_user_id', table_name='message_feedback')
    op.drop_table('message_feedback')
    op.drop_table('helper_rungs')
    op.drop_table('help_usage')
    with op.batch_alter_table('rooms') as batch:
        batch.drop_column('feedback_mode')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('native_language')
