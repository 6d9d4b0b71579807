"""Speedups of NiceGUI and uvicorn: the cached callback check (same answers, one signature per code), C websockets,
the quiet tick."""

import asyncio
import functools
import inspect
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nicegui import core, helpers, outbox, server, ui_run
from nicegui.testing import User
from socketio import packet

from ui import speedups


@pytest.fixture
def counted_signatures(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The callables inspect.signature was asked about (NiceGUI's check imports it by name)."""
    from nicegui.helpers import functions

    asked: list[object] = []

    def signature(func: object) -> inspect.Signature:
        asked.append(func)
        return inspect.signature(func)

    monkeypatch.setattr(functions, 'signature', signature)
    speedups.install()
    return asked


class Card:
    def on_change(self) -> None: ...

    def on_click(self, event: object) -> None: ...


def test_answers_stay_the_same(counted_signatures: list[object]) -> None:
    """Functions, lambdas, bound methods, defaults, *args, partials: the cached check answers as NiceGUI does."""

    def with_default(value: int = 1) -> None: ...

    def with_args(*args: object, **kwargs: object) -> None: ...

    card = Card()
    cases = {
        (lambda: None): False,
        (lambda event: None): True,
        with_default: False,
        with_args: False,
        card.on_change: False,
        card.on_click: True,
        functools.partial(lambda a, b: None, 1): True,
        functools.partial(lambda a: None, 1): False,
    }
    for func, expected in cases.items():
        assert helpers.expects_arguments(func) is expected, func
        assert helpers.expects_arguments(func) is expected, func  # and again, from the cache


def test_one_signature_per_code(counted_signatures: list[object]) -> None:
    """A thousand lambdas made by one line of code (one per message's button) cost one signature."""
    handlers = [lambda message_id=number: message_id for number in range(1000)]
    handlers += [Card().on_change for _unused in range(1000)]
    assert not any(helpers.expects_arguments(handler) for handler in handlers)
    assert len(counted_signatures) <= 2


async def test_the_app_runs_with_the_speedups(user: User) -> None:
    """main.py puts the cached callback check in place, has uvicorn frame websockets with
    websockets-sansio (C) rather than the wsproto (pure Python) NiceGUI names, and tick twice a second."""
    assert getattr(helpers.expects_arguments, 'cached', False)
    assert getattr(server.Server.main_loop, 'quiet', False)
    assert getattr(packet.Packet.data_is_binary, 'quick', False)
    assert getattr(outbox.asyncio, 'quiet', False)
    config = ui_run.CustomServerConfig(core.app, ws='wsproto', log_config=None)
    assert config.ws == 'websockets-sansio'


async def test_the_quiet_tick_keeps_the_date_each_second_and_notices_a_shut_down() -> None:
    """uvicorn's main loop wakes every 0.5 s, still refreshes the Date header once a second (a count that is
    a multiple of 10) and ends on the first tick after a shut-down is asked for."""
    speedups.quiet_tick()
    counts: list[int] = []

    class Counting:
        should_exit = False

        async def on_tick(self, counter: int) -> bool:
            counts.append(counter)
            self.should_exit = self.should_exit or len(counts) == 5
            return self.should_exit

    started = time.monotonic()
    await server.Server.main_loop(Counting())  # type: ignore[arg-type]
    assert counts == [0, 5, 10, 15, 20]
    assert 1.9 < time.monotonic() - started < 2.5


ORIGINAL_BINARY_CHECK = packet.Packet.__dict__['data_is_binary'].__func__

MESSAGES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.binary(max_size=3)
    | st.builds(bytearray, st.binary(max_size=3)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    | st.tuples(children),
    max_leaves=30,
)  # fmt: skip


@given(MESSAGES)
def test_the_quick_binary_check_answers_as_socketio_does(message: object) -> None:
    """Bytes anywhere in nested lists and dicts (not inside tuples, as socketio's own check): the same answer."""
    assert not getattr(ORIGINAL_BINARY_CHECK, 'quick', False)  # socketio's own, taken before any install
    speedups.quick_binary_check()
    assert packet.Packet.data_is_binary(message) is ORIGINAL_BINARY_CHECK(packet.Packet, message)


def test_a_page_update_without_bytes_is_checked_in_one_call() -> None:
    """An update of many elements (deep dicts) is answered by orjson's one call, not a call per item visited;
    one with bytes deep inside is still found."""
    speedups.quick_binary_check()
    update = {
        element_id: {'id': element_id, 'props': {'textHtml': '<p>Hi</p>', 'actions': [{'key': 'play'}]},
                     'children': list(range(40))}
        for element_id in range(20)
    }  # fmt: skip
    calls: list[object] = []

    def count(_frame: object, event: str, called: object) -> None:
        if event == 'c_call':
            calls.append(called)

    sys.setprofile(count)
    try:
        answer = packet.Packet.data_is_binary(['update', update])
    finally:
        sys.setprofile(None)
    assert answer is False
    assert len(calls) <= 3  # orjson.dumps (and setprofile itself); the walk made ~2,600
    update[7]['props']['actions'][0]['clip'] = b'RIFF'
    assert packet.Packet.data_is_binary(['update', update]) is True


def test_the_outbox_waits_only_for_its_event() -> None:
    """NiceGUI's outbox loop uses wait_for in one place, waiting for its event (which stopping it sets): what
    quiet_outbox takes the timeout from. An upgrade of NiceGUI that changes this fails here, to be looked at."""
    source = inspect.getsource(outbox)
    assert source.count('wait_for(') == 1
    assert 'await asyncio.wait_for(self._enqueue_event.wait(), timeout=1.0)' in source
    assert 'self._should_stop = True\n        self._set_enqueue_event()' in inspect.getsource(
        outbox.Outbox.stop
    )


async def test_a_quiet_outbox_sends_at_once_and_stops_when_told() -> None:
    """With the quiet outbox an enqueued message is emitted at once and stop() ends the loop without a timeout."""
    speedups.quiet_outbox()
    event = asyncio.Event()

    async def waiting() -> str:
        await outbox.asyncio.wait_for(event.wait(), timeout=0.01)
        return 'woken'

    task = asyncio.create_task(waiting())
    await asyncio.sleep(0.05)
    assert not task.done()  # no timeout
    event.set()
    assert await asyncio.wait_for(task, 1) == 'woken'
