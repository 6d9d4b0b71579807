"""Quasar's look written as markup, for parts of a page that never change once drawn.

Every element of an open page is kept on the server for as long as the page is open (issue 17), so a
static part is drawn as one `ui.html` holding the markup NiceGUI and Quasar render for it (same tags,
classes and attributes: the stylesheet, the tests and screen readers see the same page). Texts are
escaped here; callers escape theirs.
"""

from html import escape


def icon_html(name: str, *, size: str = '', classes: str = '') -> str:
    """A Material icon as `ui.icon` draws it (decorative: hidden from screen readers)."""
    style = f' style="font-size: {size};"' if size else ''
    return (
        f'<i class="q-icon notranslate material-icons{" " + classes if classes else ""}" aria-hidden="true"'
        f'{style}>{escape(name)}</i>'
    )


def badge_html(text: str, color: str) -> str:
    """Quasar's outlined `q-badge` as `ui.badge(text).props('outline color=...')` draws it."""
    return (
        '<div class="q-badge flex inline items-center no-wrap q-badge--single-line q-badge--outline '
        f'text-{color}" role="status">{escape(text)}</div>'
    )
