"""Chat building blocks: bubbles, safely rendered Markdown, recipe cards, quota line."""

import html
import json
import re
from collections.abc import Callable, Sequence

import markdown2
from nicegui import ui

from i18n import _, ngettext
from ui.message_actions import MessageActions
from ui.message_bubble import MessageBubble
from ui.stream_text import StreamText

MARKDOWN_EXTRAS = ['fenced-code-blocks', 'tables', 'cuddled-lists', 'break-on-newline', 'code-friendly']


def render_markdown(text: str) -> str:
    """Markdown to HTML with every raw HTML tag escaped (the browser's DOMPurify then runs as well)."""
    return markdown2.markdown(text, safe_mode='escape', extras=MARKDOWN_EXTRAS)


def show_markdown(bubble: MessageBubble, text: str) -> None:
    """Model-written text as the bubble's sanitized HTML: no script or markup from anyone ever runs."""
    bubble.set_text(render_markdown(text), 'reply-markdown')


def stream_view(text: str) -> StreamText:
    """A reply's text while it streams: plain text growing by its new words (its Markdown is drawn when it is
    complete), with the looks and the `lang` marking of a finished reply; its line breaks are kept."""
    return StreamText(text).classes('reply-markdown').style('white-space: pre-wrap')


def mark_language(log: ui.element, language: str) -> None:
    """Every message text shown in `log` gets `lang` (the room's language), now and as replies are drawn,
    so a screen reader reads a Korean reply with a Korean voice; the app's own words keep the page's language."""
    ui.run_javascript(f"""
        const log = document.getElementById('c{log.id}');
        if (log) {{
            const texts = '.reply-markdown:not([lang]), .user-text:not([lang])';
            const mark = (root) => {{
                if (root.matches(texts)) root.setAttribute('lang', {json.dumps(language)});
                root.querySelectorAll(texts).forEach((text) => text.setAttribute('lang', {json.dumps(language)}));
            }};
            mark(log);
            // Only what was added is searched: every streamed piece adds a text node to the log, and a search
            // of the whole log per piece went over every message shown (hundreds in a long room).
            new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach((node) => {{
                if (node.nodeType === Node.ELEMENT_NODE) mark(node);
            }}))).observe(log, {{childList: true, subtree: true}});
        }}
    """)


def keep_at_bottom(log: ui.element) -> None:
    """While the page is scrolled to its end, keep it there as `log` grows (a reply streaming in), drawn
    in the browser once per frame; a learner who scrolled up to read is left where they are. (It was a
    smooth-scroll script sent with every streamed piece, moving the page even for someone reading above.)"""
    ui.run_javascript(f"""
        const log = document.getElementById('c{log.id}');
        if (log) {{
            const end = () => document.documentElement.scrollHeight - window.innerHeight;
            let last = window.scrollY, pinned = last >= end() - 120;
            // Only the learner scrolling up lets go: the reply may grow more than a screen between two
            // scroll events of our own scrolling, which is no reason to stop following it.
            window.addEventListener('scroll', () => {{
                const y = window.scrollY;
                if (y >= end() - 120) pinned = true;
                else if (y < last - 1) pinned = false;
                last = y;
            }}, {{passive: true}});
            new ResizeObserver(() => {{ if (pinned) window.scrollTo(0, end()); }}).observe(log);
        }}
    """)


def user_bubble(
    text: str,
    stamp: str,
    hard_words: Sequence[str] = (),
    on_play_recording: Callable[[], object] | None = None,
    hard_word_hint: str | None = None,
) -> MessageBubble:
    """The learner's message as plain text; spoken words the recogniser found hard are underlined.

    The bubble holds the message's buttons (`My recording` when there is one; more are added with its `add`).
    The stylesheet lays its body out (`.user-body`): each part on its own line, right-aligned, and the
    message buttons side by side.
    """
    bubble = MessageBubble(_('You'), stamp, sent=True, color='indigo-1', body_classes='user-body')
    bubble.classes('user-bubble self-end')
    hint = hard_word_hint or _('this word was hard to recognise')
    bubble.set_text(_marked_text(text, hard_words, hint), 'user-text')
    if on_play_recording is not None:
        bubble.add(
            'recording', on_play_recording, look='small-text', icon='record_voice_over',
            text=_('My recording'), label=_('Play my recording'), testid='play-recording',
        )  # fmt: skip
    return bubble


def _marked_text(text: str, hard_words: Sequence[str], hint: str) -> str:
    """HTML-escaped text with line breaks kept and each hard word wrapped in an underlined, titled span."""
    hard = {_word_key(word) for word in hard_words}
    pieces = []
    for token in re.split(r'(\s+)', text):
        escaped = html.escape(token).replace('\n', '<br>')
        if token.strip() and _word_key(token) in hard:
            escaped = f'<span class="hard-word" title="{html.escape(hint)}">{escaped}</span>'
        pieces.append(escaped)
    return ''.join(pieces)


