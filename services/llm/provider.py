"""Which backend answers: an OpenAI-compatible server when configured, else the embedded model."""

import asyncio
import weakref

from services.llm.base import LLMBackend
from services.settings import Settings, get_settings

OPENAI_DEFAULT_MODEL = 'gpt-4o-mini'

_backend: LLMBackend | None = None
_backend_key: tuple | None = None
# Backends replaced after their event loop ended (tests run a loop per test): kept, because closing one
# on another loop fails, and so does the close its HTTP client schedules when garbage-collected.
_retired: list[LLMBackend] = []
_closing: set[asyncio.Task] = set()


def get_backend() -> LLMBackend:
    """The process-wide backend for the current settings (created on first use, reused after)."""
    global _backend, _backend_key
    settings = get_settings()
    key = _key(settings)
    if _backend is None or key != _backend_key:
        _retire(_backend, _backend_key)
        _backend, _backend_key = _create(settings), key
    return _backend


async def close_backend() -> None:
    """Close the backend's HTTP connections while their event loop still runs (app shut-down, tests).

    Left to the garbage collector, a client of an ended loop schedules its close on whatever loop runs
    then, where it fails ("Event loop is closed") and logs an error in an unrelated place. A backend
    made on another loop (one that has ended) is kept instead: it cannot be closed from this one.
    """
    global _backend, _backend_key
    backend, key, _backend, _backend_key = _backend, _backend_key, None, None
    close = getattr(backend, 'aclose', None)
    if close is None:
        return
    if key is not None and key[0] is not None and key[0] != _loop_id():
        _retired.append(backend)
        return
    await close()


def set_backend(backend: LLMBackend | None) -> None:
    """Replace the backend (tests inject one; None goes back to the settings)."""
    global _backend, _backend_key
    if backend is not _backend:
        _retire(_backend, _backend_key)
    _backend = backend
    _backend_key = _key(get_settings()) if backend is not None else None


def _retire(backend: LLMBackend | None, key: tuple | None) -> None:
    """Close a replaced backend on its own loop (settings changed), or keep it (its loop has ended)."""
    close = getattr(backend, 'aclose', None)
    if close is None:
        return
    if key is not None and key[0] is not None and key[0] == _loop_id():
        task = asyncio.get_running_loop().create_task(close())
        _closing.add(task)
        task.add_done_callback(_closing.discard)
    else:
        _retired.append(backend)


def _key(settings: Settings) -> tuple:
    secret = settings.llm_api_key or settings.openai_api_key
    return (
        _loop_id(),  # an HTTP client's connections belong to one event loop (tests run one per test)
        settings.llm_base_url,
        settings.llm_model,
        secret.get_secret_value() if secret else None,
        settings.llm_context_tokens,
        settings.llm_timeout_seconds,
    )


def _create(settings: Settings) -> LLMBackend:
    api_key = settings.llm_api_key or settings.openai_api_key
    if settings.llm_base_url or api_key:
        from services.llm.openai_backend import OpenAIBackend  # imported on use: optional backend

        return OpenAIBackend(
            model=settings.llm_model or ('' if settings.llm_base_url else OPENAI_DEFAULT_MODEL),
            api_key=api_key.get_secret_value() if api_key else 'not-needed',
            base_url=settings.llm_base_url,
            context_tokens=settings.llm_context_tokens,
            timeout_seconds=settings.llm_timeout_seconds,
        )
    from services.llm.local_backend import LocalBackend  # imported on use: loads llama-cpp

    return LocalBackend()


def _loop_id() -> weakref.ref | None:
    """The running loop, weakly: a loop made after an ended one may get its id(), never its reference
    (a dead reference equals only itself), so a backend of the ended loop is never taken for this one's."""
    try:
        return weakref.ref(asyncio.get_running_loop())
    except RuntimeError:
        return None
