"""A local SpeakRoom cluster on one machine: Redis, N app processes and HAProxy in front of them.

`deploy/cluster.sh` adds a throwaway PostgreSQL and runs `python -m deploy.cluster`; the cluster test
(tests/cluster/test_cluster.py) uses `running_cluster` with a database of its own. Needs the Debian
packages `haproxy` and `redis-server`. Everything it starts stops when the block (or the script) ends.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / 'haproxy.cfg'
REQUIRED_PROGRAMS = ('haproxy', 'redis-server')
STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class AppProcess:
    name: str  # HAProxy's server name, also the value of the SRV stickiness cookie
    url: str
    process: subprocess.Popen


@dataclass(frozen=True)
class Cluster:
    proxy_url: str
    redis_url: str
    apps: tuple[AppProcess, ...]
    admin_socket: Path

    def set_server_state(self, server: str, state: str) -> str:
        """`ready`, `drain` or `maint` for one app process, through HAProxy's runtime API."""
        return haproxy_command(self.admin_socket, f'set server speakroom/{server} state {state}')


def missing_programs() -> list[str]:
    return [program for program in REQUIRED_PROGRAMS if shutil.which(program) is None]


def haproxy_config(template: str, proxy_port: int, app_ports: Mapping[str, int], admin_socket: Path) -> str:
    """deploy/haproxy.cfg for local processes: the `# cluster:` lines get this machine's addresses."""
    replacements = {
        'admin socket': f'    stats socket {admin_socket} mode 600 level admin',
        'bind': f'    bind 127.0.0.1:{proxy_port}',
    }
    lines = template.splitlines()
    output: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        output.append(line)
        marker = line.strip().removeprefix('# cluster: ') if line.strip().startswith('# cluster: ') else None
        if marker == 'servers':  # the static servers replace Docker's DNS template (the section's end)
            output += [
                f'    server {name} 127.0.0.1:{port} cookie {name}' for name, port in app_ports.items()
            ]
            break
        if marker is not None:
            output.append(replacements[marker])
            index += 1  # the template's own line is replaced
        index += 1
    return '\n'.join(output) + '\n'


@contextmanager
def running_cluster(
    database_url: str, processes: int, workdir: Path, env: Mapping[str, str], proxy_port: int | None = None
) -> Iterator[Cluster]:
    """Redis, `processes` app processes on `database_url` (migrated once, first) and HAProxy before them."""
    redis_port, proxy_port = free_port(), proxy_port or free_port()
    redis_url = f'redis://127.0.0.1:{redis_port}/0'
    shared = {
        **env,
        'DATABASE_URL': database_url,
        'NICEGUI_REDIS_URL': redis_url,  # read by NiceGUI at import time: a real environment variable
        'TRUSTED_PROXIES': '127.0.0.1',  # HAProxy's X-Forwarded-For/-Proto count
        'HOST': '127.0.0.1',
    }
    shared.setdefault('SECRET_KEY', os.urandom(24).hex())  # every process must sign cookies alike
    with ExitStack() as stack:
        stack.enter_context(_process(redis_command(redis_port), workdir / 'redis.log'))
        wait_for_port(redis_port)
        subprocess.run([sys.executable, str(ROOT / 'manage.py'), 'migrate'], env=shared, check=True, cwd=ROOT)
        apps = []
        for number in range(1, processes + 1):
            name, port = f'app{number}', free_port()
            folder = workdir / name
            folder.mkdir(parents=True, exist_ok=True)
            app_env = shared | {'PORT': str(port), 'DATA_DIR': str(folder / 'data')}
            process = stack.enter_context(
                _process([sys.executable, str(ROOT / 'main.py')], folder / 'server.log', app_env, folder)
            )
            apps.append(AppProcess(name, f'http://127.0.0.1:{port}', process))
        for app in apps:
            _wait_until_healthy(app.url, app.process)
        admin_socket = workdir / 'haproxy-admin.sock'
        config = workdir / 'haproxy.cfg'
        ports = {app.name: int(app.url.rsplit(':', 1)[1]) for app in apps}
        config.write_text(haproxy_config(TEMPLATE.read_text(), proxy_port, ports, admin_socket))
        proxy = stack.enter_context(_process(['haproxy', '-db', '-f', str(config)], workdir / 'haproxy.log'))
        proxy_url = f'http://127.0.0.1:{proxy_port}'
        _wait_until_healthy(proxy_url, proxy)
        yield Cluster(proxy_url, redis_url, tuple(apps), admin_socket)


def haproxy_command(admin_socket: Path, command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(str(admin_socket))
        connection.sendall(command.encode() + b'\n')
        answer = b''
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@contextmanager
def _process(
    command: list[str], log_path: Path, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Iterator[subprocess.Popen]:
    with log_path.open('w') as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def redis_command(port: int) -> list[str]:
    """A throwaway redis-server on loopback: nothing saved to disk (sessions are disposable here)."""
    return ['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f'nothing listens on port {port} after {STARTUP_SECONDS} s')


def _wait_until_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'{process.args} exited with {process.returncode} (see its log)')
        try:
            with urllib.request.urlopen(f'{url}/healthz', timeout=2) as response:  # noqa: S310 (our own URL)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f'{url} did not become healthy in {STARTUP_SECONDS} s')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database-url', default=os.environ.get('DATABASE_URL'), required=False)
    parser.add_argument('--processes', type=int, default=2)
    parser.add_argument('--port', type=int, default=8080, help="HAProxy's port")
    arguments = parser.parse_args()
    if missing := missing_programs():
        sys.exit(f'missing programs: {", ".join(missing)} (apt-get install -y haproxy redis-server)')
    if not arguments.database_url:
        sys.exit('set DATABASE_URL or --database-url (deploy/cluster.sh starts a throwaway PostgreSQL)')
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the children on `kill` too
    with (
        tempfile.TemporaryDirectory(prefix='speakroom-cluster-') as folder,
        running_cluster(
            arguments.database_url, arguments.processes, Path(folder), dict(os.environ), arguments.port
        ) as cluster,
    ):
        print(
            f'SpeakRoom on {cluster.proxy_url} ({", ".join(app.url for app in cluster.apps)}); Ctrl-C stops'
        )
        print(
            f"drain app1: echo 'set server speakroom/app1 state drain' | socat stdio unix-connect:{cluster.admin_socket}"
        )
        with suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == '__main__':
    main()
