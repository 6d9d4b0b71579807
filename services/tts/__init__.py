"""Listening practice: replies read aloud through a chain of engines, cached in the database.

`auto` tries gTTS (natural, online) and falls back to Piper (English) and espeak-ng (any language);
every clip is cached by (engine, voice, language, speed, text) in a table all app processes share,
so a replay costs a single indexed read and survives restarts.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import AudioClip, Message, Room, utcnow
from db.upsert import session_insert
from i18n import lazy_text
from services.errors import MessageNotFound, ServiceError
from services.language_names import language_name
from services.recipes import parse_recipe
from services.scenarios import kind_of
from services.settings import get_settings
from services.tts.engines import Audio, Engine, EngineFailed, chain

log = logging.getLogger(__name__)

MAX_SPOKEN_CHARACTERS = 3000
PHRASE_MAX_CHARACTERS = 60  # a word or short phrase of a reply (the word pop-up)
# A replay refreshes the clip's "last used" time at most this often (a write per replay is wasted work).
TOUCH_AFTER = timedelta(hours=1)


class TTSUnavailable(ServiceError):
    def __init__(self, language: str) -> None:
        super().__init__(
            lazy_text(
                'No voice can read {language} aloud right now. The text is still here to read.',
                language=lambda: language_name(language),
            )
        )


@dataclass(frozen=True, slots=True)
class Speech:
    data: bytes
    mime_type: str
    engine: str
    cache_key: str


async def message_audio(user_id: int, message_id: int, slow: bool | None = None) -> Speech:
    """A reply read aloud in its room's language (at the room's speed unless `slow` is given)."""
    async with sessionmaker().begin() as session:
        message = await session.get(Message, message_id)
        if message is None or message.user_id != user_id or message.role != 'assistant':
            raise MessageNotFound
        room = await session.get(Room, message.room_id)
        assert room is not None
        text = spoken_text(message.content, is_recipe=kind_of(room.scenario) == 'recipe')
        language, slow = room.language, room.slow_speech if slow is None else slow
    if not text:
        raise MessageNotFound
    return await synthesize(text, language, slow)


async def phrase_audio(user_id: int, message_id: int, phrase: str, slow: bool = False) -> Speech:
    """A word or short phrase of one of the learner's replies read aloud in its room's language.

    The phrase must occur in the reply (the word pop-up's `Play`), so nothing else can be spoken
    through it; MessageNotFound otherwise.
    """
    phrase = ' '.join(phrase.split())
    async with sessionmaker().begin() as session:
        message = await session.get(Message, message_id)
        if message is None or message.user_id != user_id or message.role != 'assistant':
            raise MessageNotFound
        room = await session.get(Room, message.room_id)
        assert room is not None
        content = ' '.join(message.content.split()).lower()
        language = room.language
    if not phrase or len(phrase) > PHRASE_MAX_CHARACTERS or phrase.lower() not in content:
        raise MessageNotFound
    return await synthesize(phrase, language, slow)


async def synthesize(text: str, language: str, slow: bool = False) -> Speech:
    """Audio for `text`: from the cache when any usable engine made it before, else the first engine that works."""
    text = text[:MAX_SPOKEN_CHARACTERS]
    candidates = [
        (engine, voice)
        for engine in chain(get_settings().tts_engine)
        if (voice := engine.voice_for(language))
    ]
    keys = [_cache_key(engine.name, voice, language, slow, text) for engine, voice in candidates]
    if cached := await _cached(keys):
        return cached
    for (engine, voice), key in zip(candidates, keys, strict=True):
        try:
            audio = await engine.synthesize(text, voice, slow)
        except EngineFailed as failure:
            log.info('TTS engine %s failed, trying the next one: %s', engine.name, failure)
            continue
        await _store(key, engine, audio)
        return Speech(audio.data, audio.mime_type, engine.name, key)
    raise TTSUnavailable(language)


def spoken_text(content: str, *, is_recipe: bool = False) -> str:
    """What a listener should hear: Markdown marks, code and links removed; recipes read as sentences."""
    if is_recipe and (recipe := parse_recipe(content)):
        ingredients = ', '.join(f'{item.amount} {item.name}'.strip() for item in recipe.ingredients)
        steps = ' '.join(recipe.steps)
        return f'{recipe.dish}. {recipe.intro} Ingredients: {ingredients}. {steps}'.strip()
    text = re.sub(r'```.*?```', ' ', content, flags=re.DOTALL)  # code is for reading, not for listening
    text = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', text)  # [label](url) -> label
    text = re.sub(r'[*_`#>|~]+', '', text)
    return re.sub(r'\s+', ' ', text).strip()


async def _cached(keys: list[str]) -> Speech | None:
    if not keys:
        return None
    async with sessionmaker().begin() as session:
        rows = (await session.execute(select(AudioClip).where(AudioClip.key.in_(keys)))).scalars().all()
        if not rows:
            return None
        best = min(rows, key=lambda clip: keys.index(clip.key))  # the most preferred engine's clip
        if utcnow() - best.last_used_at > TOUCH_AFTER:
            await session.execute(
                update(AudioClip).where(AudioClip.key == best.key).values(last_used_at=utcnow())
            )
        return Speech(best.data, best.mime_type, best.engine, best.key)


async def _store(key: str, engine: Engine, audio: Audio) -> None:
    async with sessionmaker().begin() as session:
        # Another request (in any process) may be making the same clip at this moment: the first insert
        # wins and the others do nothing, instead of failing on the primary key.
        insert = session_insert(session)
        now = utcnow()
        await session.execute(
            insert(AudioClip)
            .values(
                key=key,
                engine=engine.name,
                mime_type=audio.mime_type,
                data=audio.data,
                size=len(audio.data),
                created_at=now,
                last_used_at=now,
            )
            .on_conflict_do_nothing(index_elements=[AudioClip.key])
        )
        await _evict_oldest(session, get_settings().tts_cache_megabytes * 1024 * 1024)


async def _evict_oldest(session: AsyncSession, budget_bytes: int) -> None:
    """Delete the least recently used clips until the cache fits its size cap."""
    total = await session.scalar(select(func.coalesce(func.sum(AudioClip.size), 0)))
    if not total or total <= budget_bytes:
        return
    excess = total - budget_bytes
    freed, victims = 0, []
    for key, size in await session.execute(
        select(AudioClip.key, AudioClip.size).order_by(AudioClip.last_used_at)
    ):
        if freed >= excess:
            break
        victims.append(key)
        freed += size
    await session.execute(delete(AudioClip).where(AudioClip.key.in_(victims)))


def _cache_key(engine: str, voice: str, language: str, slow: bool, text: str) -> str:
    return hashlib.sha256(f'{engine}\0{voice}\0{language}\0{int(slow)}\0{text}'.encode()).hexdigest()
