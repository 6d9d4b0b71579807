"""Setting a drawn element's props sparingly: each change of a prop sends the whole element to the browser."""

from nicegui import ui


def set_prop(element: ui.element, key: str, value: object) -> None:
    """`value` as the prop `key`; None drops the prop (the component's default). An unchanged value sends
    nothing (a streamed reply's bubble is asked for the same state again and again)."""
    if element.props.get(key) == value:
        return
    if value is None:
        del element.props[key]
    else:
        element.props[key] = value
