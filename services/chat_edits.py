"""Tidying a conversation: delete one exchange (message and reply) or clear a room's whole history.

A reply still being written is stopped first (in whichever process writes it), so no background task
writes into a deleted row; its quota unit stays spent once the model was asked (services/generation.py).
Replies already written stay counted: deleting them does not refund the day's allowance. The learner's
recordings go with their messages.
"""

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, Recording
from services import generation
from services.chat import owned_message
from services.rooms import owned_room


async def delete_exchange(user_id: int, message_id: int) -> tuple[int, ...]:
    """Delete a message together with its partner: the learner's message and the reply to it.

    Either half may be given. A reply with no message before it (or a message never answered) goes
    alone. Returns the ids deleted, oldest first. Raises MessageNotFound for someone else's message.
    """
    async with sessionmaker().begin() as session:
        exchange = await _exchange(session, user_id, message_id)
    await generation.stop(*(message.id for message in exchange if message.role == 'assistant'))
    async with sessionmaker().begin() as session:
        ids = [message.id for message in exchange]
        await _delete_messages(session, user_id, select(Message.id).where(Message.id.in_(ids)))
    return tuple(ids)


async def clear_history(user_id: int, room_id: int) -> int:
    """Delete every message of the room (the room and its set-up stay). Returns how many went.

    Raises RoomNotFound for a missing or someone else's room.
    """
    async with sessionmaker().begin() as session:
        await owned_room(session, user_id, room_id)
        pending = (
            await session.scalars(
                select(Message.id).where(Message.room_id == room_id, Message.status == 'pending')
            )
        ).all()
    await generation.stop(*pending)
    async with sessionmaker().begin() as session:
        await owned_room(session, user_id, room_id)  # deleted in another tab meanwhile: RoomNotFound
        deleted = await _delete_messages(
            session, user_id, select(Message.id).where(Message.room_id == room_id)
        )
        # Recordings transcribed but never sent belong to the room's history too.
        await session.execute(delete(Recording).where(Recording.room_id == room_id))
        return deleted


async def _exchange(session: AsyncSession, user_id: int, message_id: int) -> list[Message]:
    """The message and its partner in the same room (the message just before or after it)."""
    message = await owned_message(session, user_id, message_id)
    if message.role == 'user':
        neighbour = select(Message).where(Message.room_id == message.room_id, Message.id > message.id)
        partner = await session.scalar(neighbour.order_by(Message.id).limit(1))
        return [message, partner] if partner is not None and partner.role == 'assistant' else [message]
    neighbour = select(Message).where(Message.room_id == message.room_id, Message.id < message.id)
    partner = await session.scalar(neighbour.order_by(Message.id.desc()).limit(1))
    return [partner, message] if partner is not None and partner.role == 'user' else [message]


async def _delete_messages(session: AsyncSession, user_id: int, message_ids: Select[tuple[int]]) -> int:
    """Delete the messages (and the recordings they were spoken in); returns how many messages went."""
    recording_ids = select(Message.recording_id).where(
        Message.id.in_(message_ids), Message.recording_id.is_not(None)
    )
    await session.execute(
        delete(Recording).where(Recording.user_id == user_id, Recording.id.in_(recording_ids))
    )
    deleted = await session.execute(
        delete(Message).where(Message.user_id == user_id, Message.id.in_(message_ids))
    )
    return deleted.rowcount or 0
