"""Speedups of NiceGUI, uvicorn and python-socketio internals, each measured (issue 17, bench/RESULTS.md)
and each pinned by tests/ui/test_speedups.py so an upgrade that changes what it relies on fails there.

`install`: a cache for NiceGUI's check of whether a callback takes arguments, which it makes with
`inspect.signature` for every props, classes and style collection of every element it creates and for
every event handler: profiled under load (bench/load_pages.py, 200 learners on the chat page), 11 % of
an app process's CPU went to building those signatures, the same few answers again and again. The answer
depends only on the function's code and on how many of its parameters have defaults, so it is kept per
(code, number of defaults, keyword defaults, bound or not); anything else (a partial, a callable object,
a function with its own __signature__ or __wrapped__) is asked as before.
Then websocket frames built in C (`use_websockets_sansio`), fewer idle wake-ups (`quiet_tick`,
`quiet_outbox`) and socketio's bytes check without a list per level (`quick_binary_check`).
"""

import asyncio
import contextlib
from collections.abc import Callable
from types import FunctionType, MethodType
from typing import Any

import orjson
from nicegui import helpers, outbox, server, ui_run
from socketio import packet

_answers: dict[tuple[Any, ...], bool] = {}


def install() -> None:
    """Put the cached check in place of NiceGUI's (once; its modules look it up on `helpers` per call)."""
    if getattr(helpers.expects_arguments, 'cached', False):
        return
    original = helpers.expects_arguments

    def expects_arguments(func: Callable) -> bool:
        key = _key(func)
        if key is None:
            return original(func)
        answer = _answers.get(key)
        if answer is None:
            answer = _answers[key] = original(func)
        return answer

    expects_arguments.cached = True  # type: ignore[attr-defined]
    helpers.expects_arguments = expects_arguments


def _key(func: Callable) -> tuple[Any, ...] | None:
    bound = isinstance(func, MethodType)
    function = func.__func__ if bound else func
    if (
        type(function) is not FunctionType
        or hasattr(function, '__signature__')
        or hasattr(function, '__wrapped__')
    ):
        return None
    keyword_defaults = tuple(sorted(function.__kwdefaults__ or ()))
    return function.__code__, len(function.__defaults__ or ()), keyword_defaults, bound


def use_websockets_sansio() -> None:
    """Serve websockets with uvicorn's `websockets-sansio` instead of the `wsproto` NiceGUI 3 names.

    NiceGUI picked wsproto only to leave the deprecated `websockets.legacy` (its PR 5256 names sansio as
    the other choice); wsproto frames every message in pure Python, 13 % of the app's CPU per streamed
    turn (py-spy), where websockets frames and masks in C. NiceGUI passes `ws` itself, so its config
    class is given the other name.
    """
    if getattr(ui_run.CustomServerConfig, 'sansio', False):
        return

    class SansIOConfig(ui_run.CustomServerConfig):
        sansio = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **(kwargs | {'ws': 'websockets-sansio'}))

    ui_run.CustomServerConfig = SansIOConfig


TICK_SECONDS = 0.5
TICK_STEP = 5  # uvicorn counts ticks of 0.1 s: its once-a-second work runs when the count is a multiple of 10


def quiet_tick() -> None:
    """Wake uvicorn's main loop twice a second instead of ten times.

    It wakes only to refresh the `Date` header (once a second, kept) and to notice a shut-down (now within
    0.5 s). Each wake-up of an otherwise idle process cost ~0.15 ms: 46 → 16 ms of CPU per idle 20 s
    (/proc/<pid>/task/<pid>/schedstat), ~3 ms of every streamed turn at one learner (bench/streaming.py).
    """
    if getattr(server.Server.main_loop, 'quiet', False):
        return

    async def main_loop(self: server.Server) -> None:
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + TICK_STEP) % 864000
            await asyncio.sleep(TICK_SECONDS)
            should_exit = await self.on_tick(counter)

    main_loop.quiet = True  # type: ignore[attr-defined]
    server.Server.main_loop = main_loop  # type: ignore[method-assign]


def quick_binary_check() -> None:
    """python-socketio's check whether a message holds bytes (then sent as attachments), same answers in
    C for what orjson can write: it walks every message NiceGUI sends (an element's update is a deep dict;
    a chat page's first update holds every message shown). Measured on updates of chat bubbles: 8 bubbles
    97 µs (socketio's own), 39 µs (a walk without a list per level), 6 µs (orjson); 500 bubbles 5.4 ms,
    1.9 ms, 0.85 ms. orjson writes no bytes (nor a bytearray): when it writes the whole message
    there are none; anything it cannot write (bytes, an unknown type, a huge int) is walked."""
    if getattr(packet.Packet.data_is_binary, 'quick', False):
        return

    def data_is_binary(_cls: type, data: Any) -> bool:
        with contextlib.suppress(TypeError):  # orjson.JSONEncodeError is a TypeError
            orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
            return False
        return _walked_for_bytes(data)

    data_is_binary.quick = True  # type: ignore[attr-defined]
    packet.Packet.data_is_binary = classmethod(data_is_binary)  # type: ignore[method-assign, assignment]


def _walked_for_bytes(data: Any) -> bool:
    """Bytes anywhere in nested lists and dicts (not in tuples: socketio's own check does not look there)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, (bytes, bytearray)):
            return True
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
    return False


class _UntimedWaits:
    """`asyncio` as NiceGUI's outbox module sees it, its `wait_for` without the timeout (see quiet_outbox)."""

    quiet = True

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    @staticmethod
    async def wait_for(awaitable: Any, timeout: float | None = None) -> Any:  # noqa: ASYNC109 (ignored: the point)
        return await awaitable


def quiet_outbox() -> None:
    """Each client's outbox waits for something to send without waking every second.

    NiceGUI's loop waits for its event with a 1 s timeout and on each timeout only waits again: a task
    made, cancelled and awaited per second per open page, ~0.16 ms/s each (10 idle chat tabs: 4.05 →
    2.41 ms/s of the process's CPU). Stopping the outbox sets that event too, so nothing needs the timeout.
    tests/ui/test_speedups.py checks that the loop still waits in that one place only.
    """
    if getattr(outbox.asyncio, 'quiet', False):
        return
    outbox.asyncio = _UntimedWaits()  # type: ignore[assignment]
