"""Pressing a message's buttons in page tests: they are drawn in the browser from one `MessageActions`
element per message (ui/message_actions.py), so the simulated user sends that element's `action` event
with the button's name, as the browser does when a person clicks it."""

from typing import Any

from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from ui.message_actions import MessageActions


def press_action(user: User, button: str) -> None:
    """Press a message button: `button` is its test id (`copy-message-47`), its marker (`copy-message`:
    the first message's, as `user.find(marker=...).click()` picks the first) or its text (`Show text`)."""
    holders = [
        (element, action) for element in _holders(user) for action in element.actions if _is(action, button)
    ]
    assert holders, f'no message button {button!r} on the page'
    element, action = min(holders, key=lambda holder: holder[0].id)
    UserInteraction(user, {element}, None).trigger('action', action['name'])


def button_of(user: User, button: str) -> dict[str, Any]:
    """What the browser draws for one message button (its `label` is the aria-label)."""
    [action] = [action for element in _holders(user) for action in element.actions if _is(action, button)]
    return action


def _holders(user: User) -> list[MessageActions]:
    assert user.client is not None
    return [element for element in user.client.elements.values() if isinstance(element, MessageActions)]


def _is(action: dict[str, Any], button: str) -> bool:
    testid = str(action.get('testid', ''))
    return button in (testid, action.get('text')) or testid.startswith(f'{button}-')
