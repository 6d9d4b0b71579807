"""Which language is being served: an explicit choice for this task, else the page's client, else the default."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# English is the source language: its texts are the message ids (and the UI contract of SPEC.md).
LANGUAGE_NAMES = {'en': 'English', 'ko': '한국어', 'ja': '日本語'}
SUPPORTED_LANGUAGES = tuple(LANGUAGE_NAMES)
DEFAULT_LANGUAGE = 'en'
# A test-only language in which every translated text is visibly marked (untranslated text stands out).
PSEUDO_LANGUAGE = 'en-XA'

_chosen: ContextVar[str | None] = ContextVar('ui_language', default=None)
_source: Callable[[], str | None] | None = None
_default = DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the request, page or event being handled now."""
    chosen = _chosen.get()
    if chosen is None and _source is not None:
        chosen = _source()
    return chosen or _default


def negotiate(accept_language: str | None) -> str | None:
    """The best supported language for an `Accept-Language` header (q-values honoured), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or '').split(',')):
        tag, _, params = part.strip().partition(';')
        quality = 1.0
        if params.strip().startswith('q='):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag == PSEUDO_LANGUAGE.lower():
            return PSEUDO_LANGUAGE
        primary = tag.split('-')[0]
        if primary in SUPPORTED_LANGUAGES:
            return primary
    return None


def supported(language: str | None) -> str | None:
    """`language` when the interface speaks it (the pseudo-language included), else None."""
    return language if language in (*SUPPORTED_LANGUAGES, PSEUDO_LANGUAGE) else None


@contextmanager
def using_language(language: str | None) -> Iterator[None]:
    """Serve `language` inside the block (and in tasks started from it); None leaves the choice as it was."""
    token = _chosen.set(supported(language) or _chosen.get())
    try:
        yield
    finally:
        _chosen.reset(token)


def set_language_source(source: Callable[[], str | None] | None) -> None:
    """Where the language comes from when no block chose one: the web page's client (set by main.py)."""
    global _source
    _source = source


def set_default_language(language: str) -> None:
    """DEFAULT_UI_LANGUAGE: served when neither the account, the visitor nor the browser says."""
    global _default
    _default = supported(language) or DEFAULT_LANGUAGE
