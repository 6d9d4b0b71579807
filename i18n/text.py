"""Translated text: now (`_`, `ngettext`) or when shown (`lazy_text`, `lazy_plural`)."""

from collections.abc import Callable
from typing import Any

from i18n.catalog import translate
from i18n.language import current_language


def _(message: str, /, **params: Any) -> str:
    """`message` in the current language, its `{name}` placeholders filled from `params`."""
    return _fill(translate(current_language(), message), params)


def ngettext(singular: str, plural: str, count: int, /, **params: Any) -> str:
    """The singular or plural form for `count` (per the language's plural rules); `{count}` is filled too."""
    return _fill(translate(current_language(), singular, plural, count), {'count': count, **params})


def catalogue_text(text: str) -> str:
    """`text` translated when it is a catalogue message (gallery data kept in English, e.g. a room's
    missions), else as it is (what a learner wrote). Its English source must be marked where it is defined."""
    return translate(current_language(), text)


class LazyText:
    """A message translated each time it becomes a string, in the language being served then."""

    __slots__ = ('count', 'params', 'plural', 'singular')

    def __init__(self, singular: str, plural: str | None, count: int, params: dict[str, Any]) -> None:
        self.singular, self.plural, self.count, self.params = singular, plural, count, params

    def __str__(self) -> str:
        if self.plural is None:
            return _(self.singular, **self.params)
        return ngettext(self.singular, self.plural, self.count, **self.params)

    def __repr__(self) -> str:
        return f'LazyText({self.singular!r})'

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.singular)


def lazy_text(message: str, /, **params: Any) -> LazyText:
    """Like `_`, but translated when shown (for texts made before the language is known)."""
    return LazyText(message, None, 1, params)


def lazy_plural(singular: str, plural: str, count: int, /, **params: Any) -> LazyText:
    """Like `ngettext`, but translated when shown."""
    return LazyText(singular, plural, count, params)


def _fill(text: str, params: dict[str, Any]) -> str:
    if not params:
        return text
    # Values that depend on the language (lazy texts, Babel-formatted dates) are rendered now.
    values = {key: value() if isinstance(value, Callable) else str(value) for key, value in params.items()}
    return text.format(**values)
