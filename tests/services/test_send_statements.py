"""The database work of one send, the hot path when many learners press Send at once (bench/chat_turn.py)."""

import pytest

from services import accounts, chat, feedback, generation, rooms
from services.rooms import RoomDraft
from tests.helpers import recorded_statements, statement_table

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')


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
    kinds = [statement.split()[0] + ' ' + statement_table(statement) for statement in statements]
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
