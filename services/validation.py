"""Field rules shared by the pages and the API, so both refuse the same input with the same words.

The words are in the language of whoever is being served (`_`): call these in the request or event,
or in a worker thread started inside `using_language(current_language())` (a page event's language
lives on its client, which a worker thread cannot see)."""

import re
import threading
from collections.abc import Sequence

from email_validator import EmailNotValidError, validate_email
from zxcvbn import zxcvbn

from i18n import _, current_language
from services.password_feedback import translated

USERNAME_PATTERN = re.compile(r'[a-z0-9_]{3,30}')
EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 64
PASSWORD_MAX_BYTES = 72  # bcrypt looks at 72 bytes at most; longer input would be silently cut
NICKNAME_MAX_LENGTH = 40
BIO_MAX_LENGTH = 300
LOGIN_MAX_LENGTH = 254
# zxcvbn's 0-4 scale; 3 is "safely unguessable" for online attacks and the score its authors recommend.
PASSWORD_MIN_STRENGTH = 3
# zxcvbn keeps the user inputs of a call in a module-level dictionary, so concurrent calls (from
# worker threads) could score one person's password against another's name: one call at a time.
_strength_lock = threading.Lock()


def normalize_username(username: str) -> str:
    return username.strip().lower()


def username_error(username: str) -> str | None:
    if not USERNAME_PATTERN.fullmatch(username):
        return _('Username must be 3 to 30 characters: lowercase letters a-z, digits 0-9 or _.')
    return None


def normalize_email(email: str) -> tuple[str, str | None]:
    """The normalized address and an error message (None when valid)."""
    email = email.strip()
    if not email:
        return email, _('Email is required.')
    if len(email) > EMAIL_MAX_LENGTH:
        return email, _('Email must be at most {max_length} characters.', max_length=EMAIL_MAX_LENGTH)
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return email, _('Enter a valid email address, like name@example.com.')
    return checked.normalized.lower(), None


def password_error(
    password: str, confirmation: str | None = None, user_inputs: Sequence[str] = ()
) -> dict[str, str]:
    """Messages keyed by field ('password' / 'confirm'); empty when the password is acceptable.

    Common or easily guessed passwords (zxcvbn, with `user_inputs` such as the username and email
    counting as known words) are refused with zxcvbn's reason. CPU work of up to ~20 ms: call it
    from a worker thread in async code.
    """
    errors: dict[str, str] = {}
    if len(password) < PASSWORD_MIN_LENGTH:
        errors['password'] = _(
            'Password must be at least {min_length} characters.', min_length=PASSWORD_MIN_LENGTH
        )
    elif len(password) > PASSWORD_MAX_LENGTH or len(password.encode()) > PASSWORD_MAX_BYTES:
        errors['password'] = _(
            'Password must be at most {max_length} characters.', max_length=PASSWORD_MAX_LENGTH
        )
    elif weakness := password_weakness(password, user_inputs):
        errors['password'] = weakness
    if confirmation is not None and confirmation != password:
        errors['confirm'] = _('Passwords do not match.')
    return errors


def password_weakness(password: str, user_inputs: Sequence[str] = ()) -> str | None:
    """Why zxcvbn finds the password too easy to guess, in its words (translated where the catalogue
    knows them, services/password_feedback.py); None when it is strong enough."""
    known = [text for value in user_inputs if value for text in (value, value.split('@')[0])]
    with _strength_lock:
        # zxcvbn's date matcher fails on digits before a line break ('1234\n'), which the API lets through.
        verdict = zxcvbn(password.replace('\n', ' '), user_inputs=known)
    if verdict['score'] >= PASSWORD_MIN_STRENGTH:
        return None
    feedback = verdict['feedback']
    reasons = [
        str(translated(reason)) for reason in (feedback['warning'], *feedback['suggestions']) if reason
    ]
    # One sentence each; Japanese runs sentences on without spaces.
    separator = '' if current_language() == 'ja' else ' '
    return separator.join([_('This password is too easy to guess.'), *reasons])


def text_error(value: str, max_length: int, too_long: str) -> str | None:
    """`too_long` (the field's own sentence: words differ by field in Korean) when `value` is longer
    than `max_length`; None otherwise."""
    return too_long if len(value) > max_length else None
