"""The profile's `Saved words`: words kept from replies, newest first, a page at a time.

A stand-in until the vocabulary notebook (/vocabulary) of a later issue exists.
"""

from nicegui import ui

from i18n import _
from services import vocabulary
from services.rooms import LANGUAGES
from services.vocabulary import SavedWordInfo
from ui.language import language_name

PAGE_SIZE = 10


class SavedWordsCard:
    """A card listing saved words; `More words` appends the next (older) page."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self.next_cursor: int | None = None
        with ui.card().classes('w-full gap-2').props('data-testid=saved-words'):
            ui.label(_('Saved words')).classes('text-h6')
            self.rows = ui.column().classes('w-full gap-1')
            self.more = ui.button(_('More words'), icon='expand_more', on_click=self.load_more).props(
                'flat no-caps color=indigo-10'
            )
        self.more.set_visibility(False)

    async def load_more(self) -> None:
        page = await vocabulary.saved_words(self.user_id, before_id=self.next_cursor, limit=PAGE_SIZE)
        first_page = self.next_cursor is None
        self.next_cursor = page.next_cursor
        self.more.set_visibility(page.next_cursor is not None)
        with self.rows:
            if first_page and not page.items:
                ui.label(
                    _('No saved words yet. Click a word in a reply to look it up, then Save word.')
                ).classes('text-grey-8 text-body2')
            for word in page.items:
                _word_row(word)


def _word_row(word: SavedWordInfo) -> None:
    with ui.row().classes('w-full items-baseline gap-2 no-wrap').props('data-testid=saved-word'):
        ui.label(word.lemma).classes('text-body1 text-weight-medium').props(f'lang={word.language}')
        details = ' · '.join(
            part
            for part in (
                word.pos,
                word.level,
                language_name(word.language) if word.language in LANGUAGES else '',
            )
            if part
        )
        if details:
            ui.label(details).classes('text-caption text-grey-8')
        ui.label(word.meaning).classes('text-body2')
