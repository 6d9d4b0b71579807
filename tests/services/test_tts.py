"""Text-to-speech: the engine chain (gTTS with only its HTTP call faked, real Piper, real espeak-ng), the cache."""

import asyncio
import base64
import io
import os
import shutil
import wave

import pytest
import requests
from sqlalchemy import insert

from db.engine import build_engine, sessionmaker
from db.models import AudioClip, Message, utcnow
from services import accounts, rooms, tts
from services.errors import MessageNotFound
from services.rooms import RoomDraft
from services.settings import load_settings
from services.tts.engines import ENGINES, Audio

pytestmark = pytest.mark.usefixtures('database')
FAKE_MP3 = b'ID3\x03\x00fake mp3 frames'
needs_espeak = pytest.mark.skipif(shutil.which('espeak-ng') is None, reason='espeak-ng is not installed')


class GoogleFake:
    """Replaces only the HTTP call gTTS makes (requests.Session.send); gTTS's own code runs for real."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
        self.mode = mode
        self.calls = 0
        monkeypatch.setattr(ENGINES['gtts'], 'down_until', 0.0)  # forget failures of earlier tests
        monkeypatch.setattr(requests.Session, 'send', lambda _session, request, **_: self.send(request))

    def send(self, request: requests.PreparedRequest) -> requests.Response:
        self.calls += 1
        if self.mode == 'offline':
            raise requests.exceptions.ConnectionError('no route to Google')
        response = requests.Response()
        response._content_consumed = True  # the body below is all there is (no socket to read)
        response.request = request
        response.url = request.url or ''
        if self.mode == '429':
            response.status_code = 429
            response._content = b'Too Many Requests'
        else:
            response.status_code = 200
            audio = base64.b64encode(FAKE_MP3).decode()
            response._content = (
                f')]}}\'\n\n[["wrb.fr","jQ1olc","[\\"{audio}\\"]",null,null,null,"generic"]]'.encode()
            )
        return response


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getnframes() / wav.getframerate()


async def test_gtts_real_code_path_when_google_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """gTTS parses Google's answer into MP3 bytes; slow speech is a separate, cached clip."""
    google = GoogleFake(monkeypatch, 'ok')
    speech = await tts.synthesize('Hello there, how are you?', 'en')
    assert (speech.engine, speech.mime_type, speech.data) == ('gtts', 'audio/mpeg', FAKE_MP3)
    assert google.calls == 1
    slow = await tts.synthesize('Hello there, how are you?', 'en', slow=True)
    assert slow.cache_key != speech.cache_key


