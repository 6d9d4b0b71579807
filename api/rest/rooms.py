"""/api/rooms: create, list, read, change and delete one's own rooms (another user's room is a 404)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api.rest.errors import documented
from api.rest.params import PageCursor, PageSize, RoomId, text
from api.rest.schemas import RoomCreate, RoomOut, RoomPage, RoomSummary, RoomUpdate
from api.rest.security import CurrentUser
from services import rooms
from services.rooms import LANGUAGES, RoomDraft, RoomSort

router = APIRouter(prefix='/rooms', tags=['rooms'], responses=documented(401, 403))
DRAFT_FIELDS = (
    'title', 'language', 'situation', 'ai_role', 'my_role', 'level', 'instructions', 'scenario', 'feedback_mode',
)  # fmt: skip
LISTENING_FIELDS = ('listening_mode', 'slow_speech')
TitleFilter = text(rooms.FIELD_LIMITS['title'])
DRAFT_FIELDS += ('use_due_words',)  # the partner uses the learner's due notebook words
DRAFT_FIELDS += ('missions',)  # services/missions.py


@router.get('', summary='Your rooms, most recently active first', responses=documented(422))
async def list_rooms(
    user: CurrentUser,
    q: Annotated[TitleFilter, Query(description='Only rooms whose title contains this')] = '',
    language: Literal[tuple(LANGUAGES)] | None = Query(
        default=None, description='Only rooms in this language'
    ),  # type: ignore[valid-type]
    sort: RoomSort = Query(default='activity', description='activity (latest first), title, or created'),
    cursor: Annotated[
        PageCursor | None,
        Query(
            description='`next_cursor` of the previous page (same filters and sort); anything else is a 422'
        ),
    ] = None,
    limit: PageSize = 30,
) -> RoomPage:
    """The token's account's rooms, with their message counts (the room list page's filters), a page at a
    time: start without `cursor`, then pass the page's `next_cursor` until it is null."""
    page = await rooms.room_page(user.id, q, language, sort, cursor, limit)
    return RoomPage(items=[RoomSummary.of(room) for room in page.rooms], next_cursor=page.next_cursor)


@router.post('', status_code=201, summary='Create a room', responses=documented(400, 409, 422, 429))
async def create_room(body: RoomCreate, user: CurrentUser) -> RoomOut:
    """The same rules as the room editor: required fields, lengths, a known language, level and scenario.
    409 at MAX_ROOMS_PER_USER rooms; 429 (with Retry-After) after too many new rooms in a short time."""
    return RoomOut.of(await rooms.create_room(user.id, RoomDraft(**body.model_dump())))


@router.get('/{room_id}', summary='One room', responses=documented(404, 422))
async def read_room(room_id: RoomId, user: CurrentUser) -> RoomOut:
    """404 for a room that does not exist or is not yours (the two look the same)."""
    return RoomOut.of(await rooms.get_room(user.id, room_id))


@router.patch('/{room_id}', summary='Change a room', responses=documented(400, 404, 422))
async def update_room(room_id: RoomId, body: RoomUpdate, user: CurrentUser) -> RoomOut:
    """Only the fields sent change (`null` means unchanged, except for `scenario`, which it clears)."""
    changes = body.model_dump(exclude_unset=True)
    room = await rooms.get_room(user.id, room_id)
    if any(name in changes for name in DRAFT_FIELDS):
        values = {name: getattr(room, name) for name in DRAFT_FIELDS}
        values['missions'] = None  # unless sent, the room keeps its missions (and their ticks) as they are
        values |= {
            name: value
            for name, value in changes.items()
            if name in DRAFT_FIELDS and (value is not None or name == 'scenario')
        }
        room = await rooms.update_room(user.id, room_id, RoomDraft(**values))
    switches = {name: changes[name] for name in LISTENING_FIELDS if changes.get(name) is not None}
    if switches:
        room = await rooms.set_listening(user.id, room_id, **switches)
    return RoomOut.of(room)


@router.delete(
    '/{room_id}',
    status_code=204,
    response_class=Response,
    summary='Delete a room and its messages',
    responses=documented(404, 422),
)
async def delete_room(room_id: RoomId, user: CurrentUser) -> Response:
    """Gone for good, with its conversation."""
    await rooms.delete_room(user.id, room_id)
    return Response(status_code=204)
