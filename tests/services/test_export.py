"""Room export: Markdown and JSON carry the whole history, and only for the owner."""

import json

import pytest

from db.engine import sessionmaker
from db.models import Message
from services import accounts, export, rooms
from services.errors import RoomNotFound
from services.rooms import RoomDraft

pytestmark = pytest.mark.usefixtures('database')


async def room_with_history() -> tuple[int, int]:
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café / Morning', 'ko', '아침 카페', '바리스타', '손님', 'A2')
    )
    async with sessionmaker().begin() as session:
        session.add_all([
            Message(room_id=room.id, user_id=user.id, role='user', content='라테 한 잔 주세요.'),
            Message(room_id=room.id, user_id=user.id, role='assistant', content='네, **따뜻한** 걸로 드릴까요?'),
        ])  # fmt: skip
    return user.id, room.id


async def test_markdown_export_reads_like_the_conversation() -> None:
    """The Markdown names the room and has every message in order, with who said it."""
    user_id, room_id = await room_with_history()
    exported = await export.export_room(user_id, room_id, 'markdown')
    text = exported.content.decode()
    assert (exported.filename, exported.media_type) == ('café-morning.md', 'text/markdown')
    assert text.startswith('# Café / Morning')
    assert text.index('라테 한 잔 주세요.') < text.index('네, **따뜻한** 걸로 드릴까요?')
    assert '**Me**' in text and '**AI partner**' in text


async def test_json_export_matches_history() -> None:
    """The JSON has the room's set-up and the messages as stored (Korean kept as is)."""
    user_id, room_id = await room_with_history()
    exported = await export.export_room(user_id, room_id, 'json')
    document = json.loads(exported.content)
    assert document['room']['language'] == 'ko'
    assert [(m['role'], m['content']) for m in document['messages']] == [
        ('user', '라테 한 잔 주세요.'),
        ('assistant', '네, **따뜻한** 걸로 드릴까요?'),
    ]
    assert '라테' in exported.content.decode()  # not \\uXXXX escapes


async def test_someone_elses_room_cannot_be_exported() -> None:
    """Another account gets RoomNotFound, as for a missing room."""
    _, room_id = await room_with_history()
    other = await accounts.register(
        'other', 'other@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(RoomNotFound):
        await export.export_room(other.id, room_id, 'json')
