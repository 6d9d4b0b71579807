"""Spoken answers: transcription kept with the recording, owner-only replay, hard words on the sent message."""

import io
import json
import wave

import pytest

from db.engine import sessionmaker
from db.models import Recording
from services import accounts, chat, generation, quota, recordings, rooms, stt
from services.errors import RoomNotFound
from services.rooms import RoomDraft
from services.settings import load_settings
from services.stt_errors import LanguageNotSupported, NoSpeech, NotAudio
from tests.fakes.openai_server import FakeLLMServer
from tests.speech import piper_wav

pytestmark = pytest.mark.usefixtures('database')


@pytest.fixture(scope='module')
def spoken() -> bytes:
    """An English sentence spoken by Piper (offline)."""
    return piper_wav('Two tickets to Busan, please.')


async def owner_and_room(language: str = 'en') -> tuple[int, int]:
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Station', language, 'Buying tickets.', 'Clerk', 'Traveller', 'A2')
    )
    return user.id, room.id


async def test_transcribed_recording_is_kept_for_its_owner(spoken: bytes) -> None:
    """The words come back, the audio is kept for replay, and no quota is spent."""
    user_id, room_id = await owner_and_room()
    result = await recordings.transcribe(user_id, room_id, spoken, 'audio/wav')
    assert 'tickets' in result.text.lower()
    assert 0.0 < result.score <= 1.0
    data, mime_type = await recordings.recording_audio(user_id, result.id)
    assert (data, mime_type) == (spoken, 'audio/wav')
    assert (await quota.status(user_id)).used == 0
    intruder = await accounts.register(
        'other', 'other@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(recordings.RecordingNotFound):
        await recordings.recording_audio(intruder.id, result.id)
    with pytest.raises(RoomNotFound):
        await recordings.transcribe(intruder.id, room_id, spoken, 'audio/wav')


async def test_bad_uploads_are_refused_and_not_kept() -> None:
    """Garbage and silence get their own readable errors and store nothing."""
    user_id, room_id = await owner_and_room()
    with pytest.raises(NotAudio):
        await recordings.transcribe(user_id, room_id, b'this is not audio at all' * 100, 'audio/webm')
    silence = io.BytesIO()
    with wave.open(silence, 'wb') as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16_000)
        wav.writeframes(b'\0' * 64_000)
    with pytest.raises(NoSpeech):
        await recordings.transcribe(user_id, room_id, silence.getvalue(), 'audio/wav')
    async with sessionmaker()() as session:
        assert (await session.execute(Recording.__table__.select())).first() is None


async def test_a_korean_room_says_the_model_cannot_hear_korean(
    spoken: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An English-only STT_MODEL_PATH refuses a Korean room plainly instead of guessing English."""
    monkeypatch.setenv('STT_MODEL_PATH', str(stt.find_embedded_model()))
    load_settings()
    user_id, room_id = await owner_and_room('ko')
    with pytest.raises(LanguageNotSupported, match='Korean'):
        await recordings.transcribe(user_id, room_id, spoken, 'audio/wav')


async def test_sent_message_keeps_hard_words_still_in_the_text(
    fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hard words are stored with the message only when the learner kept them; others' recordings are ignored."""
    monkeypatch.setenv('LLM_BASE_URL', fake_llm.base_url)
    load_settings()
    user_id, room_id = await owner_and_room()
    words = [{'text': 'Two', 'probability': 0.95}, {'text': 'tickets', 'probability': 0.31},
             {'text': 'Busan,', 'probability': 0.2}]  # fmt: skip
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=user_id, room_id=room_id, mime_type='audio/wav', data=b'RIFF', duration_seconds=1.5,
            transcript='Two tickets Busan,', words=json.dumps(words),
        )  # fmt: skip
        session.add(recording)
    turn = await chat.send_message(user_id, room_id, 'Two tickets to Seoul, please.', recording.id)
    await generation.wait(turn.reply.id)
    sent = turn.user_message
    assert (sent.recording_id, sent.hard_words) == (recording.id, ('tickets',))
    assert sent.speech_score == pytest.approx(0.487, abs=0.001)
    stored = (await chat.list_messages(user_id, room_id))[0]
    assert stored.hard_words == ('tickets',)
    other = await accounts.register(
        'other', 'other@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    other_room = await rooms.create_room(other.id, RoomDraft('Mine', 'en', 's', 'a', 'b', 'A1'))
    stolen = await chat.send_message(other.id, other_room.id, 'Two tickets', recording.id)
    await generation.wait(stolen.reply.id)
    assert (stolen.user_message.recording_id, stolen.user_message.hard_words) == (None, ())
