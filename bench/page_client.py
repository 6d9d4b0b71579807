"""A browser tab without a browser: NiceGUI 3.18's page protocol spoken with httpx and python-socketio.

What nicegui/static/nicegui.js does, and no more: GET the page (cookies kept, so HAProxy's SRV
stickiness and NiceGUI's `session` cookie work), read the element tree the page embeds
(`parseElements(String.raw\\`…\\`)`), open the socket.io connection at `/_nicegui_ws/socket.io` with the
page's query (`client_id`, `next_message_id`, `implicit_handshake`) plus a `document_id` and `tab_id`,
then send `event` messages (a value change, a click) and apply the `update` messages to its copy of the
tree. It answers `run_javascript` requests with no result, follows `open` (navigation) with a GET, and
acknowledges messages every 3 s as the browser does (the server prunes its resend history on `ack`).
Nothing is rendered; JavaScript handlers of elements are not run.
"""

import ast
import asyncio
import html
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import socketio

SOCKET_PATH = '_nicegui_ws/socket.io'
ACK_SECONDS = 3.0  # nicegui.js: setInterval(() => ack(), 3000)
ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.DOTALL)
QUERY = re.compile(r'query: (\{.*?\}),\n')
APPEND_CALL = re.compile(r'return runMethod\((\d+), "append", (\[.*\])\)', re.DOTALL)  # ui/stream_text.py
Listener = Callable[[dict[str, Any]], None]