def _word_key(word: str) -> str:
    return re.sub(r'[^\w]', '', word.casefold())


def reply_bubble(name: str, stamp: str) -> MessageBubble:
    """An empty AI bubble to fill (its body laid out by the stylesheet, `.reply-body`)."""
    bubble = MessageBubble(name, stamp, sent=False, color='white', body_classes='reply-body')
    return bubble.classes('reply-bubble self-start')


def error_note(message: str, on_retry: Callable[[], object] | None) -> None:
    """What went wrong, in words, with a Retry button when retrying can help."""
    with ui.row().classes('items-center gap-2 no-wrap'):
        ui.icon('error_outline', color='negative')
        ui.label(message).classes('text-negative text-body2').props('role=alert')
    if on_retry is not None:
        ui.button(_('Retry'), icon='refresh', on_click=on_retry).props('outline dense no-caps color=primary')


def recipe_card(dish: str, intro: str, ingredients: Sequence[tuple[str, str]], steps: Sequence[str]) -> None:
    """A recipe as a card: dish, intro, ingredients for one person with amounts, numbered steps."""
    with ui.card().classes('w-full recipe-card gap-2').props('flat bordered'):
        with ui.row().classes('items-center gap-2'):
            ui.icon('restaurant_menu', color='accent')
            ui.label(dish).classes('text-h6')
        if intro:
            ui.label(intro).classes('text-body2 text-grey-8')
        if ingredients:
            ui.label(_('Ingredients (1 person)')).classes('text-subtitle2')
            with ui.element('ul').classes('recipe-ingredients'):
                for name, amount in ingredients:
                    with ui.element('li'):
                        ui.label(f'{name} — {amount}' if amount else name)
        ui.label(_('Steps')).classes('text-subtitle2')
        with ui.element('ol').classes('recipe-steps'):
            for step in steps:
                with ui.element('li'):
                    ui.label(step)


def quota_text(remaining: int, limit: int, unlimited: bool) -> str:
    if unlimited:
        return _('Unlimited replies (admin)')
    # English reads "N of M replies" for every N; languages that inflect by the count get their forms.
    return ngettext(
        '{count} of {limit} replies left today',
        '{count} of {limit} replies left today',
        remaining,
        limit=limit,
    )


def add_play(buttons: MessageActions, on_press: Callable[[], object]) -> None:
    """The round speaker button under a reply (aria-label `Play reply`; `with buttons.loading('play'):`
    shows a spinner while audio is made).

    Its tooltip is drawn by the stylesheet from the aria-label (`.css-tip`): a `ui.tooltip` is one more
    server element per button, and a long chat has hundreds of buttons.
    """
    buttons.add('play', on_press, look='play', icon='volume_up', label=_('Play reply'), testid='play-reply')


def add_message_action(
    buttons: MessageActions,
    name: str,
    icon: str,
    label: str,
    on_press: Callable[[], object],
    marker: str,
    message_id: int,
    before: str | None = None,
) -> None:
    """A small icon button under a message (copy, delete, regenerate, translate), named for screen readers
    (`label`: already translated).

    Its test id is `marker-<id>`; `buttons` is marked `marker` and `marker-<id>` (tests and scripts pick
    by them). The tooltip is the stylesheet's (`.css-tip`, from the aria-label), not a `ui.tooltip` element.
    """
    buttons.add(
        name, on_press, icon=icon, label=label, testid=f'{marker}-{message_id}', marker=marker, before=before
    )


def copy_to_clipboard(text: str) -> None:
    """Copy `text` in the browser; falls back to a hidden textarea where the Clipboard API is missing
    (it exists only on HTTPS and localhost, and an instance on a LAN address may be plain HTTP)."""
    ui.run_javascript(f"""
        const text = {json.dumps(text)};
        const fallback = () => {{
            const area = Object.assign(document.createElement('textarea'), {{value: text}});
            area.style.position = 'fixed'; area.style.opacity = '0';
            document.body.appendChild(area); area.select(); document.execCommand('copy'); area.remove();
        }};
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).catch(fallback);
        else fallback();
    """)


def add_copy(buttons: MessageActions, text: str, message_id: int) -> None:
    """`Copy text` puts the message on the clipboard and says so (not "Copy message": the chat input
    is labelled `Message`, and a label search for it must find only the input)."""

    def copy() -> None:
        copy_to_clipboard(text)
        ui.notify(_('Copied'), position='bottom', timeout=1200)

    add_message_action(buttons, 'copy', 'content_copy', _('Copy text'), copy, 'copy-message', message_id)
