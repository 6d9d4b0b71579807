"""Several app processes: a lease per running reply (UNLOGGED on PostgreSQL), an attempt counter per message

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = '0013'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('messages', sa.Column('attempt', sa.Integer(), server_default='0', nullable=False))
    # Heartbeats rewrite these rows every second: UNLOGGED skips the write-ahead log for them (a crash
    # of PostgreSQL empties the table, which only makes the replies of that moment look interrupted).
    unlogged = ['UNLOGGED'] if op.get_bind().dialect.name == 'postgresql' else []
    op.create_table(
        'reply_leases',
        sa.Column('reply_id', sa.Integer(), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('owner', sa.String(length=120), nullable=False),
        sa.Column('heartbeat_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('text', sa.Text(), server_default='', nullable=False),
        sa.Column('cancel', sa.Boolean(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(
            ['reply_id'], ['messages.id'], name=op.f('fk_reply_leases_reply_id_messages'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('reply_id', name=op.f('pk_reply_leases')),
        prefixes=unlogged,
    )


def downgrade() -> None:
    op.drop_table('reply_leases')
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('attempt')