class PageClient:
    """One tab: `await open(path)`, then `find`, `set_value`, `click`; `listeners` see every update."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.elements: dict[str, dict[str, Any]] = {}
        self.listeners: list[Listener] = []
        self.disconnects = 0  # the socket dropped after it was up (the browser shows "reconnecting")
        self.reloads = 0  # the server asked for a reload (try_reconnect) or refused the handshake
        self.navigated_to: str | None = None
        self._client_id = ''
        self._query: dict[str, Any] = {}
        self._next_message_id = 0
        self._socket: socketio.AsyncClient | None = None
        self._acks: asyncio.Task | None = None
        self._navigation = asyncio.Event()

    async def open(self, path: str) -> httpx.Response:
        """GET the page (redirects followed) and connect its socket; the page's tree is in `elements`."""
        await self.close()
        response = await self.http.get(path, follow_redirects=True)
        response.raise_for_status()
        raw = ELEMENTS.search(response.text)
        query = QUERY.search(response.text)
        if raw is None or query is None:
            raise RuntimeError(f'{path}: not a NiceGUI page')
        self.elements = json.loads(html.unescape(raw.group(1).replace('&#96;', '`').replace('&#36;', '$')))
        # A Python dict literal in the template (`True`), sent as the browser sends it (`true`).
        self._query = {
            key: str(value).lower() if isinstance(value, bool) else value
            for key, value in ast.literal_eval(query.group(1)).items()
        }
        self._client_id = self._query['client_id']
        self._next_message_id = int(self._query['next_message_id'])
        self._query |= {'document_id': str(uuid.uuid4()), 'tab_id': str(uuid.uuid4()), 'old_tab_id': ''}
        self._navigation.clear()
        self.navigated_to = None
        await self._connect()
        return response

    def find(self, **props: str) -> str:
        """The id of the one element whose props (or text, `text=`) are these; `label='Send'` etc."""
        found = [element_id for element_id, element in self.elements.items() if _matches(element, props)]
        if len(found) != 1:
            raise LookupError(f'{len(found)} elements with {props}')
        return found[0]

    async def set_value(self, element_id: str, value: Any) -> None:
        """What typing does: the element's value event (`update:modelValue`, `update:value`) with the value."""
        await self._emit(element_id, 'update:', [json.dumps(value)])

    async def click(self, element_id: str) -> None:
        await self._emit(element_id, 'click', [])

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Until `condition()` holds on this tab's tree (checked now and after every update)."""
        if condition():
            return
        ready = asyncio.Event()

        def check(_: dict[str, Any]) -> None:
            if condition():
                ready.set()

        self.listeners.append(check)
        try:
            await ready.wait()
        finally:
            self.listeners.remove(check)

    def is_usable(self, element_id: str) -> bool:
        """Shown and enabled: what a person needs to click it."""
        element = self.elements.get(element_id) or {}
        return 'hidden' not in element.get('class', []) and not element.get('props', {}).get('disable')

    async def wait_for_navigation(self) -> str:
        """The path the server navigated this tab to (`ui.navigate.to`), once it did."""
        await self._navigation.wait()
        assert self.navigated_to is not None
        return self.navigated_to

    async def close(self) -> None:
        if self._acks is not None:
            self._acks.cancel()
            self._acks = None
        if self._socket is not None:
            socket, self._socket = self._socket, None
            await socket.disconnect()

    # -- the socket ----------------------------------------------------------------------------------
    async def _connect(self) -> None:
        socket = socketio.AsyncClient(reconnection=True, reconnection_delay=1, reconnection_attempts=20)
        socket.on('*', self._on_message)
        socket.on('disconnect', self._on_disconnect)
        socket.on('connect_error', self._on_connect_error)
        base = str(self.http.base_url).rstrip('/')

        def url() -> str:  # re-read on every reconnection, like nicegui.js's reconnect_attempt hook
            return f'{base}/?{urlencode(self._query | {"next_message_id": self._next_message_id})}'

        cookies = '; '.join(f'{name}={value}' for name, value in self.http.cookies.items())
        await socket.connect(
            url,
            headers={'Cookie': cookies},
            transports=['websocket'],
            socketio_path=SOCKET_PATH,
            wait_timeout=30,
        )
        self._socket = socket
        self._acks = asyncio.create_task(self._acknowledge())

    async def _emit(self, element_id: str, event_type: str, args: list[str]) -> None:
        """The element's first listener whose type starts with `event_type`, as nicegui.js emits it."""
        element = self.elements[element_id]
        listener = next(event for event in element.get('events', []) if event['type'].startswith(event_type))
        assert self._socket is not None, 'open a page first'
        message = {
            'id': int(element_id),
            'client_id': self._client_id,
            'listener_id': listener['listener_id'],
        }
        await self._socket.emit('event', message | {'args': args})

    async def _on_message(self, event: str, message: Any = None) -> None:
        if isinstance(message, dict) and '_id' in message:
            if message['_id'] < self._next_message_id:
                return  # a message resent after a reconnection that this tab already has
            self._next_message_id = message.pop('_id') + 1
        if event == 'update':
            for element_id, element in message.items():
                if element is None:
                    self.elements.pop(element_id, None)
                else:
                    self.elements[element_id] = element
            for listener in list(self.listeners):
                listener(message)
        elif event == 'run_javascript':
            self._apply_append(str(message.get('code', '')))
            if message.get('request_id') and self._socket is not None:
                reply = {'request_id': message['request_id'], 'client_id': self._client_id, 'result': None}
                await self._socket.emit('javascript_response', reply)
        elif event == 'open':
            self.navigated_to = message['path']
            self._navigation.set()
        elif event == 'try_reconnect':
            self.reloads += 1

    def _apply_append(self, code: str) -> None:
        """A streaming reply's new words (ui/stream_text.py: `append(piece, start)` run on the element), added
        to the element's `text` as the browser's component adds them; listeners see it as an update."""
        call = APPEND_CALL.fullmatch(code)
        element = self.elements.get(call.group(1)) if call else None
        if call is None or element is None:
            return
        piece, start = json.loads(call.group(2))
        props = element.setdefault('props', {})
        shown = str(props.get('text') or '')
        if start <= len(shown) < start + len(piece):  # as the component: nothing twice, no gap
            props['text'] = shown + piece[len(shown) - start :]
            for listener in list(self.listeners):
                listener({call.group(1): element})

    async def _on_disconnect(self, *_: Any) -> None:
        if self._socket is not None:  # not a disconnect we asked for
            self.disconnects += 1

    async def _on_connect_error(self, data: Any = None) -> None:
        if isinstance(data, dict | str) and 'handshake failed' in str(data).lower():
            self.reloads += 1

    async def _acknowledge(self) -> None:
        while self._socket is not None:
            await asyncio.sleep(ACK_SECONDS)
            if self._socket is not None and self._socket.connected:
                ack = {'client_id': self._client_id, 'next_message_id': self._next_message_id}
                await self._socket.emit('ack', ack)


def _matches(element: dict[str, Any], props: dict[str, str]) -> bool:
    return all(
        (element.get('text') if key == 'text' else element.get('props', {}).get(key)) == value
        for key, value in props.items()
    )


def now() -> float:
    return time.monotonic()
