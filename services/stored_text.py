"""Texts kept for later (a reply's error, a feedback note), stored in English and translated when shown.

A background task has no reader: what it writes into the database is the English message (the
catalogue's message id), whatever the server's default language. When shown, a stored text is looked up
in the catalogue; one made from a template with values ('… ({detail})') is recognised by its template
and translated with the same values. Anything else (a text from elsewhere) is shown as it is.
"""

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from i18n import LazyText, catalogue_text, using_language

_PLACEHOLDER = re.compile(r'\{(\w+)\}')


def english(text: object) -> str:
    """`text` (a lazy text, an error carrying one) in English, to store."""
    with using_language('en'):
        return str(text)


def filled(template: LazyText, **values: Any) -> LazyText:
    """The message `template` (marked once where it is defined) with its placeholders' values."""
    return LazyText(template.singular, None, 1, values)


def shown(stored: str, templates: Iterable[LazyText] = ()) -> str:
    """A stored English text in the reader's language (exact messages, then `templates` with values)."""
    translated = catalogue_text(stored)
    if translated != stored:
        return translated
    for template in templates:
        if match := _pattern(template.singular).fullmatch(stored):
            return catalogue_text(template.singular).format(**match.groupdict())
    return stored


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """The template as a regular expression: its text literally, each placeholder any text."""
    pattern, seen, position = '', set(), 0
    for placeholder in _PLACEHOLDER.finditer(template):
        name = placeholder.group(1)
        pattern += re.escape(template[position : placeholder.start()])
        pattern += f'(?P={name})' if name in seen else f'(?P<{name}>.+?)'
        seen.add(name)
        position = placeholder.end()
    return re.compile(pattern + re.escape(template[position:]), re.DOTALL)
