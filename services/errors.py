"""Typed errors the pages and the API turn into readable messages."""

from collections.abc import Mapping


class ServiceError(Exception):
    """Base class: `str(error)` is a message fit to show a user."""


class InvalidInput(ServiceError):
    """One or more fields were refused; `field_errors` maps a field name to its message."""

    def __init__(self, field_errors: Mapping[str, str]) -> None:
        self.field_errors = dict(field_errors)
        super().__init__(' '.join(self.field_errors.values()))


class InvalidCredentials(ServiceError):
    def __init__(self) -> None:
        super().__init__('Wrong username or password')


class LoginThrottled(ServiceError):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        minutes = max(1, -(-retry_after_seconds // 60))
        super().__init__(
            f'Too many wrong passwords. Try again in {minutes} minute{"s" if minutes != 1 else ""}.'
        )


class AccountDisabled(ServiceError):
    def __init__(self) -> None:
        super().__init__('This account is disabled. Please contact the administrator.')


class UserNotFound(ServiceError):
    def __init__(self) -> None:
        super().__init__('Account not found')
