"""Feedback cards under the learner's own lines: `Better:` with each change, `Why?`, `Not a mistake`.

Feedback is written in the background beside the partner's reply (services/feedback.py); the cards
never hold anything up. Every line added to the log gets a card; the cards added in one go (the page
opening, earlier messages loaded) are filled by one query, and a card still pending waits for its
feedback in a background task that gives up quietly when the line is deleted meanwhile.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace

from nicegui import background_tasks, ui

from i18n import _, ngettext
from services import feedback, feedback_explain, llm_tasks
from services.chat import MessageInfo
from services.corrections import DiffPart, Edit, apply_edits, category_label, same_sentence, word_diff
from services.errors import CorrectionNotFound, HelperUnavailable, HelpQuotaExceeded, ServiceError
from services.feedback import CorrectionInfo, FeedbackInfo
from services.feedback_store import STALE_AFTER
from services.stored_text import shown
from ui.feedback_card import FeedbackCardBox
from ui.learning import (
    category_chip,
    change_html,
    correct_sign,
    refusal,
    sentence_diff_html,
    small_button,
    unavailable_note,
)
from ui.live_region import LiveRegion

log = logging.getLogger(__name__)

SHOWN_MODES = frozenset({'gentle', 'full'})  # Off and End only show nothing during the chat
WAIT_SECONDS = STALE_AFTER.total_seconds() + 5  # then a pending card is given up as unavailable


class FeedbackCards:
    """The cards of one chat page, keyed by learner message id (none at all when the room's mode hides them)."""

    def __init__(self, user_id: int, feedback_mode: str, room_language: str, native_language: str) -> None:
        self.user_id = user_id
        self.enabled = feedback_mode in SHOWN_MODES
        self.mode = feedback_mode
        self.languages = (room_language, native_language)
        self.cards: dict[int, FeedbackCard] = {}
        self.to_load: list[int] = []
        # One live region for the page's cards (a label per card was one more server element per line):
        # screen readers hear a card's one-line summary once, when feedback they waited for arrives.
        self.announcer = LiveRegion()
        # Background tasks run in the page's client, so what they draw speaks the page's language.
        self.client = ui.context.client

    def add(self, message: MessageInfo) -> None:
        """A card under the learner line being drawn (call inside the line's bubble)."""
        if not self.enabled:
            return
        card = FeedbackCard(self.user_id, message, *self.languages, announce=self.announcer.say)
        self.cards[message.id] = card
        if (checking := feedback.checking_here(message.id, self.mode)) is not None:  # a line just sent
            card.show(checking)
            background_tasks.create(self._wait(card), name=f'feedback {message.id}', context=self.client)
            return
        self.to_load.append(message.id)
        if len(self.to_load) == 1:
            background_tasks.create(self._load(), name='feedback cards', context=self.client)

    async def _load(self) -> None:
        await asyncio.sleep(0)  # the lines added in the same go are loaded together, in one query
        ids, self.to_load = self.to_load, []
        self.cards = {message_id: card for message_id, card in self.cards.items() if not card.deleted}
        try:
            found = await feedback.feedback_for_messages(self.user_id, ids)
        except ServiceError as problem:
            log.info('feedback of %s lines not loaded: %s', len(ids), problem)
            return
        for message_id, info in found.items():
            if (card := self.cards.get(message_id)) is None or card.deleted:
                continue
            card.show(info)
            if info.status == 'pending':
                background_tasks.create(self._wait(card), name=f'feedback {message_id}', context=self.client)

    async def _wait(self, card: 'FeedbackCard') -> None:
        try:
            info = await feedback.wait_feedback(self.user_id, card.message_id, timeout_seconds=WAIT_SECONDS)
        except ServiceError:  # the line was deleted meanwhile
            return
        if info.status == 'pending':  # written nowhere: say so instead of checking forever
            info = _unavailable(info)
        card.show(info)


class FeedbackCard:
    """Feedback under one learner line: checking…, `Better:` with its changes, a quiet sign, or a note.

    Screen readers hear a one-line summary once, when feedback they waited for arrives (through the
    page's live region, `announce`; redraws after `Why?` or `Not a mistake` are not announced again).
    """

    def __init__(
        self,
        user_id: int,
        message: MessageInfo,
        room_language: str,
        native_language: str,
        announce: Callable[[str], None],
    ) -> None:
        self.user_id = user_id
        self.message_id = message.id
        self.text = message.content
        self.room_language = room_language
        self.native_language = native_language
        self.info: FeedbackInfo | None = None
        self.seen_pending = False
        self.announced = False
        self.announce = announce
        self.open_why: set[int] = set()
        self.long_explanations: dict[int, str] = {}
        self.problems: dict[int, str] = {}
        # The card is drawn into the line's bubble (the current slot: under its buttons) only once there is
        # something to show: most stored lines have none, and each element costs server memory per open page.
        self.slot = ui.context.slot
        self.bubble = self.slot.parent  # held: a slot knows its element only weakly
        self.container: FeedbackCardBox | None = None

    @property
    def deleted(self) -> bool:
        return self.bubble.is_deleted

    def show(self, info: FeedbackInfo) -> None:
        if self.deleted:
            return
        self.info = info
        self.seen_pending = self.seen_pending or info.status == 'pending'
        if info.status == 'off':
            if self.container is not None:
                self.container.set_visibility(False)
            return
        body = self._body()
        body.clear()
        with body:
            if info.status == 'pending':
                body.show_checking()  # drawn by the card itself, no element of its own
            elif info.status == 'unavailable':
                unavailable_note(shown(info.note) if info.note else None)
            elif info.status == 'ready':
                self._draw_ready(body, info)
        if self.seen_pending and info.status != 'pending' and not self.announced:
            self.announced = True
            self.announce(_summary(info))

    def _body(self) -> FeedbackCardBox:
        """The card, made visible (and made, the first time)."""
        if self.container is None:
            with self.slot:
                self.container = FeedbackCardBox(self.message_id, _('Feedback on your line'))
        self.container.set_visibility(True)
        return self.container

    def _draw_ready(self, body: FeedbackCardBox, info: FeedbackInfo) -> None:
        active = [correction for correction in info.corrections if not correction.dismissed]
        if active:
            with ui.card().props('flat bordered').classes('feedback-box gap-1 w-full'):
                with ui.row().classes('items-baseline gap-1'):
                    ui.label(_('Better:')).classes('text-weight-bold')
                    ui.html(sentence_diff_html(_better(self.text, active)), tag='span').props(
                        f'lang={self.room_language} data-testid=feedback-better'
                    ).classes('feedback-sentence').mark('feedback-better')
                for correction in active:
                    self._draw_change(correction)
                self._draw_style(info, active)
        elif self._alternative(info, active):
            with ui.row().classes('items-center gap-1'):
                correct_sign()
                self._draw_style(info, active)
        else:  # most lines: the sign alone, drawn by the card itself (the card is the line's one element)
            body.show_correct_sign()
        for correction in info.corrections:
            if correction.dismissed:
                with ui.row().classes('items-center gap-1 feedback-quiet text-caption'):
                    ui.label(
                        _(
                            'Not a mistake: {original} → {replacement}',
                            original=correction.original,
                            replacement=correction.replacement,
                        )
                    )
                    undo = _('Undo not a mistake: {original}', original=_attribute(correction.original))
                    small_button(
                        _('Undo'), lambda correction=correction: self.dismiss(correction.id, False)
                    ).props(f'aria-label="{undo}"')

    def _draw_change(self, correction: CorrectionInfo) -> None:
        opened = correction.id in self.open_why
        with ui.column().classes('gap-1 feedback-change').props(f'data-testid=change-{correction.id}'):
            with ui.row().classes('items-center gap-1'):
                ui.html(change_html(correction.original, correction.replacement), tag='span').props(
                    f'lang={self.room_language}'
                )
                category_chip(category_label(correction.category))
                small_button(_('Why?'), lambda: self.toggle_why(correction.id)).props(
                    f'aria-expanded={str(opened).lower()}'
                ).mark('why', f'why-{correction.id}')
                small_button(_('Not a mistake'), lambda: self.dismiss(correction.id, True)).mark(
                    'not-a-mistake', f'not-a-mistake-{correction.id}'
                )
            if opened:
                self._draw_why(correction)

    def _draw_why(self, correction: CorrectionInfo) -> None:
        with ui.column().classes('gap-1 feedback-why'):
            ui.label(correction.explanation or _('No short explanation for this change.')).props(
                f'lang={self.native_language}'
            )
            longer = self.long_explanations.get(correction.id) or correction.long_explanation
            if longer:
                ui.label(longer).props(f'lang={self.native_language} data-testid=long-explanation')
            elif problem := self.problems.get(correction.id):
                refusal(problem)
            else:
                small_button(
                    _('Explain more (uses 1 help)'), lambda: self.explain(correction.id), icon='school'
                ).mark(f'explain-{correction.id}')

    def _alternative(self, info: FeedbackInfo, active: list[CorrectionInfo]) -> str | None:
        """The natural alternative worth showing: not the line itself once corrected."""
        alternative = (info.natural_alternative or '').strip()
        if not alternative or same_sentence(alternative, apply_edits(self.text, _edits(active))):
            return None
        return alternative

    def _draw_style(self, info: FeedbackInfo, active: list[CorrectionInfo]) -> None:
        """A natural alternative is a style suggestion, never counted or shown as an error."""
        if (alternative := self._alternative(info, active)) is None:
            return
        with ui.row().classes('items-baseline gap-1 feedback-style'):
            ui.label(_('Style suggestion (not a mistake):')).classes('text-caption')
            ui.label(alternative).props(f'lang={self.room_language}').classes('text-body2')

    async def toggle_why(self, correction_id: int) -> None:
        self.open_why ^= {correction_id}
        if self.info is not None:
            self.show(self.info)

    async def explain(self, correction_id: int) -> None:
        """The longer explanation: one help unit the first time, free afterwards."""
        try:
            self.long_explanations[correction_id] = await feedback_explain.explain(
                self.user_id, correction_id
            )
        except (HelpQuotaExceeded, HelperUnavailable, CorrectionNotFound) as refused:
            self.problems[correction_id] = shown(str(refused))
        if self.info is not None:
            self.show(self.info)

    async def dismiss(self, correction_id: int, dismissed: bool) -> None:
        """`Not a mistake` (or Undo): kept, flagged, and left out of `Better:`."""
        try:
            info = await feedback.dismiss_correction(self.user_id, correction_id, dismissed)
        except ServiceError as problem:
            ui.notify(str(problem), type='warning')
            return
        self.show(info)


def _edits(corrections: list[CorrectionInfo]) -> list[Edit]:
    return [
        Edit(
            item.original,
            item.replacement,
            item.category,
            item.severity,
            item.explanation,
            item.start,
            item.end,
        )
        for item in corrections
    ]


def _better(text: str, active: list[CorrectionInfo]) -> tuple[DiffPart, ...]:
    """The line with the changes the learner kept, as a word diff (dismissed ones left out)."""
    return word_diff(text, apply_edits(text, _edits(active)))


def _summary(info: FeedbackInfo) -> str:
    if info.status == 'unavailable':
        return _('Feedback unavailable')
    count = sum(not correction.dismissed for correction in info.corrections)
    if not count:
        return _('Feedback: no mistakes found')
    return ngettext('Feedback: {count} change suggested', 'Feedback: {count} changes suggested', count)


def _unavailable(info: FeedbackInfo) -> FeedbackInfo:
    return replace(info, status='unavailable', note=llm_tasks.BUSY_NOTE)


def _attribute(text: str) -> str:
    return text.replace('"', "'")[:60]
