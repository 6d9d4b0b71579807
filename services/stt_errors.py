"""Typed errors of speech recognition (services/stt.py); each `str()` is a sentence for the learner."""

from i18n import format_decimal, lazy_text
from services.errors import ServiceError
from services.language_names import language_name as language_name_in_reader


class STTError(ServiceError):
    """Base class: the recording could not be turned into text."""


class AudioTooLarge(STTError):
    def __init__(self, size_bytes: int, limit_bytes: int) -> None:
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes
        super().__init__(
            lazy_text(
                'The recording is too large ({size} MB; at most {limit} MB). Please record a shorter answer.',
                size=lambda: format_decimal(round(size_bytes / 1e6, 1), '#,##0.0'),
                limit=lambda: format_decimal(round(limit_bytes / 1e6), '#,##0'),
            )
        )


class AudioTooLong(STTError):
    def __init__(self, limit_seconds: float) -> None:
        self.limit_seconds = limit_seconds
        super().__init__(
            lazy_text(
                'The recording is longer than {limit} seconds. Please record a shorter answer.',
                limit=lambda: format_decimal(round(limit_seconds), '#,##0'),
            )
        )


class NotAudio(STTError):
    def __init__(self) -> None:
        super().__init__(
            lazy_text('This file is not a recording that can be played. Please record your answer again.')
        )


class NoSpeech(STTError):
    def __init__(self) -> None:
        super().__init__(
            lazy_text('No speech was heard in the recording. Please speak closer to the microphone.')
        )


class LanguageNotSupported(STTError):
    """The configured model cannot recognise the room's language (e.g. an English-only model, a Korean room)."""

    def __init__(self, language: str, language_name: str, english_only: bool) -> None:
        self.language = language

        def name() -> str:  # named in the reader's language when shown (English: `language_name`)
            return language_name_in_reader(language) or language_name

        if english_only:
            message = lazy_text(
                'Speech recognition for {language} needs a multilingual model: the one configured '
                'understands English only. Ask the administrator to point STT_MODEL_PATH at a multilingual '
                'faster-whisper model (or unset it: the built-in models cover every room language), or type '
                'your answer.',
                language=name,
            )
        else:
            message = lazy_text(
                'The speech recognition model does not know {language}. Please type your answer.',
                language=name,
            )
        super().__init__(message)


class STTUnavailable(STTError):
    """No model or server to transcribe with; `detail` says why (for the administrator and the logs)."""

    def __init__(self, detail: str = '') -> None:
        self.detail = detail
        super().__init__(
            lazy_text(
                'Speech recognition is not available right now; please type your answer. ({detail})',
                detail=detail,
            )
            if detail
            else lazy_text('Speech recognition is not available right now; please type your answer.')
        )


class TranscriptionBusy(STTError):
    """This account already has a recording being transcribed (one at a time, so nobody holds the recogniser)."""

    def __init__(self) -> None:
        super().__init__(
            lazy_text(
                'Your previous recording is still being transcribed. Please wait for it, then try again.'
            )
        )
