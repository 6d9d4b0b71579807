"""The app's websocket frames go uncompressed (compressing small updates and streamed pieces cost CPU on both
ends and zlib state per connection), and its keepalive is socket.io's alone."""

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from websockets.sync.client import connect

from tests.app_process import ROOT, free_port, serving_process

# uvicorn pings every websocket this often unless told not to (its `ws_ping_interval`).
UVICORN_PING_SECONDS = 20.0


@pytest.fixture(scope='module')
def socket_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(the app's socket.io websocket address, its page origin), served by a real app process."""
    workdir = tmp_path_factory.mktemp('frames')
    env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST_', 'NICEGUI_'))}
    env |= {
        'PORT': str(free_port()), 'HOST': '127.0.0.1', 'DATABASE_URL': f'sqlite:///{workdir / "app.db"}',
        'DATA_DIR': str(workdir / 'data'), 'SECRET_KEY': 'frames-test', 'TTS_ENGINE': 'espeak',
    }  # fmt: skip
    subprocess.run([sys.executable, str(ROOT / 'manage.py'), 'migrate'], cwd=workdir, env=env, check=True)
    with serving_process(workdir, env) as (url, _process):
        yield url.replace('http://', 'ws://') + '/_nicegui_ws/socket.io/?EIO=4&transport=websocket', url


def test_the_websocket_declines_permessage_deflate(socket_address: tuple[str, str]) -> None:
    """A browser offering permessage-deflate gets a websocket without it (no Sec-WebSocket-Extensions)."""
    address, origin = socket_address
    with connect(address, compression='deflate', origin=origin) as websocket:  # type: ignore[arg-type]
        assert websocket.response.status_code == 101
        assert websocket.response.headers.get('Sec-WebSocket-Extensions') is None


def test_an_idle_connection_gets_no_websocket_pings_only_socketios(
    socket_address: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """Past uvicorn's ping interval an idle connection has had no websocket PING frame: socket.io's own ping
    (every `pingInterval`, answered within `pingTimeout`) already notices a connection that died, and the
    second keepalive cost every idle page a wake-up of the app and of the browser every 20 s."""
    address, origin = socket_address
    with (
        caplog.at_level(logging.DEBUG, logger='websockets.client'),
        connect(address, origin=origin) as websocket,  # type: ignore[arg-type]
    ):
        opening = websocket.recv(timeout=10)
        assert isinstance(opening, str) and opening.startswith('0')  # engine.io's open packet
        assert json.loads(opening[1:])['pingInterval'] <= 30_000  # socket.io keeps it alive
        deadline = time.monotonic() + UVICORN_PING_SECONDS + 1.5
        while (left := deadline - time.monotonic()) > 0:
            try:
                websocket.recv(timeout=left)
            except TimeoutError:
                break
    frames = [record.getMessage() for record in caplog.records if record.name == 'websockets.client']
    assert any(frame.startswith('< TEXT') for frame in frames)  # the frames are seen: the open packet
    assert not [frame for frame in frames if frame.startswith('< PING')]
