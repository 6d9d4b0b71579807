"""NiceGUI's does-this-callback-take-arguments check, cached: same answers, one signature per code."""

import functools
import inspect

import pytest
from nicegui import core, helpers, ui_run
from nicegui.testing import User

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


async def test_the_app_runs_with_both_speedups(user: User) -> None:
    """main.py puts the cached callback check in place and has uvicorn frame websockets with
    websockets-sansio (C) rather than the wsproto (pure Python) NiceGUI names."""
    assert getattr(helpers.expects_arguments, 'cached', False)
    config = ui_run.CustomServerConfig(core.app, ws='wsproto', log_config=None)
    assert config.ws == 'websockets-sansio'
