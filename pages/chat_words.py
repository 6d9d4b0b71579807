"""Click a word of an AI reply (or select a phrase): its meaning in context, its voice, `Save word`.

No server element per word: the reply is drawn as always, and one click handler on the reply finds
the word under the pointer in the browser (Intl.Segmenter, so Korean and Japanese words work too) or
takes the selected text, and sends only that.
"""

import functools
import json
from collections.abc import Callable
from urllib.parse import quote

from nicegui import ui

from i18n import _
from services import help_quota, tts, vocabulary
from services.errors import (
    HelperUnavailable,
    HelpQuotaExceeded,
    InvalidInput,
    MessageNotFound,
    ServiceError,
    WordNotInReply,
)
from services.stored_text import shown
from services.vocabulary import WORD_MAX_LENGTH, Gloss
from ui.focus import return_focus_to_opener
from ui.learning import help_left_text, refusal
from ui.tip import tip

# Runs in the browser on a click inside a reply; emits {text} for a word or a selected phrase.
WORD_AT_CLICK = """(e) => {
  if (e.target.closest('button, a, input, textarea, .q-btn')) return;
  const selection = window.getSelection();
  const selected = selection && !selection.isCollapsed && e.currentTarget.contains(selection.anchorNode);
  let text = selected ? selection.toString() : '';
  if (!text.trim()) {
    if (!e.target.closest('.reply-markdown, .recipe-card')) return;
    let node = null, offset = 0;
    if (document.caretPositionFromPoint) {
      const position = document.caretPositionFromPoint(e.clientX, e.clientY);
      if (position) { node = position.offsetNode; offset = position.offset; }
    } else if (document.caretRangeFromPoint) {
      const range = document.caretRangeFromPoint(e.clientX, e.clientY);
      if (range) { node = range.startContainer; offset = range.startOffset; }
    }
    if (!node || node.nodeType !== Node.TEXT_NODE) return;
    const value = node.textContent;
    if (window.Intl && Intl.Segmenter) {
      const words = [...new Intl.Segmenter(LANGUAGE, {granularity: 'word'}).segment(value)];
      const at = (i) => words.find((w) => w.isWordLike && w.index <= i && i < w.index + w.segment.length);
      const word = at(offset) || at(offset - 1);
      text = word ? word.segment : '';
    } else {
      const letter = /[\\p{L}\\p{M}\\p{N}'’-]/u;
      let start = offset, end = offset;
      while (start > 0 && letter.test(value[start - 1])) start--;
      while (end < value.length && letter.test(value[end])) end++;
      text = value.slice(start, end);
    }
  }
  text = text.replace(/\\s+/g, ' ').trim();
  if (text && text.length <= MAX_LENGTH) emit({text: text});
}"""


