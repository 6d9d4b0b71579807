"""pydantic's refusals of a request (422 `validation_error`) in the reader's language.

pydantic writes its messages in English only; the ones an /api client can meet are written here again
through the catalogue from the error's `type` and `ctx`, word for word pydantic's English in English
(tests/api/test_api_languages.py checks it). Any other type keeps pydantic's English message.
"""

from collections.abc import Callable, Mapping
from typing import Any

from i18n import _, ngettext

Context = Mapping[str, Any]
MESSAGES: dict[str, Callable[[Context], str]] = {
    'missing': lambda ctx: _('Field required'),
    'extra_forbidden': lambda ctx: _('Extra inputs are not permitted'),
    'string_type': lambda ctx: _('Input should be a valid string'),
    'int_type': lambda ctx: _('Input should be a valid integer'),
    'int_parsing': lambda ctx: _('Input should be a valid integer, unable to parse string as an integer'),
    'int_from_float': lambda ctx: _('Input should be a valid integer, got a number with a fractional part'),
    'float_type': lambda ctx: _('Input should be a valid number'),
    'float_parsing': lambda ctx: _('Input should be a valid number, unable to parse string as a number'),
    'bool_type': lambda ctx: _('Input should be a valid boolean'),
    'bool_parsing': lambda ctx: _('Input should be a valid boolean, unable to interpret input'),
    'list_type': lambda ctx: _('Input should be a valid list'),
    'dict_type': lambda ctx: _('Input should be a valid dictionary'),
    'model_attributes_type': lambda ctx: _(
        'Input should be a valid dictionary or object to extract fields from'
    ),
    'none_required': lambda ctx: _('Input should be None'),
    'literal_error': lambda ctx: _('Input should be {expected}', expected=ctx['expected']),
    'enum': lambda ctx: _('Input should be {expected}', expected=ctx['expected']),
    'greater_than': lambda ctx: _('Input should be greater than {gt}', gt=ctx['gt']),
    'greater_than_equal': lambda ctx: _('Input should be greater than or equal to {ge}', ge=ctx['ge']),
    'less_than': lambda ctx: _('Input should be less than {lt}', lt=ctx['lt']),
    'less_than_equal': lambda ctx: _('Input should be less than or equal to {le}', le=ctx['le']),
    'string_too_short': lambda ctx: ngettext(
        'String should have at least {count} character',
        'String should have at least {count} characters',
        ctx['min_length'],
    ),
    'string_too_long': lambda ctx: ngettext(
        'String should have at most {count} character',
        'String should have at most {count} characters',
        ctx['max_length'],
    ),
    'too_short': lambda ctx: ngettext(
        '{field_type} should have at least {count} item after validation, not {actual_length}',
        '{field_type} should have at least {count} items after validation, not {actual_length}',
        ctx['min_length'],
        field_type=ctx['field_type'],
        actual_length=ctx['actual_length'],
    ),
    'too_long': lambda ctx: ngettext(
        '{field_type} should have at most {count} item after validation, not {actual_length}',
        '{field_type} should have at most {count} items after validation, not {actual_length}',
        ctx['max_length'],
        field_type=ctx['field_type'],
        actual_length=ctx['actual_length'],
    ),
    # Our own ValueErrors (api/rest/params.py) carry lazy texts: str() puts them in the reader's language.
    'value_error': lambda ctx: _('Value error, {error}', error=ctx['error']),
}


def problem_message(problem: Mapping[str, Any]) -> str:
    """One refusal's message: ours as written (type `invalid_input`), pydantic's translated when listed."""
    english = str(problem.get('msg') or 'Invalid value')
    message = MESSAGES.get(str(problem.get('type')))
    if message is None:
        return english
    try:
        return message(problem.get('ctx') or {})
    except (KeyError, TypeError, ValueError):  # a context this table does not expect: pydantic's words
        return english
