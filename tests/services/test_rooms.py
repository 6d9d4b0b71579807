"""Rooms service: validation, owner-only access, ordering, deletion with messages."""

from dataclasses import replace

import pytest

from i18n import using_language
from services import accounts, rooms
from services.errors import InvalidInput, RoomNotFound
from services.rooms import RoomDraft

pytestmark = pytest.mark.usefixtures('database')

DRAFT = RoomDraft(
    title='Café',
    language='en',
    situation='Ordering coffee.',
    ai_role='Barista',
    my_role='Customer',
    level='A2',
)


async def two_users() -> tuple[int, int]:
    first = await accounts.register(
        'owner', 'owner@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    second = await accounts.register(
        'intruder', 'intruder@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    return first.id, second.id


async def test_create_list_update_delete() -> None:
    """The whole life of a room, newest activity first."""
    owner, _ = await two_users()
    first = await rooms.create_room(owner, DRAFT)
    second = await rooms.create_room(owner, replace(DRAFT, title='  Interview  '))
    assert second.title == 'Interview'
    assert [room.id for room in await rooms.list_rooms(owner)] == [second.id, first.id]
    updated = await rooms.update_room(owner, first.id, replace(DRAFT, level='C1'))
    assert (updated.level, updated.language_name) == ('C1', 'English')
    await rooms.delete_room(owner, first.id)
    assert [room.id for room in await rooms.list_rooms(owner)] == [second.id]


async def test_other_users_room_is_not_found_everywhere() -> None:
    """Get, update and delete of someone else's room raise the same RoomNotFound as a missing id."""
    owner, intruder = await two_users()
    room = await rooms.create_room(owner, DRAFT)
    for room_id in (room.id, 999_999):
        with pytest.raises(RoomNotFound):
            await rooms.get_room(intruder, room_id)
        with pytest.raises(RoomNotFound):
            await rooms.update_room(intruder, room_id, DRAFT)
        with pytest.raises(RoomNotFound):
            await rooms.delete_room(intruder, room_id)
    assert await rooms.list_rooms(intruder) == []
    assert (await rooms.get_room(owner, room.id)).title == 'Café'


async def test_validation_names_each_field() -> None:
    """Blank required fields, over-long text and unknown language/level are refused per field."""
    owner, _ = await two_users()
    bad = RoomDraft(title='', language='xx', situation='s' * 501, ai_role=' ', my_role='me', level='D1')
    with pytest.raises(InvalidInput) as refused:
        await rooms.create_room(owner, bad)
    assert set(refused.value.field_errors) == {'title', 'language', 'situation', 'ai_role', 'level'}
    assert refused.value.field_errors['situation'] == 'Situation must be at most 500 characters.'


async def test_korean_and_japanese_rooms() -> None:
    """Korean and Japanese rooms keep their text intact."""
    owner, _ = await two_users()
    korean = await rooms.create_room(
        owner, RoomDraft('카페 주문', 'ko', '아침 카페', '바리스타', '손님', 'A1')
    )
    japanese = await rooms.create_room(owner, RoomDraft('駅で', 'ja', '駅で道を聞く', '駅員', '旅行者', 'A2'))
    assert (korean.language_name, korean.title) == ('Korean', '카페 주문')
    assert (japanese.language_name, japanese.situation) == ('Japanese', '駅で道を聞く')


async def test_unknown_scenario_is_refused() -> None:
    """A scenario key must come from the gallery."""
    owner, _ = await two_users()
    with pytest.raises(InvalidInput):
        await rooms.create_room(owner, replace(DRAFT, scenario='nope'))
    assert (await rooms.create_room(owner, replace(DRAFT, scenario='recipe'))).scenario == 'recipe'


async def test_list_filters_by_title_and_language_and_sorts() -> None:
    """Title search is case-insensitive and literal, language narrows, and the three orders hold."""
    owner, intruder = await two_users()
    cafe = await rooms.create_room(owner, DRAFT)
    interview = await rooms.create_room(owner, replace(DRAFT, title='Job interview 100%'))
    korean = await rooms.create_room(owner, replace(DRAFT, title='카페 주문', language='ko'))
    await rooms.create_room(intruder, replace(DRAFT, title='Café too'))

    async def titles(**filters) -> list[str]:
        return [room.title for room in await rooms.list_rooms(owner, **filters)]

    assert await titles(title='CAF') == ['Café']
    assert await titles(title='INTERVIEW') == ['Job interview 100%']
    assert await titles(title='100%') == ['Job interview 100%']
    assert await titles(title='%') == ['Job interview 100%']  # a literal percent sign, not a wildcard
    assert await titles(title='_') == []
    assert await titles(title='카페') == ['카페 주문']
    assert await titles(language='ko') == ['카페 주문']
    assert await titles(title='caf', language='ko') == []
    assert await titles(sort='title') == ['Café', 'Job interview 100%', '카페 주문']
    assert [room.id for room in await rooms.list_rooms(owner, sort='created')] == [
        korean.id,
        interview.id,
        cafe.id,
    ]


async def test_room_language_names_follow_the_reader() -> None:
    """English names stay as they were; Korean and Japanese readers get Babel's CLDR names."""
    with using_language('en'):
        assert rooms.language_names() == rooms.LANGUAGES
    with using_language('ko'):
        assert rooms.language_names()['en'] == '영어'
        assert rooms.language_names()['ja'] == '일본어'
    with using_language('ja'):
        assert rooms.language_names()['ko'] == '韓国語'


async def test_validation_messages_speak_the_readers_language() -> None:
    """A refused draft's messages are put into words when shown, in the reader's language."""
    user = await accounts.register(
        'yuki', 'yuki@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(InvalidInput) as refused:
        await rooms.create_room(user.id, RoomDraft('x' * 81, 'en', '', 'Barista', 'Me', 'Z9'))
    errors = refused.value.field_errors
    with using_language('en'):
        assert str(errors['title']) == 'Title must be at most 80 characters.'
        assert str(errors['situation']) == 'Situation is required.'
    with using_language('ja'):
        assert str(errors['title']) == 'タイトルは80文字以内で入力してください。'
        assert str(errors['level']) == 'A1〜C2の中からレベルを選んでください。'
