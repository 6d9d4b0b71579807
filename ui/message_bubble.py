"""A chat message as one server element: bubble, body, text, buttons and `Writing…` (issue 17).

`ui.chat_message` with a body element, a `ui.html` text and the buttons' element inside it was four server
elements per message shown, each kept for every open tab (~4 KiB of Python heap apiece) and each made, sent
and (for a streaming reply's `Writing…`) deleted again per turn. Here the browser draws the same DOM from one
element (ui/message_bubble.js): Quasar's q-chat-message, one body `div` (its classes `body_classes`) and in
it the text as sanitized HTML (DOMPurify, as `ui.html(..., sanitize=True)`), the element's children, the
message's buttons (ui/message_actions.py), the children of its `after` slot, then `Writing…` while
`writing` is set.
"""

from nicegui.slot import Slot

from ui.message_actions import MessageActions
from ui.props import set_prop


class MessageBubble(MessageActions, component='message_bubble.js'):
    """One message: `name` and `stamp` above it, `sent` (the learner's, on the right) or not, in `color`.

    Its buttons are its own (`add`, `remove`, `loading`: ui/message_actions.py); what is made inside it
    goes before them, what is made inside `after` under them.
    """

    def __init__(self, name: str, stamp: str, *, sent: bool, color: str, body_classes: str) -> None:
        super().__init__()
        self._props.update({'name': name, 'stamp': stamp, 'sent': sent, 'bg-color': color})
        self._props['bodyClass'] = body_classes

    @property
    def html(self) -> str | None:
        """The text as HTML (None: the message shows no text of its own)."""
        return self._props.get('textHtml')

    @property
    def writing(self) -> str | None:
        return self._props.get('writing')

    @property
    def after(self) -> Slot:
        """Where parts go that come under the buttons (a feedback card, a translation): `with bubble.after:`."""
        return self.slots['after'] if 'after' in self.slots else self.add_slot('after')

    def set_text(self, html: str | None, text_classes: str = '') -> None:
        """Show `html` (sanitized again in the browser) as the message's text, with `text_classes`; None: none."""
        set_prop(self, 'textHtml', html)
        set_prop(self, 'textClass', text_classes if html is not None else None)

    def set_writing(self, label: str | None) -> None:
        """`label` (`Writing…`) with three moving dots after everything else in the body; None: not writing."""
        set_prop(self, 'writing', label)

    def set_body_classes(self, classes: str) -> None:
        set_prop(self, 'bodyClass', classes)

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """What a person sees of it (for `user.should_see`): the author, the text (as HTML) and `Writing…`."""
        return [
            *super()._displayed_contents(only_visible=only_visible),
            self._props.get('name'),
            self.html,
            self.writing,
        ]
