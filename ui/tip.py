"""Tooltips drawn by the stylesheet (`.css-tip` with `data-tip`, assets/speakroom.css), not `ui.tooltip`.

A `ui.tooltip` is one more server element (with its props, classes, style and slot objects) kept for
every open page; a chat page had seven. The stylesheet shows the same text on hover and on keyboard
focus, in Quasar's tooltip colours, with no server state beyond one prop.
"""

from typing import Literal, TypeVar

from nicegui import ui

Element = TypeVar('Element', bound=ui.element)
Side = Literal['below', 'above']
Anchor = Literal['centre', 'start-edge', 'end-edge']


def tip(element: Element, text: str, side: Side = 'below', anchor: Anchor = 'centre') -> Element:
    """Give `element` the tooltip `text` (already translated): below it, or `above` for the page's foot;
    anchored at its `start-edge` or `end-edge` for an element near the side of the screen."""
    # Set, not written into a props string: NiceGUI parses quoted values of one with ast.literal_eval.
    element.props.update({'data-tip': text})
    element.classes(tip_classes(side, anchor))
    return element


def tip_classes(side: Side = 'below', anchor: Anchor = 'centre') -> str:
    """The classes placing a tooltip (for markup written by hand, with its `data-tip` attribute)."""
    classes = ['css-tip']
    if side == 'above':
        classes.append('css-tip-above')
    if anchor != 'centre':
        classes.append(f'css-tip-{anchor}')
    return ' '.join(classes)
