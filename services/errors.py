"""Typed errors the pages and the API turn into readable messages."""

from collections.abc import Callable, Mapping
from datetime import datetime

from i18n import (
    PSEUDO_LANGUAGE,
    LazyText,
    catalogue_text,
    current_language,
    format_time,
    lazy_plural,
    lazy_text,
)


class ServiceError(Exception):
    """Base class: `str(error)` is a message fit to show a user, in the language being served when it is
    shown (the messages are lazy texts, i18n: made here, put into words by the page or API response)."""


class InvalidInput(ServiceError):
    """One or more fields were refused; `field_errors` maps a field name to its message."""

    def __init__(self, field_errors: Mapping[str, object]) -> None:
        # Messages may be lazy texts (i18n): each is put into words when shown, in the reader's language.
        self.field_errors = dict(field_errors)
        super().__init__(*self.field_errors.values())

    def __str__(self) -> str:
        return ' '.join(str(message) for message in self.field_errors.values())


class InvalidCredentials(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Wrong username or password'))


class LoginThrottled(ServiceError):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            lazy_text('Too many wrong passwords. Try again in {wait}.', wait=wait_text(retry_after_seconds))
        )


class AccountDisabled(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('This account is disabled. Please contact the administrator.'))


class UserNotFound(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Account not found'))


class RoomNotFound(ServiceError):
    """Missing or someone else's: the two are indistinguishable on purpose (no probing of ids)."""

    def __init__(self) -> None:
        super().__init__(lazy_text('Room not found'))


class MessageNotFound(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Message not found'))


class QuotaExceeded(ServiceError):
    """No AI replies left today; `resets_at` is the next midnight in QUOTA_TIMEZONE."""

    def __init__(self, limit: int, resets_at: datetime) -> None:
        self.limit = limit
        self.resets_at = resets_at
        super().__init__(
            lazy_text(
                'Daily limit reached: {limit} of {limit} replies used. More at {time} ({zone}).',
                limit=limit,
                time=clock_time(resets_at),
                zone=resets_at.tzname(),
            )
        )


class NothingToRetry(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Only a failed or stopped reply can be retried.'))


class NothingToRegenerate(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Only the latest reply can be written again, once it is finished.'))


class NotAnAdmin(ServiceError):
    """Shown as a 404: the admin page does not exist for anyone else."""

    def __init__(self) -> None:
        super().__init__(lazy_text('Page not found'))


class SignUpThrottled(ServiceError):
    """Too many sign-ups from one client address; `retry_after_seconds` until the next is allowed."""

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            lazy_text(
                'Too many sign-ups from your network. Try again in {wait}.',
                wait=wait_text(retry_after_seconds),
            )
        )


class UsernameTaken(InvalidInput):
    """A sign-up refused because the username is in use (the API answers 409 for it)."""


def wait_text(seconds: int) -> LazyText:
    """'30 seconds', '1 second', '4 minutes' (rounded up): how long a throttled person waits (a lazy text,
    in the reader's language and plural rules when shown)."""
    if seconds < 60:
        return lazy_plural('{count} second', '{count} seconds', seconds)
    return minutes_text(-(-seconds // 60))


def minutes_text(minutes: int) -> LazyText:
    return lazy_plural('{count} minute', '{count} minutes', minutes)


def clock_time(moment: datetime) -> Callable[[], str]:
    """`moment`'s time of day as the reader's language writes it, when shown (English keeps 24-hour 00:00)."""

    def written() -> str:
        english = current_language() in {'en', PSEUDO_LANGUAGE}
        return format_time(moment, 'HH:mm' if english else 'short')

    return written


class ReauthenticationRequired(ServiceError):
    """A change that hands out a lasting way in needs proof made in the last REAUTH_MINUTES."""

    def __init__(self) -> None:
        super().__init__(lazy_text('For your security, confirm it is you first.'))


class HelpQuotaExceeded(ServiceError):
    """No learning help left today (feedback, translation, look-ups, hints); replies are unaffected."""

    def __init__(self, limit: int, resets_at: datetime) -> None:
        self.limit = limit
        self.resets_at = resets_at
        super().__init__(
            lazy_text(
                'Daily help limit reached: {limit} of {limit} used. More at {time} ({zone}).',
                limit=limit,
                time=clock_time(resets_at),
                zone=resets_at.tzname(),
            )
        )


class HelperUnavailable(ServiceError):
    """A learning helper cannot answer with this model or right now; `str()` is the note to show.

    The note may be a lazy text or an English catalogue message (services/llm_tasks.py keeps its notes
    English, as they are also stored): either is shown in the reader's language.
    """

    def __str__(self) -> str:
        note = self.args[0] if self.args else ''
        return str(note) if isinstance(note, LazyText) else catalogue_text(str(note))


class CorrectionNotFound(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Correction not found'))


class RoomLimitReached(ServiceError):
    """The account already has MAX_ROOMS_PER_USER rooms."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            lazy_text(
                'You have {limit} rooms, the most an account can have. Delete a room to make a new one.',
                limit=limit,
            )
        )


class RoomCreationThrottled(ServiceError):
    """Too many rooms made in a short time; `retry_after_seconds` until the next one is allowed."""

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        minutes = max(1, -(-retry_after_seconds // 60))
        super().__init__(
            lazy_text('You made many rooms in a short time. Try again in {wait}.', wait=minutes_text(minutes))
        )


class WordNotFound(ServiceError):
    """A notebook entry that does not exist or is someone else's (the two look the same)."""

    def __init__(self) -> None:
        super().__init__(lazy_text('Word not found'))


class SessionNotFound(ServiceError):
    """A session report that does not exist or is someone else's (the two look the same)."""

    def __init__(self) -> None:
        super().__init__(lazy_text('Session not found'))


class NothingToReport(ServiceError):
    """`End session` with no learner line since the last session ended."""

    def __init__(self) -> None:
        super().__init__(lazy_text('Nothing to report yet: say something first.'))


class WordNotInReply(ServiceError):
    """A word looked up in a reply that does not have it: not found there (the API's 404)."""

    def __init__(self) -> None:
        super().__init__(lazy_text('That word is not in this reply.'))
