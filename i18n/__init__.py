"""The interface's languages: one gettext catalogue per language, read with Babel (issue 16).

`_('Log in')` translates now, into the language of whoever is being served; `lazy_text(...)` keeps the
English text and translates each time it is turned into a string (service errors are made in one
place and shown in another). Messages are English; `{name}` placeholders are filled after translation,
so a sentence is never built from translated pieces.
"""

from i18n.formats import format_date, format_datetime, format_decimal, format_percent, format_time
from i18n.language import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    PSEUDO_LANGUAGE,
    SUPPORTED_LANGUAGES,
    current_language,
    negotiate,
    set_default_language,
    set_language_source,
    using_language,
)
from i18n.text import LazyText, _, catalogue_text, lazy_plural, lazy_text, ngettext

__all__ = [
    'DEFAULT_LANGUAGE',
    'LANGUAGE_NAMES',
    'PSEUDO_LANGUAGE',
    'SUPPORTED_LANGUAGES',
    'LazyText',
    '_',
    'catalogue_text',
    'current_language',
    'format_date',
    'format_datetime',
    'format_decimal',
    'format_percent',
    'format_time',
    'lazy_plural',
    'lazy_text',
    'negotiate',
    'ngettext',
    'set_default_language',
    'set_language_source',
    'using_language',
]
