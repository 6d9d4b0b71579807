"""Conversation controls over the API: write a reply again, delete an exchange, clear a room, export it."""

from typing import Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from api.export import streamed
from api.rest.errors import documented
from api.rest.params import MessageId, RoomId
from api.rest.schemas import ClearedOut, DeletedOut, MessageOut, QuotaOut, ReplyTurnOut
from api.rest.security import CurrentUser
from services import chat, chat_edits, export
from services.chat import Turn

router = APIRouter(tags=['messages'], responses=documented(401, 403))


@router.post(
    '/messages/{message_id}/retry',
    summary='Try a failed or stopped reply again',
    responses=documented(404, 409, 422, 429),
)
async def retry_reply(message_id: MessageId, user: CurrentUser) -> ReplyTurnOut:
    """Costs one reply, like sending; 409 for a reply that is neither failed nor stopped."""
    return await _finished(user.id, await chat.retry_reply(user.id, message_id))


@router.post(
    '/messages/{message_id}/regenerate',
    summary="Write the room's latest reply anew",
    responses=documented(404, 409, 422, 429),
)
async def regenerate_reply(message_id: MessageId, user: CurrentUser) -> ReplyTurnOut:
    """Costs one reply, like sending; 409 for an earlier reply or one still being written."""
    return await _finished(user.id, await chat.regenerate_reply(user.id, message_id))


@router.post(
    '/messages/{message_id}/stop',
    summary='Stop a reply being written',
    responses=documented(404, 422),
)
async def stop_reply(message_id: MessageId, user: CurrentUser) -> MessageOut:
    """Whichever app process writes the reply, it ends `stopped` with its text so far. Waits up to about
    3 s for that to be saved, then returns the message (a reply already finished is returned as it is)."""
    return MessageOut.of(await chat.stop_reply(user.id, message_id))


@router.delete(
    '/messages/{message_id}', summary='Delete a message and its reply (or a reply and its message)',
    responses=documented(404, 422),
)  # fmt: skip
async def delete_exchange(message_id: MessageId, user: CurrentUser) -> DeletedOut:
    """A reply being written is stopped first. Replies already used stay counted today."""
    return DeletedOut(deleted=list(await chat_edits.delete_exchange(user.id, message_id)))


@router.delete(
    '/rooms/{room_id}/messages', summary="Clear a room's conversation", responses=documented(404, 422)
)
async def clear_history(room_id: RoomId, user: CurrentUser) -> ClearedOut:
    """Every message (and recording) of the room goes; the room and its set-up stay."""
    return ClearedOut(deleted_count=await chat_edits.clear_history(user.id, room_id))


@router.get(
    '/rooms/{room_id}/export',
    summary='Download a room as Markdown or JSON',
    tags=['rooms'],
    response_class=Response,
    responses={
        200: {
            'description': 'The file, as an attachment',
            'content': {'text/markdown': {'schema': {'type': 'string'}}, 'application/json': {}},
        },
        **documented(404, 422),
    },
)
async def export_room(
    room_id: RoomId,
    user: CurrentUser,
    export_format: Literal['markdown', 'json'] = Query(
        default='markdown', alias='format', description='File format'
    ),
) -> StreamingResponse:
    """The room's set-up and its whole conversation, the same file as the chat page's Export menu
    (streamed as it is read, a page of messages at a time)."""
    return streamed(await export.export_room(user.id, room_id, export_format))


async def _finished(user_id: int, turn: Turn) -> ReplyTurnOut:
    """Wait for the reply to be written (or to fail, in which case it was refunded)."""
    final = turn.reply
    async for snapshot in chat.follow(user_id, turn.reply.id):
        final = snapshot
    return ReplyTurnOut(reply=MessageOut.of(final), quota=QuotaOut.of(turn.quota))
