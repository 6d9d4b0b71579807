"""`Why?`: a longer explanation of one correction (TASK: explain, plain text), kept once asked."""

from db.engine import sessionmaker
from db.models import Message, Room, User
from services import help_quota, llm_tasks
from services.errors import HelperUnavailable
from services.feedback import owned_correction
from services.feedback_prompts import explain_prompt

TASK = 'explain'
MAX_TOKENS = 300


async def explain(user_id: int, correction_id: int) -> str:
    """The longer explanation of a correction, in the learner's language.

    The first ask costs one help unit (HelpQuotaExceeded at 0); asking again returns the stored text for
    free. Raises CorrectionNotFound (not yours / missing) or HelperUnavailable (its text is the note).
    """
    async with sessionmaker().begin() as session:
        correction = await owned_correction(session, user_id, correction_id)
        if correction.long_explanation:
            return correction.long_explanation
        message = await session.get(Message, correction.message_id)
        assert message is not None
        room = await session.get(Room, message.room_id)
        user = await session.get(User, user_id)
        assert room is not None and user is not None
        system, question = explain_prompt(
            message.content, correction.original, correction.replacement, room.language, user.native_language
        )
    if note := await llm_tasks.unavailable_note(TASK):
        raise HelperUnavailable(note)
    charged = await help_quota.consume(user_id)
    try:
        text = await llm_tasks.plain_text(TASK, system, question, max_tokens=MAX_TOKENS)
    except HelperUnavailable:
        if not charged.unlimited:
            await help_quota.refund(user_id, charged.day)
        raise
    async with sessionmaker().begin() as session:
        correction = await owned_correction(session, user_id, correction_id)
        correction.long_explanation = text
    return text