class WordPopup:
    """One dialog per chat page, filled with the clicked word's gloss; glosses are kept for the page."""

    def __init__(
        self, user_id: int, room_language: str, native_language: str, play_source: Callable[[str], None]
    ) -> None:
        self.user_id = user_id
        self.room_language = room_language
        self.native_language = native_language
        self.play_source = play_source
        self.glosses: dict[tuple[int, str], Gloss] = {}
        self.contents: dict[int, str] = {}
        self.saved: set[str] = set()
        self.turn = 0
        self.handler = word_click_handler(room_language)
        # The dialog is made on the first word clicked (most visits click none): its five elements
        # would otherwise be kept on the server for every open chat page.
        self.parent = ui.context.slot.parent
        self._parts: tuple[ui.dialog, ui.column] | None = None

    @property
    def dialog(self) -> ui.dialog:
        return self._made()[0]

    @property
    def content(self) -> ui.column:
        return self._made()[1]

    def _made(self) -> tuple[ui.dialog, ui.column]:
        if self._parts is None:
            with (
                self.parent,
                ui.dialog() as dialog,
                ui.card().classes('word-popup gap-2').props('data-testid=word-popup'),
            ):
                content = ui.column().classes('gap-2 w-full')
                with ui.row().classes('w-full justify-end'):
                    ui.button(_('Close'), on_click=dialog.close).props('flat no-caps color=indigo-10')
            return_focus_to_opener(dialog)
            self._parts = dialog, content
        return self._parts

    def attach(self, message_id: int, element: ui.element) -> None:
        """Word clicks inside `element` (a reply's body) open the pop-up for that reply."""
        element.mark(f'reply-words-{message_id}').on(
            'click', lambda event: self.look_up(message_id, _text_of(event.args)), js_handler=self.handler
        )

    def reply_drawn(self, message_id: int, content: str) -> None:
        """A reply written anew (Regenerate) forgets the glosses of its old text."""
        if self.contents.get(message_id, content) != content:
            self.glosses = {key: gloss for key, gloss in self.glosses.items() if key[0] != message_id}
        self.contents[message_id] = content

    async def look_up(self, message_id: int, word: str) -> None:
        word = ' '.join(word.split())
        if not word:
            return
        self.turn += 1
        turn = self.turn
        self._draw_waiting(word)
        self.dialog.open()
        key = (message_id, word.lower())
        try:
            gloss = self.glosses.get(key) or await vocabulary.gloss(self.user_id, message_id, word)
        except (
            HelpQuotaExceeded,
            HelperUnavailable,
            InvalidInput,
            MessageNotFound,
            WordNotInReply,
        ) as refused:
            if turn == self.turn:
                self._draw_problem(word, shown(str(refused)))
            return
        self.glosses[key] = gloss
        allowance = await help_quota.status(self.user_id)
        if turn == self.turn:
            self._draw(gloss, help_left_text(allowance.remaining, allowance.unlimited))

    def _draw_waiting(self, word: str) -> None:
        self.content.clear()
        with self.content:
            self._heading(word)
            with ui.row().classes('items-center gap-2'):
                ui.spinner(size='sm', color='indigo-10')
                ui.label(_('Looking it up…')).classes('text-body2')

    def _draw_problem(self, word: str, problem: str) -> None:
        self.content.clear()
        with self.content:
            self._heading(word)
            refusal(problem).props('data-testid=word-problem')

    def _draw(self, gloss: Gloss, help_left: str) -> None:
        self.content.clear()
        with self.content:
            with ui.row().classes('items-center gap-2'):
                self._heading(gloss.word)
                if gloss.level:
                    level = ui.chip(_('CEFR {level}', level=gloss.level))
                    tip(
                        level.props('outline dense square color=indigo-10'),
                        _('Word level, from a word list (not from the AI)'),
                    )
            details = ' · '.join(part for part in (gloss.lemma, gloss.pos) if part)
            if details:
                ui.label(details).classes('text-caption word-quiet').props(f'lang={self.room_language}')
            ui.label(gloss.meaning).classes('text-body1').props(f'lang={self.native_language}')
            if gloss.note:
                ui.label(gloss.note).classes('text-body2 word-quiet').props(f'lang={self.native_language}')
            with ui.row().classes('items-center gap-1'):
                ui.button(_('Play'), icon='volume_up', on_click=lambda: self.play(gloss, False)).props(
                    'outline dense no-caps color=indigo-10'
                )
                ui.button(
                    _('Play slowly'), icon='slow_motion_video', on_click=lambda: self.play(gloss, True)
                ).props('outline dense no-caps color=indigo-10')
                if gloss.lemma.lower() in self.saved:
                    ui.button(_('Saved'), icon='check').props('flat dense no-caps color=green-10').disable()
                    ui.label(_('Saved to your words')).classes('text-caption')
                else:
                    ui.button(_('Save word'), icon='bookmark_add', on_click=lambda: self.save(gloss)).props(
                        'unelevated dense no-caps color=indigo-10'
                    )
            ui.label(help_left).classes('text-caption word-quiet').props('data-testid=word-help-left')

    def _heading(self, word: str) -> None:
        ui.label(word).classes('text-h6').props(f'lang={self.room_language}')

    async def play(self, gloss: Gloss, slow: bool) -> None:
        """The word in the room's voice (made once, then from the audio cache), in the page's player."""
        try:
            speech = await tts.phrase_audio(self.user_id, gloss.message_id, gloss.word, slow)
        except (tts.TTSUnavailable, MessageNotFound) as problem:
            ui.notify(str(problem), type='warning')
            return
        self.play_source(
            f'/audio/messages/{gloss.message_id}/phrase?text={quote(gloss.word)}'
            f'&slow={str(slow).lower()}&v={speech.cache_key[:12]}'
        )

    async def save(self, gloss: Gloss) -> None:
        try:
            await vocabulary.save_word(self.user_id, gloss.message_id, gloss.lemma, gloss.meaning, gloss.pos)
        except ServiceError as refused:
            ui.notify(str(refused), type='warning')
            return
        self.saved.add(gloss.lemma.lower())
        allowance = await help_quota.status(self.user_id)
        self._draw(gloss, help_left_text(allowance.remaining, allowance.unlimited))


def _text_of(args: object) -> str:
    if isinstance(args, dict):
        return str(args.get('text') or '')
    return str(args or '')


@functools.cache
def word_click_handler(room_language: str) -> str:
    """The browser-side click handler of the replies in `room_language`: one string for every reply of every
    open page in that language (1.6 KB each when it was made per reply, 3 KB per page when per page)."""
    return WORD_AT_CLICK.replace('LANGUAGE', json.dumps(room_language)).replace(
        'MAX_LENGTH', str(WORD_MAX_LENGTH)
    )
