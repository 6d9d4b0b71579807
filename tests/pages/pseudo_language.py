"""What a person reads on a page of the simulated browser, and what of it escaped the catalogue.

In the pseudo-language (Accept-Language: en-XA) every catalogue text shows as ⟦…⟧, so English left
outside the brackets — and not the learner's own data — is a text that bypassed the catalogue.
"""

import re
from collections.abc import Iterable, Iterator

from nicegui import ui
from nicegui.element import Element
from nicegui.testing import User

from tests.helpers import ShownMarkup
from ui.message_actions import MessageActions
from ui.message_bubble import MessageBubble
from ui.stream_text import StreamText

VISIBLE_PROPS = ('label', 'placeholder', 'aria-label', 'title', 'hint', 'caption', 'error-message')
# Names that read the same in every language.
NAMES = frozenset({'SpeakRoom', 'English', '한국어', '日本語'})
# What Babel writes in the pseudo-language (it formats dates as English): month and day names, AM/PM,
# language names.
BABEL_WORDS = re.compile(
    r'\b((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*|AM|PM|UTC|KST|'
    r'English|Korean|Japanese|Chinese|Spanish|French|German)\b'
)
MARKED = re.compile(r'⟦[^⟦⟧]*⟧')


def unmarked_on_page(user: User, data: Iterable[str] = (), *, content_only: bool = True) -> list[str]:
    """The texts of the open page with English outside ⟦…⟧ once `data` and Babel's words are taken out;
    `content_only` reads the page's own content (the shared header and skip link belong to the frame)."""
    return unmarked(shown_texts(user.client.layout, skip_frame=content_only), data)


def shown_texts(root: Element, *, skip_frame: bool = True) -> list[str]:
    """Texts, visible props, select options, chat names, chart names, message buttons' labels of `root` and what it holds."""
    return [text for element in _elements(root, skip_frame) for text in _texts_of(element) if text.strip()]


def unmarked(texts: Iterable[str], data: Iterable[str] = ()) -> list[str]:
    found = []
    values = sorted({*data, *NAMES}, key=len, reverse=True)
    for text in texts:
        rest = text
        while (shorter := MARKED.sub(' ', rest)) != rest:  # nested ⟦…⟦…⟧…⟧ too
            rest = shorter
        for value in values:
            rest = re.sub(rf'(?<!\w){re.escape(value)}(?!\w)', ' ', rest)
        if re.search(r'[A-Za-z]{2,}', BABEL_WORDS.sub(' ', rest)):
            found.append(text)
    return found


def _elements(element: Element, skip_frame: bool, in_header: bool = False) -> Iterator[Element]:
    if skip_frame and (isinstance(element, ui.header) or 'skip-link' in element.classes):
        return
    in_header = in_header or isinstance(element, ui.header)
    # Message bodies and snippets (the learner's and the model's words), and a reply streaming in; the
    # header's markup (links, model label, user name) is the frame's own, and is read.
    if isinstance(element, ui.html | StreamText) and not in_header:
        return
    yield element
    for slot in element.slots.values():
        for child in slot.children:
            yield from _elements(child, skip_frame, in_header)


def _texts_of(element: Element) -> Iterator[str]:
    if isinstance(element, ui.html):
        shown = ShownMarkup()
        shown.feed(element.content)
        yield from (*shown.texts, *shown.labels)
    text = getattr(element, 'text', None)
    if isinstance(text, str):
        yield text
    for name in VISIBLE_PROPS:
        if isinstance(value := element.props.get(name), str):
            yield value
    if isinstance(element, MessageBubble):  # its author and `Writing…` (its text is the message's words)
        yield from (text for text in (element.props.get('name'), element.writing) if text)
    if isinstance(element, MessageActions):  # a message's buttons, drawn in the browser from one list
        yield from (
            value
            for action in element.actions
            for value in (action.get('label'), action.get('text'))
            if value
        )
    if isinstance(element, ui.select):
        options = element.options
        yield from map(str, options.values() if isinstance(options, dict) else options)
    if isinstance(element, ui.echart):
        options = element.options
        yield from options.get('legend', {}).get('data', [])
        axes = options.get('yAxis', [])
        for axis in [axes] if isinstance(axes, dict) else axes:
            if axis.get('name'):
                yield axis['name']
        yield from (series['name'] for series in options.get('series', []) if series.get('name'))
