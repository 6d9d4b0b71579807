"""`Translate` under an AI reply: into the learner's language (TASK: translate, plain text), cached.

The translation is kept per (message, target language) in the database, so a second look (another
tab, another process, tomorrow) costs nothing: no help unit, no model call.
"""

from dataclasses import dataclass

from db.engine import sessionmaker
from db.models import Message, Room, Translation, User
from db.upsert import session_insert
from i18n import lazy_text
from services import help_quota, llm_tasks
from services.errors import HelperUnavailable, InvalidInput, MessageNotFound
from services.feedback_prompts import translate_prompt
from services.rooms import LANGUAGES

TASK = 'translate'


@dataclass(frozen=True, slots=True)
class TranslationInfo:
    message_id: int
    language: str  # the target language code, e.g. 'ko'
    text: str
    cached: bool  # True: read from the cache (free)


async def translate_reply(user_id: int, message_id: int, language: str | None = None) -> TranslationInfo:
    """The AI reply `message_id` in `language` (default: the learner's `My language`).

    Costs one help unit the first time (HelpQuotaExceeded at 0). Raises MessageNotFound for anything
    but a finished AI reply of the learner's, InvalidInput for an unknown language, HelperUnavailable
    (its text is the note to show) when the model cannot translate.
    """
    async with sessionmaker().begin() as session:
        message = await session.get(Message, message_id)
        if message is None or message.user_id != user_id or message.role != 'assistant':
            raise MessageNotFound
        if message.status not in {'complete', 'stopped'} or not message.content.strip():
            raise MessageNotFound
        room = await session.get(Room, message.room_id)
        user = await session.get(User, user_id)
        assert room is not None and user is not None
        target = language or user.native_language
        if target not in LANGUAGES:
            raise InvalidInput({'language': lazy_text('Choose one of the listed languages.')})
        if target == room.language:  # already in that language: nothing to translate
            return TranslationInfo(message_id, target, message.content, cached=True)
        stored = await session.get(Translation, (message_id, target))
        if stored is not None:
            return TranslationInfo(message_id, target, stored.text, cached=True)
        system, text = translate_prompt(message.content, room.language, target)
    if note := await llm_tasks.unavailable_note(TASK):
        raise HelperUnavailable(note)
    charged = await help_quota.consume(user_id)
    try:
        translated = await llm_tasks.plain_text(TASK, system, text, max_tokens=2 * len(text) // 3 + 200)
    except HelperUnavailable:
        if not charged.unlimited:
            await help_quota.refund(user_id, charged.day)
        raise
    async with sessionmaker().begin() as session:
        insert = session_insert(session)(Translation)
        # Two tabs translating at once: the first stored wins, the second is not an error.
        await session.execute(
            insert.values(message_id=message_id, language=target, text=translated).on_conflict_do_nothing()
        )
    return TranslationInfo(message_id, target, translated, cached=False)
