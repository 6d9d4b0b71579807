"""The helper ladder's pieces: the tolerant JSON reader and the embedded model's honest 'off'."""

import pytest

from db.engine import sessionmaker
from db.models import Message
from services import accounts, feedback, help_quota, llm_tasks, rooms
from services.corrections import TurnFeedback
from services.rooms import RoomDraft


def test_the_first_valid_object_is_read_from_prose_fences_and_trailing_commas() -> None:
    """Small models wrap JSON in chatter; the reader still finds the object that fits the schema."""
    text = 'Sure! {"note": 1}\n```json\n{"has_errors": true, "corrected": "I went {home}.", "corrections": [],}\n```'
    parsed = llm_tasks.parse_model(text, TurnFeedback)
    assert parsed is not None and (parsed.has_errors, parsed.corrected) == (True, 'I went {home}.')
    assert llm_tasks.parse_model('no json at all', TurnFeedback) is None


@pytest.mark.usefixtures('database')
async def test_the_built_in_model_turns_feedback_off_with_a_visible_note() -> None:
    """No LLM server configured: the embedded model is never asked; the card says why, no help is spent."""
    assert (
        await llm_tasks.unavailable_note('turn_feedback')
        == 'Feedback is not available with the built-in model.'
    )
    assert (
        await llm_tasks.unavailable_note('translate')
        == 'Translation is not available with the built-in model.'
    )
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(user.id, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Customer', 'A2'))
    async with sessionmaker().begin() as session:
        line = Message(room_id=room.id, user_id=user.id, role='user', content='I goes home.')
        session.add(line)
    feedback.start_feedback(user.id, line.id)
    info = await feedback.wait_feedback(user.id, line.id, timeout_seconds=10)
    assert (info.status, info.note) == ('unavailable', 'Feedback is not available with the built-in model.')
    assert (await help_quota.status(user.id)).used == 0
