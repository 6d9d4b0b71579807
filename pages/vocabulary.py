"""/vocabulary: the notebook of saved words (search, paging, exports) and its spaced review."""

import contextlib

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _
from i18n.formats import format_day_time
from pages.session import current_user, to_login, user_frame
from services import notebook, quota, vocabulary_review
from services.errors import WordNotFound
from services.notebook import SEARCH_MAX_LENGTH
from services.vocabulary_review import ReviewCard as DueCard
from services.vocabulary_review import ReviewRating
from services.word_entries import NotebookEntry
from ui.review_card import CardView, ReviewCard

PAGE_SIZE = 20


@ui.page('/vocabulary')
async def vocabulary_page() -> RedirectResponse | None:
    """Saved words newest first; `Review (N due)` opens one card after another until none is due."""
    user = await current_user()
    if user is None:
        return to_login('/vocabulary')
    zone = quota.day_zone()
    state: dict = {'cursor': None, 'card': None}

    async def refresh_due() -> None:
        count = await vocabulary_review.due_count(user.id)
        review_button.set_text(_('Review ({count} due)', count=count))

    async def start_review() -> None:
        review_area.set_visibility(True)
        await next_card()

    async def next_card() -> None:
        card = await vocabulary_review.next_card(user.id)
        state['card'] = card
        if card is None:
            reviewer.finished(_('Nothing is due right now. Well done!'))
        else:
            reviewer.show(_view(card))
        await refresh_due()

    def on_show(typed: str) -> int | None:
        card: DueCard | None = state['card']
        suggested = vocabulary_review.suggested_rating(typed, card) if card else None
        return int(suggested) if suggested else None

    async def on_rate(rating: int, _typed: str) -> None:
        card: DueCard | None = state['card']
        if card is None:
            return
        try:
            await vocabulary_review.review(user.id, card.entry.id, ReviewRating(rating))
        except WordNotFound:
            ui.notify(_('This word was deleted.'), type='warning')
        await next_card()

    async def search() -> None:
        state['cursor'] = None
        word_list.clear()
        await load_page()

    async def load_page() -> None:
        page = await notebook.entries(user.id, search_input.value or '', state['cursor'], PAGE_SIZE)
        with word_list:
            for entry in page.items:
                word_row(entry)
        if not page.items and state['cursor'] is None:
            with word_list:
                ui.label(
                    _('No saved words yet: tap a word in a reply and choose `Save word`.')
                    if not search_input.value
                    else _('No saved word matches.')
                ).classes('text-grey-7')
        state['cursor'] = page.next_cursor
        more_button.set_visibility(page.next_cursor is not None)

    def word_row(entry: NotebookEntry) -> None:
        with (
            ui.card()
            .classes('w-full gap-1 word-entry')
            .props(f'flat bordered data-testid=word-{entry.id}') as row
        ):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.label(entry.lemma).classes('text-subtitle1 text-weight-bold')
                if entry.level:
                    ui.badge(entry.level).props('outline')
                ui.label(entry.meaning).classes('text-body2 col ellipsis')
                deleting = _('Delete {word}', word=entry.lemma)
                ui.button(icon='delete', on_click=lambda: delete(entry, row)).props(
                    f'flat round dense aria-label="{deleting}"'
                )
            if entry.source_sentence:
                with ui.row().classes('items-center gap-2 text-caption text-grey-8'):
                    ui.label(entry.source_sentence)
                    if entry.source_link:
                        opening = _('Open the message of {word}', word=entry.lemma)
                        ui.link(_('Open'), entry.source_link).props(f'aria-label="{opening}"')
                    elif entry.message_deleted:
                        ui.label(_('(message deleted)')).classes('text-italic')
            ui.label(
                _('Next review: {when}', when=format_day_time(entry.due.astimezone(zone), 'yMMMd'))
            ).classes('text-caption text-grey-7')

    async def delete(entry: NotebookEntry, row: ui.card) -> None:
        with contextlib.suppress(WordNotFound):  # already gone (another tab): the row goes either way
            await notebook.delete_word(user.id, entry.id)
        with (
            word_list
        ):  # the clicked button's row is gone: go on in the list (the page's client and language)
            row.delete()
            await refresh_due()

    with user_frame(user, _('Vocabulary')):
        ui.label(_('Vocabulary')).classes('text-h5').props('role=heading aria-level=1')
        with ui.row().classes('w-full items-center gap-2'):
            review_button = ui.button(_('Review'), icon='school', on_click=start_review).props(
                'unelevated no-caps data-testid=review'
            )
            ui.space()
            ui.button(
                _('Download CSV'),
                icon='download',
                on_click=lambda: ui.download.from_url('/vocabulary/export.csv'),
            ).props('flat no-caps')
            ui.button(
                _('Download Anki deck'),
                icon='download',
                on_click=lambda: ui.download.from_url('/vocabulary/export.apkg'),
            ).props('flat no-caps')
        with ui.column().classes('w-full') as review_area:
            reviewer = ReviewCard(on_show, on_rate)
        review_area.set_visibility(False)
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            search_input = (
                ui.input(_('Search words'))
                .props(f'outlined dense clearable maxlength={SEARCH_MAX_LENGTH}')
                .classes('col')
                .on('keydown.enter', search)
            )
            ui.button(_('Search'), icon='search', on_click=search).props('unelevated no-caps')
        word_list = ui.column().classes('w-full gap-2')
        more_button = ui.button(_('Show more words'), on_click=load_page).props('flat no-caps')
        more_button.set_visibility(False)
    await refresh_due()
    await load_page()
    return None


def _view(card: DueCard) -> CardView:
    entry = card.entry
    return CardView(
        word_id=entry.id, cloze=card.cloze, cue=card.cue, answer=card.answer, level=entry.level,
        audio_url=f'/audio/words/{entry.id}', source_link=entry.source_link,
    )  # fmt: skip
