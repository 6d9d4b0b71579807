"""Keyset paging: an opaque cursor naming the last row of a page, and the condition for what follows it."""

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from i18n import lazy_text
from services.errors import InvalidInput

# One sort key: the expression rows are ordered by, and whether the order is descending.
INVALID_CURSOR = lazy_text('This cursor is not valid here; start again from the first page.')
CURSOR_PATTERN = r'^[A-Za-z0-9_-]+$'  # what encode_cursor writes: URL-safe base64 without padding
SortKey = tuple[ColumnElement[Any], bool]


def encode_cursor(kind: str, values: Sequence[str | int]) -> str:
    """An opaque, URL-safe cursor for the row whose sort values are `values` in an order named `kind`."""
    return base64.urlsafe_b64encode(json.dumps([kind, *values]).encode()).decode().rstrip('=')


def decode_cursor(cursor: str, kind: str, types: Sequence[type]) -> list[Any]:
    """The values `encode_cursor` was given; InvalidInput for anything else (or another order's cursor)."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + '=' * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = None
    if (
        not isinstance(decoded, list)
        or len(decoded) != len(types) + 1
        or decoded[0] != kind
        or not all(type(value) is expected for value, expected in zip(decoded[1:], types, strict=True))
    ):
        raise InvalidInput({'cursor': INVALID_CURSOR})
    return decoded[1:]


def after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows that come after the row with `values` in the order of `keys` (the last key must be unique)."""
    (expression, descending), value = keys[-1], values[-1]
    condition = expression < value if descending else expression > value
    for (expression, descending), value in zip(reversed(keys[:-1]), reversed(values[:-1]), strict=True):
        beyond = expression < value if descending else expression > value
        condition = or_(beyond, and_(expression == value, condition))
    return condition


def ordering(keys: Sequence[SortKey]) -> list[ColumnElement[Any]]:
    return [expression.desc() if descending else expression.asc() for expression, descending in keys]
