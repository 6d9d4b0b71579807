"""An open signed-in page learns that its session has ended (an admin's `Disable`, a password change,
"End all sessions" elsewhere, the idle or maximum lifetime) even when it makes no request.

One watcher per process checks every open page's session every ACTIVE_CHECK_SECONDS, a batch of pages
per query, instead of a timer and a query per page (ten idle tabs were ten reads and ten element
timers; bench/RESULTS.md, issue 17).
"""

import asyncio
import logging
from collections.abc import Callable

from nicegui import Client, app, background_tasks, storage

from services import sessions

ACTIVE_CHECK_SECONDS = 30.0
BATCH = 500  # pages per query: the IN list stays far below the databases' parameter limits

log = logging.getLogger(__name__)
_open_pages: dict[str, tuple[Client, Callable[[], None]]] = {}
_watcher: asyncio.Task | None = None


def watch_session(client: Client, on_ended: Callable[[], None]) -> None:
    """Check `client`'s session with the other open pages; `on_ended` runs in its context once it has ended."""
    global _watcher
    _open_pages[client.id] = (client, on_ended)
    client.on_delete(lambda: _open_pages.pop(client.id, None))
    running = asyncio.get_running_loop()
    if _watcher is None or _watcher.done() or _watcher.get_loop() is not running:
        _watcher = background_tasks.create(_watch(), name='session watch')


async def check_open_pages() -> None:
    """Check the sessions of all open pages now; the pages whose session has ended leave for /login."""
    pages = [(client, on_ended) for client, on_ended in _open_pages.values() if client.id in Client.instances]
    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        users = await sessions.signed_in_users([_record(client) for client, _ in batch])
        for (client, on_ended), user in zip(batch, users, strict=True):
            if user is None and client.id in Client.instances:
                # The page stays watched until it is gone: should it still be open at the next round
                # (its way to /login lost), it is sent again.
                with client:
                    on_ended()


async def _watch() -> None:
    while _open_pages:
        await asyncio.sleep(ACTIVE_CHECK_SECONDS)
        try:
            await check_open_pages()
        except Exception:  # a database hiccup: the next round checks again
            log.exception('checking the sessions of open pages failed')


def _record(client: Client) -> sessions.Record:
    # The storage of the browser that opened the page: NiceGUI keys it by the request's session id.
    storage.request_contextvar.set(client.request)
    return app.storage.user
