"""The database work of one send, the hot path when many learners press Send at once (bench/chat_turn.py)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from db import engine
from services import accounts, chat, feedback, generation, rooms
from services.rooms import RoomDraft

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """The SQL statements run while the block runs, plus 'COMMIT' for each commit (BEGIN left out)."""
    sync_engine = engine.sessionmaker().kw['bind'].sync_engine
    seen: list[str] = []

    def statement(_connection, _cursor, sql: str, *_rest) -> None:
        if not sql.startswith('BEGIN'):  # SQLite's BEGIN IMMEDIATE; PostgreSQL's BEGIN is no statement
            seen.append(' '.join(sql.split()))

    def commit(_connection) -> None:
        seen.append('COMMIT')

    event.listen(sync_engine, 'before_cursor_execute', statement)
    event.listen(sync_engine, 'commit', commit)
    try:
        yield seen
    finally:
        event.remove(sync_engine, 'before_cursor_execute', statement)
        event.remove(sync_engine, 'commit', commit)


async def test_a_send_is_one_transaction_of_six_statements(database: str) -> None:
    """Sending a line reads once, charges, stores both messages, touches the room, leases the reply, reads history
    (on PostgreSQL the three writes are one statement)."""
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    first = await chat.send_message(user.id, room.id, 'One latte, please.')
    assert first is not None and first.user_message is not None
    await generation.wait(first.reply.id)
    await feedback.wait_feedback(user.id, first.user_message.id)

    with recorded_statements() as statements:
        turn = await chat.send_message(user.id, room.id, 'And a croissant.')

    assert turn is not None and turn.quota.used == 2
    kinds = [statement.split()[0] + ' ' + _table(statement) for statement in statements]
    stores = (
        [
            'INSERT messages',  # the learner's line and the pending reply, in one statement
            'UPDATE rooms',  # the room's last activity
            'INSERT reply_leases',  # the reply's lease
        ]
        if database == 'sqlite'
        else ['WITH rooms messages reply_leases']  # the same three writes, as data-modifying CTEs
    )
    assert kinds == [
        'SELECT rooms',  # the room, its owner's account and its open missions, in one statement
        'INSERT daily_usage',  # the quota charge (one atomic upsert)
        *stores,
        'SELECT messages',  # the history the prompt is built from
        'COMMIT ',
    ]
    await generation.wait(turn.reply.id)
    replies = [
        message for message in await chat.list_messages(user.id, room.id) if message.role == 'assistant'
    ]
    assert [reply.status for reply in replies] == ['complete', 'complete']


def _table(statement: str) -> str:
    if statement.startswith('WITH'):  # the tables its data-modifying CTEs write
        return ' '.join(re.findall(r'(?:UPDATE|INSERT INTO) (\w+)', statement))
    words = statement.replace('(', ' ').split()
    for keyword in ('FROM', 'INTO', 'UPDATE'):
        if keyword in words[:-1]:
            return words[words.index(keyword) + 1]
    return ''


async def test_a_send_on_sqlite_hands_each_statement_to_the_database_thread_once(
    database: str, hand_overs: list[str]
) -> None:
    """On SQLite a send is eight hand-overs to aiosqlite's thread: BEGIN IMMEDIATE, six statements, COMMIT."""
    if database != 'sqlite':
        pytest.skip('aiosqlite runs SQLite only')
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    hand_overs.clear()  # the account and the room above are not the send's
    turn = await chat.send_message(user.id, room.id, 'One latte, please.')
    sent = list(hand_overs)  # the send's alone, before the reply it started runs

    assert turn is not None and turn.quota.used == 1
    assert len(sent) == 8 and sent[-1] == 'commit'  # was 27: cursor, execute, fetch, close each
    await generation.wait(turn.reply.id)
