"""The review card of the vocabulary notebook: a blanked sentence and a cue, an answer, then a rating.

Keyboard: the answer field takes Enter for `Show answer`; every control is a real button with a
visible label, reachable with Tab and pressed with Enter or Space; after `Show answer` the focus
moves to the suggested rating (`Good` when the typed answer was exact), else to `Good`.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nicegui import ui

from i18n import _, lazy_text

# FSRS's ratings 1-4: their names (data-testid=rate-<name>) and the button texts.
RATINGS = ('again', 'hard', 'good', 'easy')
RATING_LABELS = (lazy_text('Again'), lazy_text('Hard'), lazy_text('Good'), lazy_text('Easy'))
GOOD = 3


@dataclass(frozen=True, slots=True)
class CardView:
    """What the card shows; the page builds it from a service ReviewCard."""

    word_id: int
    cloze: str | None  # the sentence with a blank, or None
    cue: str
    answer: str
    level: str | None
    audio_url: str
    source_link: str | None


class ReviewCard:
    """One card at a time; `on_show(typed)` returns the suggested rating, 1-4 (or None)."""

    def __init__(
        self,
        on_show: Callable[[str], int | None],
        on_rate: Callable[[int, str], Awaitable[None]],
    ) -> None:
        self.on_show, self.on_rate = on_show, on_rate
        self.view: CardView | None = None
        self.card = ui.card().classes('w-full gap-3 review-card').props('data-testid=review-card')
        self.player = ui.audio('').classes('hidden')

    def show(self, view: CardView) -> None:
        self.view = view
        self.card.clear()
        with self.card:
            ui.label(_('Fill the blank')).classes('text-overline text-grey-7')
            ui.label(view.cloze or '').classes('text-h6 review-cloze').props('data-testid=review-cloze')
            with ui.row().classes('items-center gap-2'):
                ui.icon('lightbulb', color='primary')
                ui.label(view.cue).classes('text-body1 review-cue').props('data-testid=review-cue')
            self.answer_input = (
                ui.input(_('Your answer'))
                .props('outlined autofocus maxlength=100 data-testid=review-answer')
                .classes('w-full')
                .on('keydown.enter', self._reveal)
            )
            with ui.row().classes('items-center gap-2'):
                self.show_button = ui.button(
                    _('Show answer'), icon='visibility', on_click=self._reveal
                ).props('unelevated no-caps data-testid=show-answer')
                play = _('Play word')
                ui.button(play, icon='volume_up', on_click=self._play).props(
                    f'flat no-caps aria-label="{play}" data-testid=play-word'
                )
            self.revealed = ui.column().classes('w-full gap-2')

    def finished(self, message: str) -> None:
        self.view = None
        self.card.clear()
        with self.card:
            ui.label(message).classes('text-body1').props('data-testid=review-done')

    def _play(self) -> None:
        if self.view:
            self.player.set_source(self.view.audio_url)
            self.player.play()

    def _reveal(self) -> None:
        if self.view is None or self.revealed.default_slot.children:
            return
        view = self.view
        suggested = self.on_show(self.answer_input.value or '')
        self.show_button.disable()
        with self.revealed:
            with ui.row().classes('items-center gap-2'):
                ui.label(_('Answer:')).classes('text-grey-8')
                ui.label(view.answer).classes('text-h6 text-primary').props('data-testid=review-solution')
                if view.level:
                    ui.badge(view.level).props('outline')
            if suggested:
                chosen = str(RATING_LABELS[suggested - 1])
                ui.label(_('Correct! {rating} is selected.', rating=chosen)).classes('text-positive').props(
                    'role=status'
                )
            if view.source_link:
                ui.link(_('Open the conversation'), view.source_link).classes('text-caption')
            with ui.row().classes('gap-2 review-ratings'):
                buttons = {number: self._rating_button(number, suggested) for number in range(1, 5)}
        focus = buttons[suggested or GOOD]
        ui.run_javascript(f'getHtmlElement({focus.id})?.focus()')

    async def _rate(self, number: int) -> None:
        # Rating replaces the card's content, this button's row with it: the handler goes on inside the
        # card, which stays, so what it shows next is still this page's (and in this page's language).
        with self.card:
            await self.on_rate(number, self.answer_input.value or '')

    def _rating_button(self, number: int, suggested: int | None) -> ui.button:
        chosen = number == suggested
        button = ui.button(
            str(RATING_LABELS[number - 1]),
            on_click=lambda: self._rate(number),
        )
        return button.props(
            f'no-caps {"unelevated" if chosen else "outline"} data-testid=rate-{RATINGS[number - 1]}'
            + (' aria-pressed=true' if chosen else '')
        )
