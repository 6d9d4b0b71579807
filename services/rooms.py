"""Rooms: create, list, edit, delete — always scoped to their owner."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import String, delete, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, Room, utcnow
from i18n import LazyText, lazy_text
from services import missions, paging, room_limits, room_texts
from services.errors import InvalidInput, RoomNotFound
from services.like import LIKE_ESCAPE, contains_pattern
from services.scenarios import scenario_by_key

# The English names: prompts and English pages read them; `language_names()` is what a reader is shown.
LANGUAGES: dict[str, str] = {
    'en': 'English', 'ko': 'Korean', 'ja': 'Japanese', 'zh': 'Chinese',
    'es': 'Spanish', 'fr': 'French', 'de': 'German',
}  # fmt: skip
LEVELS: dict[str, str] = {
    'A1': 'beginner', 'A2': 'elementary', 'B1': 'intermediate',
    'B2': 'upper intermediate', 'C1': 'advanced', 'C2': 'proficient',
}  # fmt: skip
FIELD_LIMITS = {'title': 80, 'situation': 500, 'ai_role': 120, 'my_role': 120, 'instructions': 1000}
FIELD_LABELS = {
    'title': 'Title', 'situation': 'Situation', 'ai_role': 'AI role', 'my_role': 'My role',
    'instructions': 'Extra instructions',
}  # fmt: skip
REQUIRED_FIELDS = ('title', 'situation', 'ai_role', 'my_role')
# Corrections of the learner's lines (services/feedback.py); the editor's `Feedback` select shows the labels.
FEEDBACK_MODES: dict[str, LazyText] = {
    'off': lazy_text('Off'), 'gentle': lazy_text('Gentle'),
    'full': lazy_text('Full'), 'end_only': lazy_text('End only'),
}  # fmt: skip
FEEDBACK_MODE_ERROR = lazy_text('Choose Off, Gentle, Full or End only.')
DEFAULT_FEEDBACK_MODE = 'gentle'
RoomSort = Literal['activity', 'title', 'created']
ROOM_SORTS: dict[RoomSort, LazyText] = {
    'activity': lazy_text('Recent activity'),
    'title': lazy_text('Title A–Z'),
    'created': lazy_text('Newest first'),
}
# Each order ends with the id, so it is total and a page can continue after its last room.
ROOM_KEYS: dict[RoomSort, tuple[paging.SortKey, ...]] = {
    'activity': ((Room.last_activity_at, True), (Room.id, True)),
    'title': ((func.lower(Room.title), False), (Room.title, False), (Room.id, True)),
    'created': ((Room.created_at, True), (Room.id, True)),
}
ROOM_PAGE = 30
# Ids are INTEGER columns (32-bit on PostgreSQL): a larger number names no row (and would overflow).
MAX_ROW_ID = 2_147_483_647


@dataclass(frozen=True, slots=True)
class RoomDraft:
    """What the editor (or the API) submits."""

    title: str
    language: str
    situation: str
    ai_role: str
    my_role: str
    level: str
    instructions: str = ''
    scenario: str | None = None
    # One of FEEDBACK_MODES; None keeps the room's current mode (a new room gets DEFAULT_FEEDBACK_MODE).
    feedback_mode: str | None = None
    # `Use my due words`; None keeps the room's current choice (a new room: off).
    use_due_words: bool | None = None
    # `Missions` (none, or two to four); None keeps the room's current ones (services/missions.py).
    missions: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class RoomInfo:
    id: int
    title: str
    language: str
    situation: str
    ai_role: str
    my_role: str
    level: str
    instructions: str
    scenario: str | None
    created_at: datetime
    last_activity_at: datetime
    message_count: int = 0
    listening_mode: bool = False
    slow_speech: bool = False
    feedback_mode: str = DEFAULT_FEEDBACK_MODE
    use_due_words: bool = False
    missions: tuple[str, ...] = ()

    @property
    def language_name(self) -> str:
        """The room's language as the reader's language names it ('영어' for a Korean reader)."""
        return room_texts.language_name(self.language, LANGUAGES.get(self.language, self.language))


def language_names() -> dict[str, str]:
    """Code → name of every room language, in the language being served (Babel's CLDR names)."""
    return {code: room_texts.language_name(code, name) for code, name in LANGUAGES.items()}


async def create_room(user_id: int, draft: RoomDraft) -> RoomInfo:
    """Raises InvalidInput, RoomLimitReached (MAX_ROOMS_PER_USER) or RoomCreationThrottled."""
    draft = _validated(draft)
    async with sessionmaker().begin() as session:
        await room_limits.admit_new_room(session, user_id)
        room = Room(user_id=user_id, **_fields(draft))
        room.feedback_mode = draft.feedback_mode or DEFAULT_FEEDBACK_MODE
        session.add(room)
        await session.flush()
        await missions.replace_missions(session, room.id, draft.missions or ())
        return room_info(room, missions=draft.missions or ())


@dataclass(frozen=True, slots=True)
class RoomPage:
    rooms: tuple[RoomInfo, ...]
    next_cursor: str | None  # pass as `cursor` for the next page; None on the last page


async def list_rooms(
    user_id: int, title: str = '', language: str | None = None, sort: RoomSort = 'activity'
) -> list[RoomInfo]:
    """The first page (ROOM_PAGE rooms) of `room_page`."""
    return list((await room_page(user_id, title, language, sort)).rooms)


async def room_page(
    user_id: int,
    title: str = '',
    language: str | None = None,
    sort: RoomSort = 'activity',
    cursor: str | None = None,
    limit: int = ROOM_PAGE,
) -> RoomPage:
    """A page of the owner's rooms with their message counts, most recently active first (or by `sort`).

    `title` keeps rooms whose title contains it (case-insensitive, taken literally); `language`
    (a code such as 'ko') keeps rooms in that language; `cursor` (a page's `next_cursor`) continues
    after that page. Raises InvalidInput for a cursor that is not one (or is another order's).
    """
    keys = ROOM_KEYS[sort]
    statement = select(Room).where(Room.user_id == user_id).order_by(*paging.ordering(keys))
    if title := title.strip()[: FIELD_LIMITS['title']]:
        statement = statement.where(Room.title.ilike(contains_pattern(title), escape=LIKE_ESCAPE))
    if language:
        statement = statement.where(Room.language == language)
    if cursor is not None:
        statement = statement.where(paging.after(keys, _cursor_values(cursor, sort)))
    async with sessionmaker().begin() as session:
        found = (await session.execute(statement.limit(limit + 1))).scalars().all()
        shown = found[:limit]
        counts = await _message_counts(session, [room.id for room in shown])
        texts = await missions.mission_texts(session, [room.id for room in shown])
    page = tuple(room_info(room, counts.get(room.id, 0), texts.get(room.id, ())) for room in shown)
    more = len(found) > limit and bool(page)
    return RoomPage(rooms=page, next_cursor=room_cursor(page[-1], sort) if more else None)


def room_cursor(room: RoomInfo, sort: RoomSort) -> str:
    """The cursor that continues a list ordered by `sort` after `room`."""
    if sort == 'title':
        return paging.encode_cursor(sort, [room.title, room.id])
    moment = room.last_activity_at if sort == 'activity' else room.created_at
    return paging.encode_cursor(sort, [moment.isoformat(), room.id])


def _cursor_values(cursor: str, sort: RoomSort) -> list[Any]:
    first, room_id = paging.decode_cursor(cursor, sort, (str, int))
    if sort == 'title':
        return [func.lower(literal(first, String)), first, room_id]
    try:
        moment = datetime.fromisoformat(first)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput(
            {'cursor': lazy_text('This cursor is not valid here; start again from the first page.')}
        )
    return [moment, room_id]


async def _message_counts(session: AsyncSession, room_ids: list[int]) -> dict[int, int]:
    """Messages per room, for one page of rooms only (counting a whole account's would not be bounded)."""
    if not room_ids:
        return {}
    rows = await session.execute(
        select(Message.room_id, func.count()).where(Message.room_id.in_(room_ids)).group_by(Message.room_id)
    )
    return {room_id: count for room_id, count in rows}


async def get_room(user_id: int, room_id: int) -> RoomInfo:
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        return room_info(room, missions=(await missions.mission_texts(session, [room.id])).get(room.id, ()))


async def update_room(user_id: int, room_id: int, draft: RoomDraft) -> RoomInfo:
    draft = _validated(draft)
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        for name, value in _fields(draft).items():
            setattr(room, name, value)
        room.updated_at = utcnow()
        if draft.missions is not None:
            await missions.replace_missions(session, room.id, draft.missions)
        await session.flush()
        return room_info(room, missions=(await missions.mission_texts(session, [room.id])).get(room.id, ()))


async def set_listening(
    user_id: int, room_id: int, *, listening_mode: bool | None = None, slow_speech: bool | None = None
) -> RoomInfo:
    """Remember the room's listening-practice switches (for every device the learner uses)."""
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        if listening_mode is not None:
            room.listening_mode = listening_mode
        if slow_speech is not None:
            room.slow_speech = slow_speech
        await session.flush()
        return room_info(room)


async def set_feedback_mode(user_id: int, room_id: int, feedback_mode: str) -> RoomInfo:
    """Change only the room's feedback mode (one of FEEDBACK_MODES); InvalidInput for anything else."""
    if feedback_mode not in FEEDBACK_MODES:
        raise InvalidInput({'feedback_mode': FEEDBACK_MODE_ERROR})
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        room.feedback_mode = feedback_mode
        await session.flush()
        return room_info(room)


async def delete_room(user_id: int, room_id: int) -> None:
    """Delete the room and, with it, its messages."""
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        # Explicit, so it does not depend on the backend enforcing ON DELETE CASCADE.
        await session.execute(delete(Message).where(Message.room_id == room.id))
        await session.delete(room)


async def owned_room(session: AsyncSession, user_id: int, room_id: int) -> Room:
    """The room when it exists and belongs to `user_id`; RoomNotFound otherwise (the same either way)."""
    room = await session.get(Room, room_id) if 0 < room_id <= MAX_ROW_ID else None
    if room is None or room.user_id != user_id:
        raise RoomNotFound
    return room


def _validated(draft: RoomDraft) -> RoomDraft:
    values = {name: getattr(draft, name).strip() for name in FIELD_LIMITS}
    errors: dict[str, object] = {}
    for name in REQUIRED_FIELDS:
        if not values[name]:
            errors[name] = room_texts.REQUIRED[name]
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = room_texts.too_long(name, limit)
    if draft.language not in LANGUAGES:
        errors['language'] = lazy_text('Choose one of the listed languages.')
    if draft.level not in LEVELS:
        errors['level'] = lazy_text('Choose a level from A1 to C2.')
    if draft.scenario is not None and scenario_by_key(draft.scenario) is None:
        errors['scenario'] = lazy_text('Unknown scenario.')
    if draft.feedback_mode is not None and draft.feedback_mode not in FEEDBACK_MODES:
        errors['feedback_mode'] = FEEDBACK_MODE_ERROR
    # The same goal twice is one mission: counted once, so 'two to four' means two to four different ones.
    goals = (
        None
        if draft.missions is None
        else tuple(dict.fromkeys(m.strip() for m in draft.missions if m.strip()))
    )
    if goals is not None and (problem := missions.missions_error(goals)):
        errors['missions'] = problem
    if errors:
        raise InvalidInput(errors)
    return RoomDraft(
        **values, language=draft.language, level=draft.level, scenario=draft.scenario,
        feedback_mode=draft.feedback_mode, use_due_words=draft.use_due_words, missions=goals,
    )  # fmt: skip


def _fields(draft: RoomDraft) -> dict[str, str | bool | None]:
    due_words = {} if draft.use_due_words is None else {'use_due_words': draft.use_due_words}
    return due_words | {
        'title': draft.title, 'language': draft.language, 'situation': draft.situation, 'ai_role': draft.ai_role,
        'my_role': draft.my_role, 'level': draft.level, 'instructions': draft.instructions, 'scenario': draft.scenario,
    } | ({'feedback_mode': draft.feedback_mode} if draft.feedback_mode else {})  # fmt: skip


def room_info(room: Room, message_count: int = 0, missions: tuple[str, ...] = ()) -> RoomInfo:
    return RoomInfo(
        id=room.id, title=room.title, language=room.language, situation=room.situation, ai_role=room.ai_role,
        my_role=room.my_role, level=room.level, instructions=room.instructions, scenario=room.scenario,
        created_at=room.created_at, last_activity_at=room.last_activity_at, message_count=message_count,
        listening_mode=room.listening_mode, slow_speech=room.slow_speech, feedback_mode=room.feedback_mode,
        use_due_words=room.use_due_words, missions=missions,
    )  # fmt: skip
