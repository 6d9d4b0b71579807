"""How a reply is set up: its pending row, the prompt it is asked with, and its background task."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Row, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Message, Room
from services import generation
from services.llm.base import ChatTurn, LLMBackend
from services.prompt import RECIPE_SCHEMA, build_turns, partner_prompt
from services.scenarios import kind_of

if TYPE_CHECKING:  # services.chat imports this module
    from services.chat import MessageInfo

# At most this many earlier messages are read for a prompt (the context budget trims them further).
PROMPT_HISTORY_MESSAGES = 500
_MESSAGES = Message.__table__
_EARLIER = (
    select(_MESSAGES.c.id, _MESSAGES.c.role, _MESSAGES.c.content, _MESSAGES.c.status)
    .where(_MESSAGES.c.room_id == bindparam('room_id'), _MESSAGES.c.id < bindparam('reply_id'))
    .order_by(_MESSAGES.c.id.desc())
    .limit(PROMPT_HISTORY_MESSAGES)
)


def start(
    user_id: int,
    scenario: str | None,
    reply: 'MessageInfo',
    backend: LLMBackend,
    turns: list[ChatTurn],
    attempt: int = 0,
) -> None:
    is_recipe = kind_of(scenario) == 'recipe'
    generation.start(
        reply.id,
        user_id,
        backend,
        turns,
        max_tokens=reply_tokens(backend, is_recipe),
        json_schema=RECIPE_SCHEMA if is_recipe else None,
        info=reply,
        attempt=attempt,
    )


async def prompt_turns(
    session: AsyncSession, room: Room, reply_id: int, backend: LLMBackend
) -> list[ChatTurn]:
    """System prompt plus the conversation before `reply_id`, trimmed to the model's context."""
    earlier = await earlier_messages(session, room.id, reply_id)
    return fitted_turns(await partner_prompt(session, room), earlier, room.scenario, backend)


async def earlier_messages(session: AsyncSession, room_id: int, reply_id: int) -> Sequence[Row]:
    """The room's messages before `reply_id` (id, role, content, status), newest first: one prebuilt statement."""
    rows = await session.execute(_EARLIER, {'room_id': room_id, 'reply_id': reply_id})
    return rows.all()


def fitted_turns(
    system: str, earlier: Sequence[Row], scenario: str | None, backend: LLMBackend
) -> list[ChatTurn]:
    """The system prompt and the usable history (`earlier`, newest first) trimmed to the model's context."""
    history = [
        ChatTurn('user' if message.role == 'user' else 'assistant', message.content)
        for message in reversed(earlier)
        if message.content.strip() and (message.role == 'user' or message.status in {'complete', 'stopped'})
    ]
    budget = backend.context_tokens - reply_tokens(backend, kind_of(scenario) == 'recipe')
    return build_turns(system, history, budget_tokens=budget)


def reply_tokens(backend: LLMBackend, is_recipe: bool) -> int:
    # Small-context (local) models ramble and are slow on a laptop CPU: keep their turns short.
    if backend.context_tokens <= 4096:
        return 500 if is_recipe else 160
    return 700 if is_recipe else 400
