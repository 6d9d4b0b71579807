"""The model backend is replaced without leaving an unclosed HTTP client to the garbage collector."""

import asyncio
from collections.abc import Iterator

import pytest

from services.llm import provider
from services.settings import load_settings


@pytest.fixture
def openai_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A model server configured (never called); the settings of the environment again afterwards."""
    monkeypatch.setenv('LLM_BASE_URL', 'http://127.0.0.1:9/v1')
    monkeypatch.setenv('LLM_MODEL', 'first-model')
    load_settings()
    yield
    monkeypatch.undo()
    load_settings()
    provider._retired.clear()


@pytest.mark.usefixtures('openai_settings')
async def test_a_backend_replaced_on_its_own_loop_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """New settings on the same loop: the old client's connections are closed there, not left to GC."""
    first = provider.get_backend()
    monkeypatch.setenv('LLM_MODEL', 'second-model')
    load_settings()
    second = provider.get_backend()
    assert second is not first
    await asyncio.sleep(0.05)  # the close runs as a task of this loop
    assert first._client.is_closed()
    await provider.close_backend()


@pytest.mark.usefixtures('openai_settings')
def test_a_backend_of_an_ended_loop_is_kept_not_closed_elsewhere() -> None:
    """A backend made on a loop that has ended is kept (closing it on another loop would fail)."""
    first = asyncio.run(_make())
    second = asyncio.run(_make())
    assert second is not first
    assert first in provider._retired
    assert not first._client.is_closed()
    asyncio.run(provider.close_backend())


async def _make():
    return provider.get_backend()


@pytest.mark.usefixtures('openai_settings')
def test_closing_at_shut_down_leaves_a_backend_of_another_loop_alone() -> None:
    """The app's shut-down on a new loop does not close a backend an earlier loop made (it would fail)."""
    first = asyncio.run(_make())
    asyncio.run(provider.close_backend())  # an app shutting down on a loop of its own
    assert first in provider._retired
    assert not first._client.is_closed()
