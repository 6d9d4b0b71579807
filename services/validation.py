"""Field rules shared by the pages and the API, so both refuse the same input with the same words."""

import re

from email_validator import EmailNotValidError, validate_email

USERNAME_PATTERN = re.compile(r'[a-z0-9_]{3,30}')
EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 64
PASSWORD_MAX_BYTES = 72  # bcrypt looks at 72 bytes at most; longer input would be silently cut
NICKNAME_MAX_LENGTH = 40
BIO_MAX_LENGTH = 300
LOGIN_MAX_LENGTH = 254


def normalize_username(username: str) -> str:
    return username.strip().lower()


def username_error(username: str) -> str | None:
    if not USERNAME_PATTERN.fullmatch(username):
        return 'Username must be 3 to 30 characters: lowercase letters a-z, digits 0-9 or _.'
    return None


def normalize_email(email: str) -> tuple[str, str | None]:
    """The normalized address and an error message (None when valid)."""
    email = email.strip()
    if not email:
        return email, 'Email is required.'
    if len(email) > EMAIL_MAX_LENGTH:
        return email, f'Email must be at most {EMAIL_MAX_LENGTH} characters.'
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return email, 'Enter a valid email address, like name@example.com.'
    return checked.normalized.lower(), None


def password_error(password: str, confirmation: str | None = None) -> dict[str, str]:
    """Messages keyed by field ('password' / 'confirm'); empty when the password is acceptable."""
    errors: dict[str, str] = {}
    if len(password) < PASSWORD_MIN_LENGTH:
        errors['password'] = f'Password must be at least {PASSWORD_MIN_LENGTH} characters.'
    elif len(password) > PASSWORD_MAX_LENGTH or len(password.encode()) > PASSWORD_MAX_BYTES:
        errors['password'] = f'Password must be at most {PASSWORD_MAX_LENGTH} characters.'
    if confirmation is not None and confirmation != password:
        errors['confirm'] = 'Passwords do not match.'
    return errors


def text_error(label: str, value: str, max_length: int) -> str | None:
    if len(value) > max_length:
        return f'{label} must be at most {max_length} characters.'
    return None
