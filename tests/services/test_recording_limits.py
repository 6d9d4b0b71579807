"""Limits on the learner's recordings: size while reading, one transcription at a time, count, retention."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from nicegui.testing import User
from sqlalchemy import select

from db import engine
from db.engine import sessionmaker
from db.models import Recording, utcnow
from services import accounts, chat, generation, recordings, rooms
from services.rooms import RoomDraft
from services.settings import load_settings
from services.stt_errors import AudioTooLarge, NotAudio, TranscriptionBusy
from tests.conftest import run_blocking
from tests.fakes.openai_server import FakeLLMServer
from tests.speech import piper_wav

MEGABYTE = 1024 * 1024


async def owner_and_room(name: str = 'mina') -> tuple[int, int]:
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Station', 'en', 'Tickets.', 'Clerk', 'Traveller', 'A2')
    )
    return user.id, room.id


async def stored_recording(user_id: int, room_id: int, age: timedelta = timedelta(0)) -> int:
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=user_id, room_id=room_id, mime_type='audio/wav', data=b'RIFF', duration_seconds=1.0,
            transcript='hello', words=json.dumps([]), created_at=utcnow() - age,
        )  # fmt: skip
        session.add(recording)
        await session.flush()
        return recording.id


async def recording_ids() -> list[int]:
    async with sessionmaker()() as session:
        return list((await session.scalars(select(Recording.id).order_by(Recording.id))).all())


@pytest.mark.usefixtures('database')
async def test_a_streamed_upload_is_read_only_up_to_the_limit() -> None:
    """200 MB arriving in pieces is refused after the first ~10 MB; nothing is kept."""
    user_id, room_id = await owner_and_room()
    read: list[int] = []

    async def upload() -> AsyncIterator[bytes]:
        for _ in range(200):
            read.append(MEGABYTE)
            yield b'\0' * MEGABYTE

    with pytest.raises(AudioTooLarge, match='too large'):
        await recordings.transcribe(user_id, room_id, upload(), 'audio/webm')
    assert sum(read) <= 11 * MEGABYTE
    assert await recording_ids() == []


@pytest.mark.usefixtures('database')
async def test_one_transcription_at_a_time_per_account() -> None:
    """While one recording of an account is in progress its next one is refused; other accounts go on."""
    user_id, room_id = await owner_and_room()
    other_id, other_room_id = await owner_and_room('jun')
    release = asyncio.Event()
    started = asyncio.Event()

    async def slow_upload() -> AsyncIterator[bytes]:
        started.set()
        await release.wait()
        yield b'not audio' * 100

    first = asyncio.create_task(recordings.transcribe(user_id, room_id, slow_upload(), 'audio/webm'))
    await started.wait()
    with pytest.raises(TranscriptionBusy, match='still being transcribed'):
        await recordings.transcribe(user_id, room_id, b'not audio' * 100, 'audio/webm')
    with pytest.raises(NotAudio):  # another learner is not held up
        await recordings.transcribe(other_id, other_room_id, b'not audio' * 100, 'audio/webm')
    release.set()
    with pytest.raises(NotAudio):
        await first
    with pytest.raises(NotAudio):  # the slot is free again once the first one ended (even in error)
        await recordings.transcribe(user_id, room_id, b'not audio' * 100, 'audio/webm')


@pytest.mark.usefixtures('database')
async def test_only_the_newest_recordings_are_kept(
    monkeypatch: pytest.MonkeyPatch, fake_llm: FakeLLMServer
) -> None:
    """Past MAX_RECORDINGS_PER_ACCOUNT the oldest recording goes; its message keeps the text; others untouched."""
    monkeypatch.setenv('MAX_RECORDINGS_PER_ACCOUNT', '2')
    monkeypatch.setenv('LLM_BASE_URL', fake_llm.base_url)
    load_settings()
    user_id, room_id = await owner_and_room()
    other_id, other_room_id = await owner_and_room('jun')
    oldest = await stored_recording(user_id, room_id)
    turn = await chat.send_message(user_id, room_id, 'hello', oldest)
    await generation.wait(turn.reply.id)
    middle = await stored_recording(user_id, room_id)
    theirs = await stored_recording(other_id, other_room_id)
    newest = await recordings.transcribe(user_id, room_id, piper_wav('Two tickets, please.'), 'audio/wav')
    assert await recording_ids() == [middle, theirs, newest.id]
    spoken = (await chat.list_messages(user_id, room_id))[0]
    assert (spoken.content, spoken.recording_id) == ('hello', None)


@pytest.mark.usefixtures('database')
async def test_recordings_past_the_retention_are_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    """RECORDING_RETENTION_DAYS (30 by default) old recordings go; younger ones stay."""
    user_id, room_id = await owner_and_room()
    await stored_recording(user_id, room_id, timedelta(days=31))
    young = await stored_recording(user_id, room_id, timedelta(days=29))
    assert await recordings.delete_expired() == 1
    assert await recording_ids() == [young]
    monkeypatch.setenv('RECORDING_RETENTION_DAYS', '7')
    load_settings()
    assert await recordings.delete_expired() == 1
    assert await recording_ids() == []


@pytest.fixture
def expired_recording(test_environment: object) -> int:
    """A recording 40 days old, stored before the app starts."""

    async def store() -> int:
        await engine.connect(load_settings().database_url)
        try:
            user_id, room_id = await owner_and_room()
            return await stored_recording(user_id, room_id, timedelta(days=40))
        finally:
            await engine.dispose()

    return run_blocking(store())


async def test_the_app_deletes_expired_recordings_by_itself(expired_recording: int, user: User) -> None:
    """Started, the app removes recordings past the retention without anyone asking."""
    for _ in range(250):
        async with sessionmaker()() as session:
            if await session.get(Recording, expired_recording) is None:
                return
        await asyncio.sleep(0.02)
    raise AssertionError('the expired recording is still there 5 s after start-up')
