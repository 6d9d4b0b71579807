"""/api/rooms/{id}/messages (history pages; send and get the reply, whole or streamed), /api/messages/{id}
(one message, whole or followed as it is written) and reply audio."""

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from api.rest.errors import ApiError, ErrorDetail, ErrorResponse, documented
from api.rest.learning_schemas import FeedbackOut, MessageDetailOut
from api.rest.params import Cursor, MessageId, PageSize, RoomId
from api.rest.schemas import MESSAGE_EMPTY, MessageOut, MessagePage, QuotaOut, SendRequest, TurnOut
from api.rest.security import CurrentUser
from services import chat, feedback, tts
from services.errors import ServiceError

router = APIRouter(tags=['messages'], responses=documented(401, 403))

STREAM_DESCRIPTION = (
    'With `stream=true`: Server-Sent Events. `start` carries the turn (your message, the pending reply, '
    'the quota); each `delta` carries `{"id", "text"}` with the reply text so far; `done` carries the '
    'final reply (`complete`, or `failed` with `error`, in which case the reply is refunded). Should the '
    'reply vanish meanwhile (its room deleted), an `error` event carries the error object instead of `done`.'
)
# One event of the stream (OpenAPI 3.1 reads a text/event-stream schema as the schema of each event).
SSE_EVENT = {
    'type': 'object',
    'required': ['event', 'data'],
    'properties': {
        'event': {'type': 'string', 'enum': ['start', 'delta', 'done', 'error']},
        'data': {'type': 'string', 'contentMediaType': 'application/json'},
    },
}
SSE_EXAMPLE = 'event: delta\ndata: {"id": 2, "text": "Hello! Nice"}\n\nevent: done\ndata: {"id": 2, ...}\n\n'


@router.get(
    '/rooms/{room_id}/messages',
    summary="A page of a room's messages, newest first",
    responses=documented(404, 422),
)
async def list_messages(
    room_id: RoomId, user: CurrentUser, before: Cursor = None, limit: PageSize = 50
) -> MessagePage:
    """Start without `before`; then pass the page's `next_cursor` as `before` until it is null."""
    messages = await chat.messages_before(user.id, room_id, before, limit + 1)
    page = messages[:limit]
    return MessagePage(
        items=[MessageOut.of(message) for message in page],
        next_cursor=page[-1].id if len(messages) > limit else None,
    )


@router.post(
    '/rooms/{room_id}/messages',
    summary='Send a message and get the AI reply',
    response_model=TurnOut,
    responses={
        200: {
            'description': 'The turn with the finished reply; or, with `stream=true`, an event stream',
            'content': {'text/event-stream': {'schema': SSE_EVENT, 'example': SSE_EXAMPLE}},
        },
        **documented(400, 404, 422, 429),
    },
    description=(
        'Your message is stored (and one reply of the daily allowance charged) before the model is asked; '
        'at the daily limit nothing is stored or asked: 429 with Retry-After (seconds until the reset). '
        + STREAM_DESCRIPTION
    ),
)
async def send_message(
    room_id: RoomId,
    body: SendRequest,
    user: CurrentUser,
    stream: bool = Query(default=False, description='Stream the reply as Server-Sent Events'),
) -> Any:
    """Uses chat.send_message, then chat.follow for the reply, like the chat page does."""
    turn = await chat.send_message(user.id, room_id, body.text)
    if turn is None or turn.user_message is None:
        raise ApiError(422, 'invalid_input', MESSAGE_EMPTY, fields={'text': MESSAGE_EMPTY})
    start = TurnOut(
        user_message=MessageOut.of(turn.user_message),
        reply=MessageOut.of(turn.reply),
        quota=QuotaOut.of(turn.quota),
    )
    if stream:
        return _event_stream(_events(user.id, start))
    final = turn.reply
    async for snapshot in chat.follow(user.id, turn.reply.id):
        final = snapshot
    return start.model_copy(update={'reply': MessageOut.of(final)})


@router.get(
    '/messages/{message_id}',
    summary='One message with its feedback; a reply being written shows its text so far',
    response_model=MessageDetailOut,
    responses={
        200: {
            'description': 'The message; or, with `stream=true`, an event stream following the reply',
            'content': {'text/event-stream': {'schema': SSE_EVENT, 'example': SSE_EXAMPLE}},
        },
        **documented(404, 422),
    },
    description=(
        'Any app process answers, whichever one writes the reply. With `stream=true`: Server-Sent Events, '
        'a `delta` (`{"id", "text"}`, the text so far) each time the reply grows, then `done` with the '
        'final message (at once for a finished one); `error` should the reply vanish meanwhile.'
    ),
)
async def get_message(
    message_id: MessageId,
    user: CurrentUser,
    stream: bool = Query(default=False, description='Follow the reply as Server-Sent Events'),
) -> Any:
    """404 for anyone else's message. Your line carries `feedback` (possibly still `pending`); a reply
    has `feedback: null`."""
    message = await chat.get_message(user.id, message_id)
    if stream:
        return _event_stream(_follow_events(user.id, message.id))
    notes = await feedback.get_feedback(user.id, message_id) if message.role == 'user' else None
    return MessageDetailOut(
        **MessageOut.of(message).model_dump(), feedback=FeedbackOut.of(notes) if notes else None
    )


@router.get(
    '/messages/{message_id}/audio',
    summary='An AI reply read aloud',
    response_class=Response,
    responses={
        200: {
            'description': 'The audio (cached: a replay costs nothing)',
            'content': {
                'audio/wav': {'schema': {'type': 'string', 'format': 'binary'}},
                'audio/mpeg': {'schema': {'type': 'string', 'format': 'binary'}},
            },
        },
        **documented(404, 422, 503),
    },
)
async def message_audio(
    message_id: MessageId,
    user: CurrentUser,
    slow: bool | None = Query(default=None, description="Slower speech (default: the room's setting)"),
) -> Response:
    """In the room's language; 404 for anything but an AI reply of yours."""
    speech = await tts.message_audio(user.id, message_id, slow)
    return Response(speech.data, media_type=speech.mime_type, headers={'Cache-Control': 'private, no-store'})


def _event_stream(events: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(
        events,
        media_type='text/event-stream',
        # No caching, and no buffering by a proxy in front (nginx), or the deltas arrive all at once.
        headers={'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no'},
    )


async def _events(user_id: int, start: TurnOut) -> AsyncIterator[str]:
    """The turn, then the reply text as it grows, then the final reply (the reply is saved either way)."""
    yield _event('start', start.model_dump_json())
    async for event in _follow_events(user_id, start.reply.id):
        yield event


async def _follow_events(user_id: int, reply_id: int) -> AsyncIterator[str]:
    """The reply text as it grows (in this process or another), then the final reply."""
    sent = ''
    try:
        async for snapshot in chat.follow(user_id, reply_id):
            if snapshot.status != 'pending':
                yield _event('done', MessageOut.of(snapshot).model_dump_json())
                return
            if snapshot.content != sent:
                sent = snapshot.content
                yield _event('delta', json.dumps({'id': snapshot.id, 'text': sent}, ensure_ascii=False))
    except ServiceError as problem:  # e.g. the room was deleted meanwhile: too late for a status code
        body = ErrorResponse(error=ErrorDetail(code='not_found', message=str(problem)))
        yield _event('error', body.model_dump_json(exclude_none=True))


def _event(name: str, data: str) -> str:
    return f'event: {name}\ndata: {data}\n\n'  # JSON never contains a raw newline, so one data line suffices
