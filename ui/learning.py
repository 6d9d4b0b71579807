"""Drawing helpers of the learning features: word diffs, category chips, quiet signs, help left."""

import html
from collections.abc import Callable, Iterable
from typing import NamedTuple, Protocol

from nicegui import ui

from i18n import _, ngettext
from ui.tip import tip, tip_classes

CORRECT_ICON = 'check_circle'  # the quiet sign's Material icon (assets/icons.py keeps it in the font)
_CHECKING_CLASSES = 'row items-center gap-1 no-wrap feedback-quiet'


class DiffPiece(Protocol):
    """A piece of a word-level diff (services.corrections.DiffPart has this shape)."""

    kind: str  # 'same' | 'removed' | 'added'
    text: str


def sentence_diff_html(parts: Iterable[DiffPiece]) -> str:
    """The corrected sentence as HTML: new words highlighted, removed words struck through.

    Removed words are drawn by CSS from a data attribute, so the element's text (what screen readers
    read and what a text search finds) is exactly the corrected sentence.
    """
    pieces = []
    for part in parts:
        words = html.escape(part.text.strip())
        if part.kind == 'removed':
            pieces.append(f'<del class="diff-removed" data-text="{words}" aria-hidden="true"></del>')
        elif part.kind == 'added':
            pieces.append(f'<ins class="diff-added">{words}</ins>{_spacing(part.text)}')
        else:
            pieces.append(html.escape(part.text))
    return ''.join(pieces)


def change_html(original: str, replacement: str) -> str:
    """One change as 'old → new' (struck through, highlighted); a pure insertion or deletion shows one side."""
    removed = f'<del class="diff-change-removed">{html.escape(original)}</del>' if original else ''
    added = f'<ins class="diff-added">{html.escape(replacement)}</ins>' if replacement else ''
    becomes = html.escape(_('becomes'))
    arrow = (
        f' <span aria-hidden="true">→</span><span class="sr-only"> {becomes}</span> '
        if removed and added
        else ' '
    )
    return f'{removed}{arrow}{added}'.strip()


def category_chip(label: str) -> ui.chip:
    """A small outlined chip naming the kind of change (dark text on white: high contrast)."""
    return ui.chip(label).props('outline dense square color=indigo-10 size=sm').classes('category-chip')


class Note(NamedTuple):
    """One element's markup a feedback card draws from a prop (ui/feedback_card.py), and its visible text."""

    markup: str
    text: str


def correct_sign() -> ui.icon:
    """The quiet sign of a line without mistakes, beside a style suggestion (alone: correct_sign_markup)."""
    name = _('No mistakes found')
    sign = (
        ui.icon(CORRECT_ICON, size='xs')
        .props(f'role=img aria-label="{name}" data-testid=feedback-correct')
        .classes('feedback-correct')
        .mark('feedback-correct')
    )
    return tip(sign, name, anchor='end-edge')  # the stylesheet's tooltip, not one more element per line


def correct_sign_markup() -> Note:
    """The quiet sign as the markup Quasar draws for correct_sign()'s icon (18px is Quasar's `xs`). Quasar
    hides an icon from screen readers (aria-hidden): they hear the card's summary from the live region."""
    name = html.escape(_('No mistakes found'))
    classes = f'q-icon notranslate material-icons feedback-correct {tip_classes(anchor="end-edge")}'
    return Note(
        f'<i class="{classes}" aria-hidden="true" role="img" aria-label="{name}"'
        f' data-testid="feedback-correct" data-tip="{name}" style="font-size: 18px;">{CORRECT_ICON}</i>',
        CORRECT_ICON,
    )


def checking_markup() -> Note:
    """While feedback is being written: quiet, never in the way. Drawn by the feedback card itself (no element
    of its own: it was made under every line sent and deleted when its feedback came; each element costs,
    issue 17), its spinner by the stylesheet (`.checking-spinner`, rotating alone: the compositor draws it)."""
    return Note(f'<div class="{_CHECKING_CLASSES}">{_checking_inside()}</div>', _('Checking…'))


def unavailable_note(reason: str | None) -> None:
    """'Feedback unavailable' with the reason (already translated) as tooltip (and as text for screen readers)."""
    with ui.row().classes('items-center gap-1 no-wrap feedback-quiet'):
        ui.icon('info_outline', size='xs').props('aria-hidden=true')
        label = ui.label(_('Feedback unavailable')).classes('text-caption')
        if reason:
            tip(label, reason, anchor='end-edge')
            ui.label(reason).classes('sr-only')


def help_left_text(remaining: int, unlimited: bool) -> str:
    if unlimited:
        return _('Unlimited help (admin)')
    return ngettext('{count} help left today', '{count} helps left today', remaining)


def refusal(message: str) -> ui.label:
    """A helper that could not answer (no help left, not available on this model), said in words."""
    return ui.label(message).classes('text-body2 helper-refusal').props('role=status')


def small_button(text: str, on_click: Callable[[], object], icon: str | None = None) -> ui.button:
    """A quiet text button of the learning parts (real button, visible label)."""
    return ui.button(text, icon=icon, on_click=on_click).props('flat dense no-caps size=sm color=indigo-10')


def _checking_inside() -> str:
    spinner = '<span class="checking-spinner" aria-hidden="true"></span>'
    text = html.escape(_('Checking…'))
    return f'{spinner}<span class="text-caption">{text}</span>'


def _spacing(text: str) -> str:
    return html.escape(text[len(text.rstrip()) :])
