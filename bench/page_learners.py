"""Simulated learners on the real chat page (bench/page_client.py): an account, a signed-in tab, turns.

A learner's account and room are made over the REST API (as a seeded class would be); signing in goes
through the real /login page (its inputs and `Log in` button, then the `/auth/session` hop the page
navigates to), so the browser session is the one the app makes. A turn types into the chat page's
`Message` box, clicks `Send` and watches the page's `update` messages: the first one holding the
reply's first piece is the first token the learner sees; the reply is complete when its text holds
the last piece and its `Play reply` button has been drawn.
"""

import asyncio
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from bench.page_client import PageClient, now

PASSWORD = 'amber-kettle-58'
ROOM = {'title': 'Café', 'language': 'en', 'situation': 'Coffee.', 'ai_role': 'Barista', 'my_role': 'Me'}
TURN_TIMEOUT = 120.0


@dataclass
class Turn:
    """One Send as the learner saw it: seconds from the click to the first piece and to the finished reply."""

    first_token: float | None = None
    done: float | None = None
    error: str | None = None


@dataclass
class Learner:
    username: str
    http: httpx.AsyncClient
    room_id: int = 0
    page: PageClient = field(init=False)

    def __post_init__(self) -> None:
        self.page = PageClient(self.http)

    async def sign_up(self) -> None:
        """Account and room over the REST API (a seeded class); the browser session comes from /login."""
        account = {'username': self.username, 'email': f'{self.username}@example.com', 'password': PASSWORD}
        (await self.http.post('/api/auth/register', json=account)).raise_for_status()
        answer = await self.http.post(
            '/api/auth/token', json={'username': self.username, 'password': PASSWORD}
        )
        headers = {'Authorization': f'Bearer {answer.raise_for_status().json()["access_token"]}'}
        room = await self.http.post('/api/rooms', json=ROOM | {'level': 'A2'}, headers=headers)
        self.room_id = room.raise_for_status().json()['id']

    async def log_in(self) -> None:
        """The /login page: fill both inputs, click `Log in`, follow the page's navigation; tab closed."""
        await self.page.open(f'/login?next=/rooms/{self.room_id}')
        await self.page.set_value(self.page.find(**{'data-testid': 'login-username'}), self.username)
        await self.page.set_value(self.page.find(**{'data-testid': 'login-password'}), PASSWORD)
        await self.page.click(self.page.find(label='Log in'))
        destination = await asyncio.wait_for(self.page.wait_for_navigation(), TURN_TIMEOUT)
        await self.page.close()
        (await self.http.get(destination, follow_redirects=True)).raise_for_status()

    async def open_chat(self) -> None:
        await self.page.open(f'/rooms/{self.room_id}')

    async def turn(self, text: str, first_piece: str, last_piece: str) -> Turn:
        """Type `text`, click Send, and time the new reply bubble's first and last piece on this tab."""
        turn = Turn()
        finished = asyncio.Event()
        bubbles_before = set(_reply_bubbles(self.page.elements))
        bubble: str | None = None
        clicked = now()

        def watch(update: dict[str, Any]) -> None:
            # The new bubble only: the previous reply is redrawn too when it stops being the latest.
            nonlocal bubble
            moment = now() - clicked
            if bubble is None:
                bubble = next((key for key in _reply_bubbles(update) if key not in bubbles_before), None)
            if bubble is not None:
                text, has_play_button, note = _subtree_text(self.page.elements, bubble)
                if note:  # the reply failed or stopped: the learner sees why at once
                    turn.error = f'reply: {note}'
                    finished.set()
                if turn.first_token is None and first_piece in text:
                    turn.first_token = moment
                if last_piece in text and has_play_button:
                    turn.done = moment
                    finished.set()
            if alert := _alert_text(update):
                turn.error = alert
                finished.set()

        message_input = self.page.find(**{'data-testid': 'message-input'})
        send = self.page.find(label='Send')
        try:  # a person waits for Send to come back (the page ignores Send while a reply is written)
            await asyncio.wait_for(self.page.wait_until(lambda: self.page.is_usable(send)), TURN_TIMEOUT)
        except TimeoutError:
            return Turn(error='Send never came back')
        self.page.listeners.append(watch)
        try:
            await self.page.set_value(message_input, text)
            clicked = now()
            await self.page.click(send)
            await asyncio.wait_for(finished.wait(), TURN_TIMEOUT)
        except TimeoutError:
            turn.error = f'no complete reply in {TURN_TIMEOUT:.0f} s'
        finally:
            self.page.listeners.remove(watch)
        return turn

    async def close(self) -> None:
        await self.page.close()
        await self.http.aclose()


async def charged_replies(database_url: str) -> int:
    """Replies charged today in the database (every account: a bench database holds only its learners)."""
    query = 'SELECT COALESCE(SUM(used), 0) FROM daily_usage'
    if database_url.startswith('sqlite'):
        path = database_url.split(':///', 1)[1]

        def count() -> int:
            with sqlite3.connect(path) as connection:
                return int(connection.execute(query).fetchone()[0])

        return await asyncio.to_thread(count)
    connection = await asyncpg.connect(database_url.replace('postgresql+asyncpg://', 'postgresql://'))
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


def _reply_bubbles(elements: dict[str, Any]) -> list[str]:
    return [
        key
        for key, element in elements.items()
        if element and str(element.get('props', {}).get('data-testid', '')).startswith('reply-')
    ]


def _subtree_text(elements: dict[str, Any], root: str) -> tuple[str, bool, str]:
    """The text (HTML, labels) under one element of the tab's tree, whether `Play reply` is there, and
    the reply's error note (ui/chat.py error_note: a `role=alert` label) if it failed or stopped."""
    parts, has_play_button, stack, note = [], False, [root], ''
    while stack:
        element = elements.get(stack.pop())
        if element is None:
            continue
        props = element.get('props', {})
        parts += [
            str(element.get('text') or ''),
            str(props.get('innerHTML') or props.get('textHtml') or props.get('content') or ''),
        ]
        parts.append(str(props.get('text') or ''))  # a streaming reply's plain text (ui/stream_text.py)
        # A message's buttons are one element holding a list (ui/message_actions.py).
        actions = props.get('actions') or []
        has_play_button = has_play_button or any(action.get('testid') == 'play-reply' for action in actions)
        if props.get('role') == 'alert' and element.get('text'):
            note = str(element['text'])
        stack += [str(child) for child in element.get('children', [])]
    return ' '.join(parts), has_play_button, note


def _alert_text(update: dict[str, Any]) -> str:
    """The chat page's error line (`role=alert`) when this update shows it with text."""
    for element in update.values():
        if element and element.get('props', {}).get('data-testid') == 'chat-error' and element.get('text'):
            return str(element['text'])
    return ''
