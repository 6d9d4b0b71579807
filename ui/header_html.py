"""The static parts of the signed-in header as markup: one `ui.html` element each, not a dozen.

Every element of an open page is kept on the server (about 4.4 KiB: its props, classes, style and
slots) for as long as the page is open (issue 17). The brand link, the row of page links, the model
label and the account icon with the user's name never change once drawn and have no events, so they
are written here as the markup NiceGUI and Quasar drew for `ui.link`, `ui.row`, `ui.icon` and
`ui.label` (same tags, classes and attributes: the stylesheet, the tests and screen readers see the
same page). Every text is escaped: user names and translations are not trusted markup.
"""

from collections.abc import Sequence
from html import escape

from nicegui import ui

from ui.markup import icon_html
from ui.tip import Anchor, tip_classes

# Each part's wrapper is left out of the layout: its children sit in the header's row as before.
NO_BOX = 'display: contents'
LINK_CLASSES = 'nicegui-link text-white no-underline'
CURRENT_PAGE = ' aria-current="page"'


def header_part(markup: str) -> ui.html:
    """One server element for `markup` (written by the functions below, its texts escaped)."""
    return ui.html(markup, sanitize=False).style(NO_BOX)


def brand_and_nav_html(links: Sequence[tuple[str, str]], nav_label: str, current: str | None = None) -> str:
    """The `SpeakRoom` link to /rooms, then the row of page links (`(label, target)`) as a labelled
    navigation landmark (hidden on a phone, where the `Menu` button holds them). The link to the `current`
    page says so to screen readers (`aria-current="page"`) and is underlined."""
    brand = (
        f'<a href="/rooms" target="_self" class="{LINK_CLASSES} row items-center gap-2">'
        f'{icon_html("record_voice_over", size="32px")}'
        '<div class="text-h6 text-weight-bold">SpeakRoom</div></a>'
    )
    nav_links = ''.join(
        f'<a href="{escape(target)}" target="_self" class="{LINK_CLASSES} px-2 py-1 rounded nav-link"'
        f'{CURRENT_PAGE if target == current else ""}>{escape(label)}</a>'
        for label, target in links
    )
    nav = f'<nav aria-label="{escape(nav_label)}" class="nicegui-row row gap-1 gt-xs">{nav_links}</nav>'
    return brand + nav


def account_html(user_name: str, model_label: str | None, model_tip: str, tip_anchor: Anchor) -> str:
    """The model answering (with its tooltip; hidden on a phone), the account icon and the user's name."""
    model = ''
    if model_label:
        model = (
            '<div class="nicegui-row row items-center gap-1 no-wrap text-white model-label gt-xs '
            f'{tip_classes(anchor=tip_anchor)}" data-tip="{escape(model_tip)}">'
            f'{icon_html("smart_toy", size="18px")}'
            f'<div class="text-caption" data-testid="model-label">{escape(model_label)}</div></div>'
        )
    return (
        f'{model}{icon_html("account_circle", classes="text-white gt-xs")}'
        f'<div class="text-white ellipsis user-name" data-testid="user-name">{escape(user_name)}</div>'
    )
