"""A visually hidden live region: screen readers say each text put into it, once."""

from nicegui import ui


class LiveRegion:
    """Polite announcements (`status`: also the page's status region, ARIA's `role=status`).

    A live region speaks when its text changes, so every other announcement ends with an invisible
    zero-width space: the same sentence said again (the next reply, the next line's feedback) is still a
    change. No timer: this may run in the slot of a button that was just deleted.
    """

    def __init__(self, status: bool = False) -> None:
        self.label = ui.label().classes('sr-only').props('aria-live=polite')
        if status:
            self.label.props('role=status')
        self.count = 0

    def say(self, text: str) -> None:
        self.count += 1
        self.label.set_text(text + '\u200b' * (self.count % 2))
