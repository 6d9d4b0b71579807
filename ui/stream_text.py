"""Text that grows piece by piece in the browser: a streaming reply sends only its new words.

Redrawing the whole reply as Markdown at every piece cost the server a Markdown run and the whole text
per redraw, and the browser a new innerHTML run through DOMPurify (bench/streaming.py, bench/RESULTS.md
"Deltas while streaming"). While a reply streams it is plain text (text nodes: nothing the model writes
is ever parsed as HTML); its Markdown is drawn once, when it is complete.
"""

from nicegui import core, json, ui


class StreamText(ui.element, component='stream_text.js'):
    """Plain text that `append` extends by sending only the new piece to the browser.

    The whole text stays in the `text` prop, updated without sending it: a page built again, a client
    that redraws the element and the simulated user of the page tests (which reads props) see it all.
    """

    def __init__(self, text: str = '') -> None:
        super().__init__()
        self._props['text'] = text
        self._sent = _utf16_length(text)  # where the next piece starts, as the browser counts

    @property
    def text(self) -> str:
        return self._props['text']

    def append(self, piece: str) -> None:
        if not piece:
            return
        start = self._sent
        # Straight into the dict under the observable props: no update is to be sent, and a string needs no
        # observing (the observable's change handling and the suspend context were per piece, measured).
        dict.__setitem__(self._props, 'text', self._props['text'] + piece)
        self._sent += _utf16_length(piece)
        self._send_append(piece, start)

    def set_text(self, text: str) -> None:
        """Replace the whole text (sent as an update of the element)."""
        self._sent = _utf16_length(text)
        self._props['text'] = text  # a change of a prop sends the element

    def show(self, text: str) -> None:
        """Show `text`: only its new end when it continues the text shown, else the whole of it."""
        shown = self.text
        if text.startswith(shown):
            self.append(text[len(shown) :])
        elif text != shown:
            self.set_text(text)

    def _send_append(self, piece: str, start: int) -> None:
        """`run_method('append', piece, start)` not awaited: the same message, queued at once.

        NiceGUI's fire-and-forget makes a request id (uuid4), an AwaitableResponse and a background task
        per call, only to queue this one message a loop turn later: per streamed piece, measured, more
        than the message itself (bench/RESULTS.md, "Server CPU per streamed turn", issue 17).
        """
        if not core.is_loop_running() or not self._is_safe_to_interact():  # as run_method checks
            return
        client = self.client
        code = f'return runMethod({self.id}, "append", {json.dumps([piece, start])})'
        client.outbox.enqueue_message(
            'run_javascript', {'code': code}, client._temporary_socket_id or client.id
        )


def _utf16_length(text: str) -> int:
    """JavaScript's `length` of `text` (a character outside the BMP, like most emoji, counts twice)."""
    return len(text.encode('utf-16-le')) // 2