@pytest.mark.parametrize('mode', ['429', 'offline'])
async def test_google_failure_falls_back_to_piper_for_english(
    monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Rate limited or unreachable Google: Piper really speaks the English sentence instead."""
    GoogleFake(monkeypatch, mode)
    speech = await tts.synthesize('I would like a large coffee, please.', 'en')
    assert (speech.engine, speech.mime_type) == ('piper', 'audio/wav')
    assert 1.0 < wav_seconds(speech.data) < 10.0


@needs_espeak
async def test_google_failure_falls_back_to_espeak_for_korean(monkeypatch: pytest.MonkeyPatch) -> None:
    """Piper has no Korean voice, so espeak-ng really synthesizes Korean, with a correct WAV header."""
    GoogleFake(monkeypatch, 'offline')
    speech = await tts.synthesize('안녕하세요. 커피 한 잔 주세요.', 'ko')
    assert speech.engine == 'espeak'
    assert 0.5 < wav_seconds(speech.data) < 10.0


@needs_espeak
async def test_slow_speech_is_slower(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slow speech really takes longer to say the same sentence (Piper and espeak-ng)."""
    GoogleFake(monkeypatch, 'offline')
    text = 'Could you tell me the way to the station?'
    assert wav_seconds((await tts.synthesize(text, 'en', slow=True)).data) > 1.15 * wav_seconds(
        (await tts.synthesize(text, 'en')).data
    )
    korean = '역까지 가는 길을 알려 주시겠어요?'
    assert wav_seconds((await tts.synthesize(korean, 'ko', slow=True)).data) > 1.15 * wav_seconds(
        (await tts.synthesize(korean, 'ko')).data
    )


async def test_google_is_left_alone_after_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """After gTTS fails, the next clips go straight to the offline engines for a while."""
    google = GoogleFake(monkeypatch, 'offline')
    await tts.synthesize('First sentence.', 'en')
    await tts.synthesize('Second sentence.', 'en')
    assert google.calls == 1


async def test_cache_hit_calls_no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second request for the same text is served from the database without any engine."""
    google = GoogleFake(monkeypatch, 'offline')
    first = await tts.synthesize('See you tomorrow!', 'en')
    calls = google.calls

    async def must_not_run(*_: object) -> None:
        raise AssertionError('an engine was called for a cached clip')

    for engine in ENGINES.values():
        monkeypatch.setattr(engine, 'synthesize', must_not_run)
    again = await tts.synthesize('See you tomorrow!', 'en')
    assert (again.data, again.engine, google.calls) == (first.data, 'piper', calls)


async def test_cache_evicts_the_least_recently_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the size cap, the oldest clips go first."""
    monkeypatch.setenv('TTS_CACHE_MEGABYTES', '1')
    monkeypatch.setenv('TTS_ENGINE', 'gtts')
    load_settings()
    GoogleFake(monkeypatch, 'ok')
    big = FAKE_MP3 + b'\0' * 400_000
    monkeypatch.setattr(base64, 'b64decode', lambda _data: big)
    for number in range(4):
        await tts.synthesize(f'sentence {number}', 'en')
    async with sessionmaker()() as session:
        kept = (await session.execute(AudioClip.__table__.select())).all()
    assert len(kept) == 2
    assert sum(row.size for row in kept) <= 1024 * 1024


async def test_no_engine_can_speak(monkeypatch: pytest.MonkeyPatch) -> None:
    """TTS_ENGINE=piper cannot read Japanese: a readable TTSUnavailable, nothing cached."""
    monkeypatch.setenv('TTS_ENGINE', 'piper')
    load_settings()
    with pytest.raises(tts.TTSUnavailable, match='No voice can read Japanese aloud'):
        await tts.synthesize('こんにちは', 'ja')


def test_spoken_text_drops_markup_and_reads_recipes() -> None:
    """Markdown symbols, code and link targets are not read aloud; a recipe becomes sentences."""
    assert tts.spoken_text('**Great** idea! See [the menu](http://x.y).\n```py\nprint(1)\n```') == (
        'Great idea! See the menu.'
    )
    recipe = '{"dish": "Tea", "intro": "Warm.", "ingredients": [{"name": "water", "amount": "1 cup"}], "steps": ["Boil."]}'
    assert tts.spoken_text(recipe, is_recipe=True) == 'Tea. Warm. Ingredients: 1 cup water. Boil.'


async def test_message_audio_is_owner_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the owner gets a reply's audio; the learner's own messages and other users' replies are 404."""
    GoogleFake(monkeypatch, 'offline')
    owner = await accounts.register(
        'owner', 'owner@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    other = await accounts.register(
        'other', 'other@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(owner.id, RoomDraft('Café', 'en', 's', 'Barista', 'Customer', 'A2'))
    async with sessionmaker().begin() as session:
        mine = Message(room_id=room.id, user_id=owner.id, role='user', content='A latte, please.')
        reply = Message(room_id=room.id, user_id=owner.id, role='assistant', content='Sure! Anything else?')
        session.add_all([mine, reply])
    speech = await tts.message_audio(owner.id, reply.id)
    assert speech.engine == 'piper'
    with pytest.raises(MessageNotFound):
        await tts.message_audio(other.id, reply.id)
    with pytest.raises(MessageNotFound):
        await tts.message_audio(owner.id, mine.id)
    await rooms.set_listening(owner.id, room.id, slow_speech=True)
    assert (
        await tts.message_audio(owner.id, reply.id)
    ).cache_key != speech.cache_key  # the room's slow speed


async def test_two_processes_making_the_same_clip_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process stores the same clip while this one makes it: both answers play, one clip is kept."""
    monkeypatch.setenv('TTS_ENGINE', 'gtts')
    load_settings()
    GoogleFake(monkeypatch, 'ok')
    other_process = build_engine(os.environ['DATABASE_URL'])
    commits: list[asyncio.Task] = []
    real_synthesize = ENGINES['gtts'].synthesize

    async def synthesize_while_another_process_stores_it(text: str, voice: str, slow: bool) -> Audio:
        audio = await real_synthesize(text, voice, slow)
        connection = await other_process.connect()
        transaction = await connection.begin()  # inserted, committed only once this process tries too
        await connection.execute(
            insert(AudioClip).values(
                key=tts._cache_key('gtts', voice, 'en', slow, text), engine='gtts', mime_type=audio.mime_type,
                data=audio.data, size=len(audio.data), created_at=utcnow(), last_used_at=utcnow(),
            )
        )  # fmt: skip

        async def commit_soon() -> None:
            await asyncio.sleep(0.3)
            await transaction.commit()
            await connection.close()

        commits.append(asyncio.create_task(commit_soon()))
        return audio

    monkeypatch.setattr(ENGINES['gtts'], 'synthesize', synthesize_while_another_process_stores_it)
    try:
        speech = await tts.synthesize('Same words, two servers.', 'en')
        await asyncio.gather(*commits)
    finally:
        await other_process.dispose()
    assert speech.data == FAKE_MP3
    async with sessionmaker()() as session:
        assert len((await session.execute(AudioClip.__table__.select())).all()) == 1
