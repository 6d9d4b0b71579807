"""The microphone button: record in the browser (assets/recorder.js), transcribe on the server, fill the input."""

import time
from collections.abc import Awaitable, Callable
from contextlib import nullcontext

from nicegui import events, ui

from i18n import _, lazy_text
from services import stt
from services.stored_text import shown
from ui.tip import tip

HARD_WORD_HINT = lazy_text('this word was hard to recognise')
# What assets/recorder.js reports by itself (in English): shown through the catalogue.
BROWSER_PROBLEMS = (
    lazy_text('Speech recognition failed (HTTP {status}).'),
    lazy_text('The recording could not be uploaded. Check your connection.'),
    lazy_text('This browser cannot record audio.'),
    lazy_text('Microphone access was denied. Allow it in the browser to answer by voice.'),
)


class VoiceInput:
    """`Record` starts, `Stop recording` stops (or the 60 s cap does); the transcript goes to `on_transcript`."""

    def __init__(
        self,
        room_id: int,
        on_transcript: Callable[[int, str], Awaitable[None]],
        on_error: Callable[[str], None],
    ) -> None:
        self.room_id = room_id
        self.on_transcript = on_transcript
        self.on_error = on_error
        self.started_at = 0.0
        ui.add_head_html('<script src="/assets/recorder.js"></script>')
        record = _('Record')
        self.button = ui.button(icon='mic', on_click=self.toggle).props(
            f'round unelevated color=secondary aria-label="{record}" data-testid=record'
        )
        tip(self.button, _('Answer by voice'), side='above', anchor='start-edge')
        self.status = (
            ui.label().classes('text-caption text-grey-8 voice-status').props('data-testid=voice-status')
        )
        # Made while recording only: an inactive timer still wakes the server twice a second on every open page.
        self.ticker: ui.timer | None = None
        ui.on('speakroom_recording', self._on_state)
        ui.on('speakroom_transcribed', self._on_transcribed)

    def toggle(self) -> None:
        ui.run_javascript(f'speakroom.recorder.toggle({self.room_id})')

    def _on_state(self, event: events.GenericEventArguments) -> None:
        state = (event.args or {}).get('state')
        if state == 'recording':
            self.started_at = time.monotonic()
            stop = _('Stop recording')
            self.button.props(f'icon=stop color=negative aria-label="{stop}"')
            if self.ticker is None:
                with self.status.parent_slot or nullcontext():
                    self.ticker = ui.timer(0.5, self._tick, immediate=False)
            self._tick()
        elif state == 'transcribing':
            self._stop_ticking()
            self.button.props('loading')
            self.status.set_text(_('Transcribing…'))

    async def _on_transcribed(self, event: events.GenericEventArguments) -> None:
        self._reset()
        result = event.args or {}
        if result.get('error'):
            self.on_error(shown(str(result['error']), BROWSER_PROBLEMS))
            return
        await self.on_transcript(int(result['id']), str(result.get('text', '')))

    def _tick(self) -> None:
        elapsed = time.monotonic() - self.started_at
        self.status.set_text(
            f'● {int(elapsed) // 60}:{int(elapsed) % 60:02d} / {int(stt.MAX_SECONDS) // 60}:00'
        )
        if elapsed >= stt.MAX_SECONDS - 0.5:  # the cap: stop before the server would refuse it
            ui.run_javascript('speakroom.recorder.stop()')

    def _stop_ticking(self) -> None:
        if self.ticker is not None:
            self.ticker.delete()  # stopped, and gone from the page at once
            self.ticker = None

    def _reset(self) -> None:
        self._stop_ticking()
        self.button.props(remove='loading')
        record = _('Record')
        self.button.props(f'icon=mic color=secondary aria-label="{record}"')
        self.status.set_text('')
