"""Speech recognition through an OpenAI-compatible /v1/audio/transcriptions server (STT_BASE_URL).

OpenAI itself, speaches / faster-whisper-server, LocalAI, whisper.cpp's server: all take the same multipart
request. Word probabilities are not part of that API, so every word counts as certain (1.0).
"""

import openai
from openai import AsyncOpenAI

from services.settings import get_settings
from services.stt import REMOTE_MODEL, Transcript, Word
from services.stt_errors import NoSpeech, STTUnavailable

TIMEOUT_SECONDS = 60.0  # a minute of audio on a slow CPU server
CONNECT_TIMEOUT_SECONDS = 5.0
# One retry rides out a restarting server or a 5xx blip; more would keep the learner waiting for a failure.
MAX_RETRIES = 1
NO_KEY = 'none'  # local servers want no key, but the client refuses an empty one


async def transcribe_remote(upload: tuple[str, bytes], language: str, duration_seconds: float) -> Transcript:
    """Send `upload` (file name, bytes) to the configured server; its failures become STTUnavailable."""
    settings = get_settings()
    base_url = settings.stt_base_url or ''
    key = getattr(settings, 'stt_api_key', None)  # SecretStr | None, once settings have it
    model = getattr(settings, 'stt_model', None) or REMOTE_MODEL
    # A client per call: its connection pool belongs to the event loop it was used on.
    client = AsyncOpenAI(
        base_url=base_url,
        api_key=(key.get_secret_value() if key is not None else '') or NO_KEY,
        max_retries=MAX_RETRIES,
        timeout=openai.Timeout(TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS),
    )
    try:
        async with client:
            result = await client.audio.transcriptions.create(
                model=model,
                file=upload,
                language=language,
                response_format='verbose_json',
                timestamp_granularities=['word'],
            )
    except openai.OpenAIError as error:
        raise STTUnavailable(_detail(error, base_url)) from error
    # Servers differ in what they fill in: read leniently, trust only the text.
    text = (getattr(result, 'text', None) or '').strip()
    if not text:
        raise NoSpeech()
    words = tuple(
        Word(str(word.word).strip(), float(word.start), float(word.end), 1.0)
        for word in getattr(result, 'words', None) or ()
        if str(word.word).strip()
    )
    return Transcript(text, language, duration_seconds, words)


def _detail(error: openai.OpenAIError, base_url: str) -> str:
    """What went wrong, for the administrator (the learner's sentence is STTUnavailable's own)."""
    if isinstance(error, openai.APITimeoutError):
        return 'the transcription server took too long'
    if isinstance(error, openai.APIConnectionError):
        return f'the transcription server at {base_url} cannot be reached'
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return 'the transcription server refused the key: check STT_API_KEY'
    if isinstance(error, openai.APIStatusError):
        return f'the transcription server answered HTTP {error.status_code}'
    return f'the transcription server answered something unreadable ({type(error).__name__})'
