"""Spoken answers: the learner's recording is transcribed, kept for replay, and its hard words noted.

Speech recognition never costs quota: only AI replies do. Each account transcribes one recording at a
time (a second one is refused with TranscriptionBusy: one learner cannot queue up the single recogniser),
keeps at most MAX_RECORDINGS_PER_ACCOUNT recordings (the oldest go first when a new one is stored: the
latest answers are the ones worth replaying) and keeps none longer than RECORDING_RETENTION_DAYS.
"""

import json
import logging
import re
from collections.abc import AsyncIterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Recording, utcnow
from i18n import lazy_text
from services import stt, stt_errors
from services.errors import ServiceError
from services.rooms import owned_room
from services.settings import get_settings

log = logging.getLogger(__name__)

SUPPORTED_TYPES = (
    'audio/webm',
    'audio/ogg',
    'audio/wav',
    'audio/x-wav',
    'audio/wave',
    'audio/mpeg',
    'audio/mp4',
)


class RecordingNotFound(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Recording not found'))


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    id: int
    text: str
    duration_seconds: float
    hard_words: tuple[str, ...]  # words the recogniser was unsure of (a signal, not a grade)
    score: float  # mean word confidence, 0..1


@dataclass(frozen=True, slots=True)
class SpeechSignal:
    """What is stored with a sent message that was spoken."""

    recording_id: int
    score: float
    hard_words: tuple[str, ...]


async def transcribe(
    user_id: int, room_id: int, audio: bytes | AsyncIterable[bytes], mime_type: str
) -> RecordingInfo:
    """Transcribe a recording in the room's language and keep it; raises the typed STT errors.

    `audio` may be an upload still arriving: it is read only up to stt.MAX_AUDIO_BYTES (AudioTooLarge
    beyond), and only while this account has no other transcription running (TranscriptionBusy).
    """
    with _one_at_a_time(user_id):
        async with sessionmaker().begin() as session:
            language = (await owned_room(session, user_id, room_id)).language
        data = await _read_limited(audio)
        return await _transcribe_and_keep(user_id, room_id, data, mime_type, language)


async def delete_expired() -> int:
    """Delete every recording older than RECORDING_RETENTION_DAYS; returns how many went.

    Runs by itself (main.py: at start-up, then hourly). Spoken messages keep their text; only the replay
    button goes (messages.recording_id is SET NULL by the foreign key).
    """
    cutoff = utcnow() - timedelta(days=get_settings().recording_retention_days)
    async with sessionmaker().begin() as session:
        result = await session.execute(delete(Recording).where(Recording.created_at < cutoff))
    return result.rowcount or 0


async def _transcribe_and_keep(
    user_id: int, room_id: int, audio: bytes, mime_type: str, language: str
) -> RecordingInfo:
    transcript = await stt.transcribe(audio, language)
    words = [
        {'text': word.text.strip(), 'probability': round(word.probability, 3)} for word in transcript.words
    ]
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=user_id, room_id=room_id, mime_type=_clean_type(mime_type), data=audio,
            duration_seconds=transcript.duration_seconds, transcript=transcript.text, words=json.dumps(words),
        )  # fmt: skip
        session.add(recording)
        await session.flush()
        recording_id = recording.id
        await _drop_oldest(session, user_id, get_settings().max_recordings_per_account)
    return RecordingInfo(
        id=recording_id,
        text=transcript.text,
        duration_seconds=transcript.duration_seconds,
        hard_words=tuple(word.text.strip() for word in transcript.hard_words),
        score=_mean([word['probability'] for word in words]),
    )


async def warm_up() -> None:
    """Load the speech recogniser now (when it runs here), so the first spoken answer does not wait."""
    try:
        await stt.preload()
    except stt_errors.STTError as problem:  # not fatal: the page explains it when someone records
        log.warning('speech recognition is not ready: %s', problem)


async def recording_audio(user_id: int, recording_id: int) -> tuple[bytes, str]:
    """The recording's bytes and type, for its owner only."""
    async with sessionmaker().begin() as session:
        recording = await session.get(Recording, recording_id)
        if recording is None or recording.user_id != user_id:
            raise RecordingNotFound
        return recording.data, recording.mime_type


async def signal_for_message(
    session: AsyncSession, user_id: int, room_id: int, recording_id: int, sent_text: str
) -> SpeechSignal | None:
    """The recognition signal for the text actually sent (the learner may have corrected the transcript).

    Only hard words still present in the sent text are kept. None when the recording is not this
    user's recording in this room.
    """
    recording = await session.get(Recording, recording_id)
    if recording is None or recording.user_id != user_id or recording.room_id != room_id:
        return None
    words = json.loads(recording.words)
    sent = {_normalized(token) for token in sent_text.split()}
    hard = tuple(
        dict.fromkeys(
            word['text']
            for word in words
            if word['probability'] < stt.HARD_WORD_THRESHOLD and _normalized(word['text']) in sent
        )
    )
    return SpeechSignal(recording_id, _mean([word['probability'] for word in words]), hard)


_transcribing: set[int] = set()  # accounts with a transcription running in this process


@contextmanager
def _one_at_a_time(user_id: int) -> Iterator[None]:
    if user_id in _transcribing:
        raise stt_errors.TranscriptionBusy()
    _transcribing.add(user_id)
    try:
        yield
    finally:
        _transcribing.discard(user_id)


async def _read_limited(audio: bytes | AsyncIterable[bytes]) -> bytes:
    """The whole recording, refusing it as soon as it passes the size limit (never more in memory)."""
    if isinstance(audio, bytes):
        if len(audio) > stt.MAX_AUDIO_BYTES:
            raise stt_errors.AudioTooLarge(len(audio), stt.MAX_AUDIO_BYTES)
        return audio
    buffer = bytearray()
    async for chunk in audio:
        buffer += chunk
        if len(buffer) > stt.MAX_AUDIO_BYTES:
            raise stt_errors.AudioTooLarge(len(buffer), stt.MAX_AUDIO_BYTES)
    return bytes(buffer)


async def _drop_oldest(session: AsyncSession, user_id: int, keep: int) -> None:
    """Delete this account's recordings beyond the newest `keep`."""
    newest = (
        select(Recording.id)
        .where(Recording.user_id == user_id)
        .order_by(Recording.id.desc())
        .limit(keep)
        .scalar_subquery()
    )
    await session.execute(delete(Recording).where(Recording.user_id == user_id, Recording.id.not_in(newest)))


def _normalized(word: str) -> str:
    return re.sub(r'[^\w]', '', word.casefold())


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def _clean_type(mime_type: str) -> str:
    base = mime_type.split(';')[0].strip().lower()
    return base if base in SUPPORTED_TYPES else 'application/octet-stream'
