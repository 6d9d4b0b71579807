"""The real app in a subprocess (as `make run` starts it), for browser tests and the API fuzzer."""

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@contextmanager
def serving(workdir: Path, env: dict[str, str]) -> Iterator[str]:
    """`main.py` with `env` (which names PORT) until the block ends; yields its base URL once healthy."""
    with serving_process(workdir, env) as (url, _process):
        yield url


@contextmanager
def serving_process(
    workdir: Path, env: dict[str, str], main: Path = ROOT / 'main.py'
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Like `serving`, and yields the process too (for tests that kill it, benchmarks that time it);
    `main` may be another checkout's (a before/after benchmark)."""
    log_path = workdir / 'server.log'
    with log_path.open('w') as log:
        server = subprocess.Popen(
            [sys.executable, str(main)],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f'http://127.0.0.1:{env["PORT"]}'
        try:
            _wait_until_healthy(url, server, log_path)
            yield url, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_healthy(url: str, server: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f'the app exited with {server.returncode}:\n{log_path.read_text()}')
        try:
            with urllib.request.urlopen(f'{url}/healthz', timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f'the app did not become healthy in {timeout} s:\n{log_path.read_text()}')
