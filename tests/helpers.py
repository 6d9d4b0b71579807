"""Small helpers shared by tests."""

import asyncio
import time
from collections.abc import Callable

from nicegui import ui


async def eventually(condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Wait until `condition()` is truthy (UI handlers run asynchronously); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f'condition not met within {timeout} s')
        await asyncio.sleep(0.02)


def field_errors(user, label: str) -> list[str | None]:
    """The error messages currently shown under the inputs labelled `label`."""
    return [
        element.props.get('error-message')
        for element in user.find(label).elements
        if element.props.get('error')
    ]


def first_of_kind(user, kind: type):
    """The page's first element of `kind`, visible or not (user.find skips hidden elements)."""
    return next(element for element in user.client.elements.values() if isinstance(element, kind))


def player_source(user) -> str:
    """Where the page's audio player points ('' before anything was played: the player is made then)."""
    players = [element for element in user.client.elements.values() if isinstance(element, ui.audio)]
    return str(players[0].props.get('src', '')) if players else ''
