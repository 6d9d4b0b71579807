"""The feedback card under a learner's line as one element in its common states (issue 17).

The card was a `ui.column` holding `Checking…` (one `ui.html`, made under every line sent and deleted when
its feedback came) or the quiet sign of a correct line (one `ui.icon`): 3 elements made per turn, 2 kept
per correct line shown, each kept for every open tab (~4 KiB of Python heap apiece). Here the browser draws
the same DOM from one element (ui/feedback_card.js): the card's `div` with its classes and attributes, then
the note (prop `noteHtml`: markup built by ui/learning.py, its texts escaped), then the element's children,
which the richer states (`Better:` with its changes, a style suggestion, changes marked `Not a mistake`) keep.
"""

from nicegui import ui

from ui.learning import Note, checking_markup, correct_sign_markup
from ui.props import set_prop

NOTE = 'noteHtml'  # the prop (a name of its own: `note` is a Material icon's, assets/icons.py)


class FeedbackCardBox(ui.element, component='feedback_card.js', default_classes='nicegui-column'):
    """The card of one line: a group named `label`, found by its test id and markers `feedback-<message_id>`
    and `feedback-card` (and `feedback-correct` while it shows the quiet sign)."""

    def __init__(self, message_id: int, label: str) -> None:
        super().__init__()
        self.classes('feedback-card gap-1 w-full').props('role=group')
        self._props.update({'aria-label': label, 'data-testid': f'feedback-{message_id}'})
        self._card_markers = ('feedback-card', f'feedback-{message_id}')
        self._note_text: str | None = None
        self.mark(*self._card_markers)

    @property
    def note(self) -> str | None:
        """The markup drawn before the children (None: none)."""
        return self._props.get(NOTE)

    def show_checking(self) -> None:
        """`Checking…` with its spinner, while the line's feedback is written."""
        self._set_note(checking_markup())

    def show_correct_sign(self) -> None:
        """The quiet sign of a line without mistakes, first in the card."""
        self._set_note(correct_sign_markup(), 'feedback-correct')

    def clear(self) -> None:
        """No note and no children: the card is drawn again from scratch."""
        super().clear()
        self._set_note(None)

    def _set_note(self, note: Note | None, marker: str | None = None) -> None:
        self._note_text = note.text if note else None
        self.mark(*self._card_markers, *([marker] if marker else []))
        set_prop(self, NOTE, note.markup if note else None)

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """What a person sees of it (for `user.should_see`): its note's text (`Checking…`, the icon)."""
        return [*super()._displayed_contents(only_visible=only_visible), self._note_text]
