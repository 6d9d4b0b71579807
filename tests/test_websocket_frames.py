"""The app's websocket frames go uncompressed: compressing small updates and streamed pieces cost CPU on both
ends and zlib state per connection."""

import os
import subprocess
import sys
from pathlib import Path

from websockets.sync.client import connect

from tests.app_process import ROOT, free_port, serving_process


def test_the_websocket_declines_permessage_deflate(tmp_path: Path) -> None:
    """A browser offering permessage-deflate gets a websocket without it (no Sec-WebSocket-Extensions)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST_', 'NICEGUI_'))}
    env |= {
        'PORT': str(free_port()), 'HOST': '127.0.0.1', 'DATABASE_URL': f'sqlite:///{tmp_path / "app.db"}',
        'DATA_DIR': str(tmp_path / 'data'), 'SECRET_KEY': 'frames-test', 'TTS_ENGINE': 'espeak',
    }  # fmt: skip
    subprocess.run([sys.executable, str(ROOT / 'manage.py'), 'migrate'], cwd=tmp_path, env=env, check=True)
    with serving_process(tmp_path, env) as (url, _process):
        address = url.replace('http://', 'ws://') + '/_nicegui_ws/socket.io/?EIO=4&transport=websocket'
        with connect(address, compression='deflate', origin=url) as websocket:  # type: ignore[arg-type]
            assert websocket.response.status_code == 101
            assert websocket.response.headers.get('Sec-WebSocket-Extensions') is None
