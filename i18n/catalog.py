"""The translations: `locales/<language>/LC_MESSAGES/messages.po`, read once with Babel."""

import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from i18n.language import PSEUDO_LANGUAGE

LOCALES = Path(__file__).resolve().parent / 'locales'
DOMAIN = 'messages'
_PLACEHOLDER = re.compile(r'(\{[^{}]*\})')
_PSEUDO_LETTERS = str.maketrans(
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
    'àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵxýžÀßÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴXÝŽ',
)


def catalog_path(language: str) -> Path:
    return LOCALES / language / 'LC_MESSAGES' / f'{DOMAIN}.po'


@cache
def load(language: str) -> Catalog | None:
    """The catalogue of `language`, or None for English (the source) and languages without one."""
    path = catalog_path(language)
    if language == 'en' or not path.exists():
        return None
    with path.open('rb') as file:
        return read_po(file, locale=language, domain=DOMAIN)


def translate(language: str, singular: str, plural: str | None = None, count: int = 1) -> str:
    """The translation of a message (its plural form for `count`), or the English when there is none."""
    english = singular if plural is None or count == 1 else plural
    if language == PSEUDO_LANGUAGE:
        return pseudo(english)
    catalog = load(language)
    if catalog is None:
        return english
    message = catalog.get(singular) if plural is None else catalog.get((singular, plural))
    if message is None or message.fuzzy:
        return english
    if plural is None:
        return message.string or english
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    index = catalog.plural_func(count) if len(forms) > 1 else 0
    return forms[index] if index < len(forms) and forms[index] else english


def pseudo(text: str) -> str:
    """⟦Ƒöŕ ţéšţš⟧: accented letters in brackets, placeholders untouched (untranslated text stands out)."""
    parts = _PLACEHOLDER.split(text)
    return (
        '⟦'
        + ''.join(part if _PLACEHOLDER.fullmatch(part) else part.translate(_PSEUDO_LETTERS) for part in parts)
        + '⟧'
    )
