"""History search: a trigram index on message text (PostgreSQL only)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite has no trigram index; its search reads the user's messages (see services/history.py)
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it, no superuser needed.
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index(
        'ix_messages_content_trgm',
        'messages',
        ['content'],
        postgresql_using='gin',
        postgresql_ops={'content': 'gin_trgm_ops'},
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_messages_content_trgm', table_name='messages')
