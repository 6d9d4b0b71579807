"""A button's drop-down menu made on its first opening, not with the page.

Every element of a page is kept on the server for as long as the page is open; a menu of six links
is thirteen of them (the menu, its items and their sections) that most visits never open.
"""

from collections.abc import Callable

from nicegui import ui


def lazy_menu(button: ui.button, fill: Callable[[], None]) -> ui.button:
    """On the first click `button` gets a `ui.menu` filled by `fill` (inside the menu's context), shown
    at once; from then on Quasar opens and closes it in the browser as for any menu."""
    # A screen reader says "menu button" before the menu exists, as it does for Quasar's own. (No
    # aria-expanded: QMenu does not keep one on its button, so a fixed value would be wrong once open.)
    button.props.update({'aria-haspopup': 'menu'})

    def open_first_time() -> None:
        if button.default_slot.children:  # made already: the browser toggles it itself
            return
        with button, ui.menu(value=True):
            fill()

    button.on_click(open_first_time)
    return button
