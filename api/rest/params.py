"""Constraint types shared by the /api routes' parameters and bodies, in one place.

Each one is published in the OpenAPI document exactly as the API checks it (so a client, or a fuzzer,
can tell from the schema alone whether the server will take a value), and refuses a value in the
services' own words. The services check again: the API's rules are theirs or a subset of them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from fastapi import Path, Query
from pydantic import BeforeValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic_core import PydanticCustomError, core_schema

from i18n import LazyText, lazy_text
from services import paging, validation

# Ids are INTEGER columns (32-bit on PostgreSQL): a larger number cannot name anything, so it is a 422.
MAX_ID = 2_147_483_647

RoomId = Annotated[int, Path(ge=1, le=MAX_ID, description='A room id', examples=[1])]
MessageId = Annotated[int, Path(ge=1, le=MAX_ID, description='A message id', examples=[2])]
UserId = Annotated[int, Path(ge=1, le=MAX_ID, description='An account id', examples=[2])]
Cursor = Annotated[int | None, Query(ge=1, le=MAX_ID, description='`next_cursor` of the previous page')]
PageSize = Annotated[int, Query(ge=1, le=100, description='Items per page')]
CURSOR_MAX_LENGTH = 400


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def whole_number(minimum: int, maximum: int) -> Any:
    """An integer in a (strict) request body: JSON Schema counts 5.0 as one, so it is taken as 5; "5" and
    true are not. The bounds sit on the type itself, so they stay `minimum`/`maximum` inside an anyOf."""
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_whole)]


# -- text ---------------------------------------------------------------------------------------------
# Patterns are JSON Schema patterns (unanchored, hence ^…$), written in the syntax ECMAScript and
# Python share; the API matches them with Python's re.search, as Python's JSON Schema validators do,
# whose \s is exactly the whitespace str.strip() removes.
NO_NUL = r'^[^\x00]*$'
NOT_BLANK = r'^[^\x00]*[^\s\x00][^\x00]*$'  # something besides whitespace (the services strip text)
USERNAME = r'^\s*[A-Za-z0-9_]{3,30}\s*$'  # stored stripped and lowercased
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r'(?![A-Za-z0-9-]{64})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*'  # 1-63 characters, no '--' (IDNA)
_RESERVED_TLD = '|'.join(
    ''.join(f'[{letter.upper()}{letter}]' for letter in name) for name in SPECIAL_USE_DOMAIN_NAMES
)
# The plain ASCII addresses email_validator accepts without a DNS look-up; not its .test, .local … names.
EMAIL = rf'^\s*{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+(?!(?:{_RESERVED_TLD})\s*$)[A-Za-z]{{1,63}}\s*$'
# bcrypt reads at most 72 bytes: 8-64 ASCII characters, or 8-18 of any kind (4 bytes at most in UTF-8).
# (A pattern per character width would admit more, but makes a fuzzer's generator several times slower.)
_MIN, _MAX = validation.PASSWORD_MIN_LENGTH, validation.PASSWORD_MAX_LENGTH
PASSWORD = rf'^(?:[\x01-\x7f]{{{_MIN},{_MAX}}}|[^\x00]{{{_MIN},{validation.PASSWORD_MAX_BYTES // 4}}})$'
NUL_MESSAGE = lazy_text('must not contain NUL characters')
NOT_UNICODE = lazy_text('must be valid Unicode text')
TOO_MANY_BYTES = lazy_text(
    'Password must be at most 64 characters, or 18 when it has letters outside English.'
)
# A refusal's words: a lazy text (shown in the request's language), or made from the refused value.
Message = str | LazyText | Callable[[str], object]


def storable(value: str) -> str:
    """Refuse text no database can hold: NUL characters (PostgreSQL) and unpaired surrogates (UTF-8)."""
    if '\x00' in value:
        raise ValueError(NUL_MESSAGE)
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError(NOT_UNICODE) from None
    return value


@dataclass(frozen=True)
class Matches:
    """Text that can be stored and matches `pattern` (the JSON Schema `pattern` it is published as, with
    `min_length` and `format`, which the pattern implies); anything else is a 422 `invalid_input` saying
    `message` (or what `message(value)` says): the words the pages and the services use."""

    pattern: str
    message: Message
    min_length: int | None = None
    format: str | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        documented = handler(schema) | {'pattern': self.pattern}
        if self.min_length is not None:
            documented['minLength'] = self.min_length
        if self.format is not None:
            documented['format'] = self.format
        return documented

    def _check(self, value: str) -> str:
        storable(value)
        if re.search(self.pattern, value) is None:
            # Written now, while the request is read: in its language (pydantic keeps the text as it is).
            message = self.message(value) if callable(self.message) else self.message
            raise PydanticCustomError('invalid_input', str(message))
        return value


def text(max_length: int, *, required: str | LazyText | None = None) -> Any:
    """Storable text of at most `max_length` characters; with `required` (the refusal's words), not blank."""
    rule = Matches(NOT_BLANK, required, min_length=1) if required else Matches(NO_NUL, NUL_MESSAGE)
    return Annotated[str, StringConstraints(max_length=max_length), rule]


def _password_message(password: str) -> object:
    return validation.password_error(password).get('password') or TOO_MANY_BYTES


def _username_message(_value: str) -> object:
    return validation.username_error('') or ''


Username = Annotated[
    str,
    StringConstraints(max_length=30),
    Matches(USERNAME, _username_message, min_length=3),
]
Email = Annotated[
    str,
    StringConstraints(max_length=validation.EMAIL_MAX_LENGTH),
    Matches(
        EMAIL, lazy_text('Enter a valid email address, like name@example.com.'), min_length=5, format='email'
    ),
]
Password = Annotated[
    str,
    StringConstraints(max_length=validation.PASSWORD_MAX_LENGTH),
    Matches(PASSWORD, _password_message, min_length=validation.PASSWORD_MIN_LENGTH),
]
# An opaque keyset cursor (services/paging.py): only one the server issued names a page, which no schema can
# say, so a well-formed cursor it did not issue is a 422 in the services' words.
PageCursor = Annotated[
    str,
    StringConstraints(max_length=CURSOR_MAX_LENGTH),
    Matches(paging.CURSOR_PATTERN, paging.INVALID_CURSOR, min_length=1),
]
