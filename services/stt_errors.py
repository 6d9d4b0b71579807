"""Typed errors of speech recognition (services/stt.py); each `str()` is a sentence for the learner."""

from services.errors import ServiceError


class STTError(ServiceError):
    """Base class: the recording could not be turned into text."""


class AudioTooLarge(STTError):
    def __init__(self, size_bytes: int, limit_bytes: int) -> None:
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes
        super().__init__(
            f'The recording is too large ({size_bytes / 1e6:.1f} MB; at most {limit_bytes / 1e6:.0f} MB). '
            'Please record a shorter answer.'
        )


class AudioTooLong(STTError):
    def __init__(self, limit_seconds: float) -> None:
        self.limit_seconds = limit_seconds
        super().__init__(
            f'The recording is longer than {limit_seconds:.0f} seconds. Please record a shorter answer.'
        )


class NotAudio(STTError):
    def __init__(self) -> None:
        super().__init__('This file is not a recording that can be played. Please record your answer again.')


class NoSpeech(STTError):
    def __init__(self) -> None:
        super().__init__('No speech was heard in the recording. Please speak closer to the microphone.')


class LanguageNotSupported(STTError):
    """The configured model cannot recognise the room's language (e.g. an English-only model, a Korean room)."""

    def __init__(self, language: str, language_name: str, english_only: bool) -> None:
        self.language = language
        if english_only:
            message = (
                f'Speech recognition for {language_name} needs a multilingual model: the one configured '
                'understands English only. Ask the administrator to point STT_MODEL_PATH at a multilingual '
                'faster-whisper model (or unset it: the built-in models cover every room language), or type '
                'your answer.'
            )
        else:
            message = f'The speech recognition model does not know {language_name}. Please type your answer.'
        super().__init__(message)


class STTUnavailable(STTError):
    """No model or server to transcribe with; `detail` says why (for the administrator and the logs)."""

    def __init__(self, detail: str = '') -> None:
        self.detail = detail
        super().__init__(
            'Speech recognition is not available right now; please type your answer.'
            + (f' ({detail})' if detail else '')
        )


class TranscriptionBusy(STTError):
    """This account already has a recording being transcribed (one at a time, so nobody holds the recogniser)."""

    def __init__(self) -> None:
        super().__init__(
            'Your previous recording is still being transcribed. Please wait for it, then try again.'
        )
