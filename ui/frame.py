"""The frame of every signed-in page: header with navigation, the user's name and `Log out`."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from nicegui import context, ui
from nicegui.elements.mixins.text_element import TextElement

from i18n import _, lazy_text
from ui.focus import keep_focus_clear_of_bars
from ui.header_html import account_html, brand_and_nav_html, header_part
from ui.language import keep_page_language, language_menu
from ui.lazy_menu import lazy_menu

# Lazy: the table is made once, each page shows it in its own language.
NAV_LINKS = (
    (lazy_text('Rooms'), '/rooms'),
    (lazy_text('History'), '/history'),
    (lazy_text('Profile'), '/profile'),
)
# The vocabulary notebook and the progress page (issue 14).
NAV_LINKS += ((lazy_text('Vocabulary'), '/vocabulary'), (lazy_text('Progress'), '/progress'))
NAV_LINKS += ((lazy_text('Mistakes'), '/mistakes'),)  # the mistake log (issue 14)


@contextmanager
def frame(
    page_title: str,
    *,
    user_name: str,
    on_logout: Callable[[], object],
    is_admin: bool = False,
    model_label: str | None = None,
) -> Iterator[None]:
    """Lay out header and content column; the body of the `with` block is the page content."""
    keep_page_language()
    ui.page_title(f'{page_title} · SpeakRoom')
    skip_link()
    links = [
        (str(label), target)
        for label, target in (*NAV_LINKS, *(((_('Admin'), '/admin'),) if is_admin else ()))
    ]
    # One row on a phone too (a wrapped header took 102 px of an 844 px screen).
    with ui.header(elevated=True).classes(
        'items-center justify-between no-wrap px-4 py-2 bg-primary app-header'
    ):
        with ui.row().classes('items-center gap-4 no-wrap'):
            # On a phone the links fold into a menu (the row of links below is hidden there).
            menu_name = _('Menu')

            current = context.client.page.path  # the page's route: a nav target names its page exactly

            def fill_menu() -> None:
                for label, target in links:
                    item = ui.menu_item(label, on_click=lambda target=target: ui.navigate.to(target))
                    item.mark(f'nav-menu{target.replace("/", "-")}')
                    if target == current:
                        item.props('active aria-current=page')

            menu_button = ui.button(icon='menu').props('flat round dense color=white').classes('lt-sm')
            menu_button.props.update({'aria-label': menu_name})
            lazy_menu(menu_button.mark('nav-menu'), fill_menu)
            # Static parts as markup, one server element each (issue 17: every element stays in memory).
            # The landmark's name: a screen reader adds "navigation" ("Main navigation").
            header_part(brand_and_nav_html(links, _('Main'), current))
        with ui.row().classes('items-center gap-2 no-wrap'):
            model_tip = _('The model answering in this app')
            header_part(account_html(user_name, model_label, model_tip, tip_anchor='end-edge'))
            ui.button(_('Log out'), on_click=on_logout).props('flat color=white no-caps data-testid=logout')
    keep_focus_clear_of_bars()
    with main_landmark().classes('w-full max-w-4xl mx-auto p-4 gap-4 page-body'):
        yield


@contextmanager
def public_frame(page_title: str, on_language: Callable[[str], object] | None = None) -> Iterator[None]:
    """A centred card for signed-out pages (log in, sign up); with `on_language`, the visitors' `Language` menu."""
    keep_page_language()
    ui.page_title(f'{page_title} · SpeakRoom')
    skip_link()
    with main_landmark().classes('w-full min-h-screen items-center justify-center p-4 public-page'):
        if on_language is not None:
            with ui.row().classes('w-full max-w-sm justify-end'):
                language_menu(on_language)
        with ui.row().classes('items-center gap-2 text-primary'):
            ui.icon('record_voice_over', size='lg')
            ui.label('SpeakRoom').classes('text-h4 text-weight-bold')
        ui.label(_('Practise a language by talking with an AI partner.')).classes('text-grey-8 text-center')
        with ui.card().classes('w-full max-w-sm p-6 gap-3'):
            yield


def error_text(message: str = '') -> ui.label:
    """A page-level error line (role=alert, so screen readers announce it)."""
    label = ui.label(message).classes('text-negative text-body2').props('role=alert data-testid=form-error')
    label.set_visibility(bool(message))
    return label


def show_error(label: ui.label, message: str | None) -> None:
    label.set_text(message or '')
    label.set_visibility(bool(message))


def provider_buttons(providers: list[tuple[str, str]]) -> None:
    """`Continue with <Provider>` buttons (one-click login) above a divider; nothing when none is configured."""
    if not providers:
        return
    for key, name in providers:
        ui.button(
            _('Continue with {provider}', provider=name),
            on_click=lambda key=key: ui.navigate.to(f'/auth/{key}/login'),
        ).classes(f'w-full oauth-{key}').props(f'outline no-caps data-testid=oauth-{key}')
    with ui.row().classes('w-full items-center gap-2 no-wrap text-grey-8'):
        ui.separator().classes('col')
        ui.label(_('or')).classes('text-caption')
        ui.separator().classes('col')


class Heading(TextElement):
    """A real `<h1>`…`<h6>` (screen readers list headings to move through a page), styled by classes."""

    def __init__(self, text: str, level: int = 1) -> None:
        super().__init__(tag=f'h{level}', text=text)


def page_heading(text: str) -> Heading:
    """The page's one level-one heading."""
    return Heading(text, 1).classes('text-h5 q-my-none')


def section_heading(text: str) -> Heading:
    """A level-two heading for a card or section of the page."""
    return Heading(text, 2).classes('text-h6 q-my-none')


def skip_link() -> None:
    """`Skip to content`: the first Tab stop of every page, visible only when focused."""
    ui.link(_('Skip to content'), '#main').classes('skip-link')


def main_landmark() -> ui.element:
    """The skip link's target; Quasar's page container around it is already the page's `<main>`."""
    return ui.element('div').classes('flex flex-col').props('id=main tabindex=-1')
