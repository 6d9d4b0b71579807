"""The page's language, kept on its client so event handlers later speak it too, and the visitors' menu."""

import copy
from collections.abc import Callable

from babel import Locale
from nicegui import ui
from nicegui.slot import Slot, get_task_id

from i18n import LANGUAGE_NAMES, PSEUDO_LANGUAGE, _, current_language

CLIENT_KEY = 'ui_language'
# <html lang> and Quasar's own texts (date pickers, tables) per interface language.
HTML_LANGUAGES = {'en': 'en-US', 'ko': 'ko-KR', 'ja': 'ja', PSEUDO_LANGUAGE: 'en-US'}


def client_language() -> str | None:
    """The language of the page whose event is being handled (None outside a page: no client)."""
    stack = Slot.stacks.get(get_task_id())  # .get: looking must not create a stack for this task
    # The innermost slot whose element still exists: a handler may run in the slot of a button it has
    # just deleted (Regenerate, Retry); NiceGUI keeps the page's client slot below it for such tasks.
    for slot in reversed(stack or ()):
        try:
            return slot.parent.client.storage.get(CLIENT_KEY)
        except RuntimeError:  # that element was deleted
            continue
    return None


def keep_page_language() -> None:
    """Remember the language this page is built in for its events, and put it in <html lang>."""
    client = ui.context.client
    language = current_language()
    client.storage[CLIENT_KEY] = language
    html_language = HTML_LANGUAGES.get(language, 'en-US')
    if client.page.resolve_language() != html_language:
        # The language is a page-decorator setting in NiceGUI; this client gets its own copy of its page.
        client.page = copy.copy(client.page)
        client.page.language = html_language


def language_menu(on_change: Callable[[str], object]) -> ui.select:
    """A small `Language` menu for visitors (log-in and sign-up pages)."""
    return (
        ui.select(
            dict(LANGUAGE_NAMES),
            value=current_language() if current_language() in LANGUAGE_NAMES else 'en',
            label=_('Language'),
            on_change=lambda event: on_change(event.value),
        )
        .props('dense outlined options-dense data-testid=language-menu')
        .classes('w-40')
    )


def language_name(code: str) -> str:
    """A language's name in the interface's language (Babel's CLDR names): 'ko' is Korean, 한국어, 韓国語."""
    language = current_language()
    locale = Locale.parse('en' if language == PSEUDO_LANGUAGE else language)
    name = locale.languages.get(code, code)
    return name[:1].upper() + name[1:]
