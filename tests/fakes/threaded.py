"""The base of our fake servers: a Starlette app served by uvicorn in a daemon thread on 127.0.0.1."""

import socket
import threading
import time
from typing import Self

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route


class ThreadedServer:
    """Subclasses list their `routes()`; `with Server() as server:` serves them on a free port."""

    thread_name = 'fake-server'

    def __init__(self) -> None:
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def routes(self) -> list[Route]:
        raise NotImplementedError

    @property
    def stopping(self) -> bool:
        """True once stop() was called (handlers that hang on purpose give up then)."""
        return self._server is None or self._server.should_exit

    def start(self) -> Self:
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]
        # log_level critical: a stream broken on purpose must not log an ERROR that fails a page test.
        config = uvicorn.Config(
            Starlette(routes=self.routes()),
            host='127.0.0.1',
            port=self.port,
            log_level='critical',
            lifespan='off',
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=self.thread_name, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f'{type(self).__name__} did not start')
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
