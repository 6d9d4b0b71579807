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
    text = (await export.read_all(exported)).decode()
    assert (exported.filename, exported.media_type) == ('café-morning.md', 'text/markdown')
    assert text.startswith('# Café / Morning')
    assert text.index('라테 한 잔 주세요.') < text.index('네, **따뜻한** 걸로 드릴까요?')
    assert '**Me**' in text and '**AI partner**' in text


async def test_json_export_matches_history() -> None:
    """The JSON has the room's set-up and the messages as stored (Korean kept as is)."""
    user_id, room_id = await room_with_history()
    exported = await export.export_room(user_id, room_id, 'json')
    content = await export.read_all(exported)
    document = json.loads(content)
    assert document['room']['language'] == 'ko'
    assert [(m['role'], m['content']) for m in document['messages']] == [
        ('user', '라테 한 잔 주세요.'),
        ('assistant', '네, **따뜻한** 걸로 드릴까요?'),
    ]
    assert '라테' in content.decode()  # not \\uXXXX escapes


async def test_someone_elses_room_cannot_be_exported() -> None:
    """Another account gets RoomNotFound, as for a missing room."""
    _, room_id = await room_with_history()
    other = await accounts.register(
        'other', 'other@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(RoomNotFound):
        await export.export_room(other.id, room_id, 'json')


async def test_a_long_room_is_written_a_page_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many messages come out in pieces (never one string), and the pieces make the same file."""
    monkeypatch.setattr(export, 'EXPORT_PAGE', 4)
    user_id, room_id = await room_with_history()
    async with sessionmaker().begin() as session:
        session.add_all(
            Message(room_id=room_id, user_id=user_id, role='user', content=f'line {n}\nsecond "row"')
            for n in range(10)
        )
    exported = await export.export_room(user_id, room_id, 'json')
    chunks = [chunk async for chunk in exported.chunks]
    assert len(chunks) >= 4  # the room's set-up, three pages of messages, the end
    document = json.loads(b''.join(chunks))
    assert len(document['messages']) == 12 and document['messages'][-1]['content'] == 'line 9\nsecond "row"'
    assert b''.join(chunks).decode() == json.dumps(document, ensure_ascii=False, indent=2)
    markdown = await export.export_room(user_id, room_id, 'markdown')
    text = (await export.read_all(markdown)).decode()
    assert text.count('**Me**') == 11 and text.index('line 3') < text.index('line 4') < text.index('line 9')
