"""Streaming cost of the chat page in real Chromium: first token on the page, browser and server CPU, memory.

The fake OpenAI-compatible server (its own process) streams PIECES pieces CHUNK_DELAY apart (`--pieces`,
`--chunk-delay`: a longer reply shows costs that grow with the text redrawn). Each
code version (`after` = this checkout, `before` = `--before DIR`, e.g. an export of `integration`)
runs as its own app process (`main.py`, SQLite); rounds alternate between them so drift on the machine
hits both alike. Per streamed turn: time from the Send click to the first piece in the reply bubble
(a MutationObserver in the page, performance.now()), browser CPU (DevTools `Performance.getMetrics`
TaskDuration/ScriptDuration of the page, before/after: the wall time of its main thread's tasks, which
grows when tabs wait for a busy machine's cores; and ThreadTime, the main thread's CPU time), the app process's CPU time (/proc), at 1 and
at `--learners` learners at once; then server RSS per idle connected chat page (N tabs, RSS delta / N).
The model's own first-token delay is measured with a direct HTTP call so the app's overhead shows.

Run: `.venv/bin/python -m bench.streaming --before /tmp/before` (prints a Markdown table).
With `--room-messages 50 500` it measures only server RSS per idle chat page of rooms with that many
messages shown (bench/idle_rooms.py), per version.
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page, sync_playwright

from bench.idle_rooms import idle_room_kib
from tests.app_process import ROOT, free_port, serving_process
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, app_environment
from tests.e2e.flows import gallery_room, sign_up

PIECES = 21
CHUNK_DELAY = 0.1


def reply_of(pieces: int) -> tuple[str, str, str]:
    """The fake model's reply of `pieces` words, its first and its last word."""
    words = [f'piece{i:0{max(2, len(str(pieces - 1)))}d}' for i in range(pieces)]
    return ' '.join(words), words[0], words[-1]


REPLY, FIRST_PIECE, LAST_PIECE = reply_of(PIECES)

# Clicks Send and resolves when the new reply bubble shows the first piece, then when it is finished
# (its Play button and the last piece are there). Stored on window so several pages can run at once.
TURN_SCRIPT = """([first, last]) => {
    const seen = new Set(document.querySelectorAll('[data-testid^="reply-"]'));
    const send = [...document.querySelectorAll('button')]
        .find((b) => b.textContent.includes('Send') && b.offsetParent !== null);
    window.__turn = new Promise((resolve) => {
        let started = 0, firstSeen = null;
        const check = () => {
            const bubble = [...document.querySelectorAll('[data-testid^="reply-"]')].find((b) => !seen.has(b));
            if (!bubble) return;
            const text = bubble.textContent;
            if (firstSeen === null && text.includes(first)) firstSeen = performance.now() - started;
            if (firstSeen !== null && text.includes(last) && bubble.querySelector('[data-testid=play-reply]')) {
                observer.disconnect();
                resolve({first: firstSeen, done: performance.now() - started});
            }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, {childList: true, subtree: true, characterData: true});
        started = performance.now();
        send.click();
    });
    return true;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--before', type=Path, help='a checkout of the code to compare with (optional)')
    parser.add_argument('--rounds', type=int, default=8, help='turns per learner count and version')
    parser.add_argument('--learners', type=int, default=5, help='learners at once for the loaded rows')
    parser.add_argument('--idle-pages', type=int, default=10)
    parser.add_argument('--pieces', type=int, default=PIECES, help='words in the reply, one piece each')
    parser.add_argument('--chunk-delay', type=float, default=CHUNK_DELAY, help='seconds between two pieces')
    parser.add_argument(
        '--room-messages',
        type=int,
        nargs='+',
        help='instead: RSS per idle page of rooms with N messages shown',
    )
    arguments = parser.parse_args()
    versions = {'after': ROOT} | ({'before': arguments.before} if arguments.before else {})
    if arguments.room_messages:
        _idle_rooms(versions, arguments.room_messages, arguments.idle_pages)
        return
    load_before = os.getloadavg()
    reply, first, last = reply_of(arguments.pieces)
    with contextlib.ExitStack() as stack, sync_playwright() as playwright:
        llm_url = stack.enter_context(fake_llm_process(reply, arguments.chunk_delay))
        apps = {name: stack.enter_context(app_process(code, llm_url)) for name, code in versions.items()}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        learners = {
            name: [_learner(browser.new_context(), url, f'{name}{i}') for i in range(arguments.learners)]
            for name, (url, _pid, _database) in apps.items()
        }
        # A warm-up turn on every page (imports, caches, each page's first load of a component's module)
        # before anything is counted.
        for name in versions:
            _round(learners[name], apps[name][1], first, last)
        samples: dict[tuple[str, int], list[dict]] = {}
        model: list[float] = []
        for _ in range(arguments.rounds):
            for count in sorted({1, arguments.learners}):
                for name in versions:
                    model.append(_model_first_token(llm_url, first))
                    samples.setdefault((name, count), []).extend(
                        _round(learners[name][:count], apps[name][1], first, last)
                    )
        memory = {
            name: _idle_page_kib(learners[name][0], apps[name], arguments.idle_pages) for name in versions
        }
        browser.close()
    print(f'Reply: {arguments.pieces} pieces {arguments.chunk_delay} s apart ({len(reply)} characters).')
    print(_report(samples, model, memory, arguments.idle_pages, load_before, os.getloadavg()))


@contextlib.contextmanager
def fake_llm_process(reply: str = REPLY, chunk_delay: float = CHUNK_DELAY) -> Iterator[str]:
    command = [sys.executable, '-m', 'tests.fakes.openai_server', '--reply', reply]
    command += ['--chunk-delay', str(chunk_delay)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _idle_rooms(versions: dict[str, Path], sizes: list[int], tabs: int) -> None:
    """Prints a table: server RSS KiB per idle chat page of a room with each number of messages shown."""
    load_before = os.getloadavg()
    memory: dict[tuple[str, int], float] = {}
    with contextlib.ExitStack() as stack, sync_playwright() as playwright:
        llm_url = stack.enter_context(fake_llm_process())
        apps = {name: stack.enter_context(app_process(code, llm_url)) for name, code in versions.items()}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in sizes:
            for name, (url, pid, database) in apps.items():
                memory[name, size] = idle_room_kib(browser.new_context(), url, pid, database, size, tabs)
        browser.close()
    load = os.getloadavg()
    print(
        f'Load average before/after: {load_before[0]:.2f} / {load[0]:.2f} (2 cores, shared); {tabs} tabs each.'
    )
    print('\n| version | messages shown | server RSS per idle chat page KiB |\n|---|---|---|')
    for (name, size), kib in sorted(memory.items(), key=lambda item: (item[0][1], item[0][0])):
        print(f'| {name} | {size} | {kib:.0f} |')


@contextlib.contextmanager
def app_process(code: Path, llm_url: str) -> Iterator[tuple[str, int, str]]:
    """`manage.py migrate` then `main.py` of the checkout `code` on a fresh SQLite database."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST_', 'NICEGUI_'))}
        env.pop('DATABASE_URL', None)
        env |= app_environment(workdir, free_port()) | {
            'LLM_BASE_URL': llm_url, 'LLM_MODEL': 'fake-model', 'DAILY_QUOTA': '10000', 'TTS_ENGINE': 'piper',
            'PYTHONPATH': str(code),
        }  # fmt: skip
        subprocess.run([sys.executable, str(code / 'manage.py'), 'migrate'], cwd=workdir, env=env, check=True)
        with serving_process(workdir, env, code / 'main.py') as (url, server):
            yield url, server.pid, env['DATABASE_URL']


def _learner(context: BrowserContext, url: str, prefix: str) -> Page:
    """A signed-up learner in a fresh small-talk room, with DevTools performance metrics on."""
    page = context.new_page()
    sign_up(page, f'stream{prefix}', url)
    gallery_room(page, 'small-talk')
    page.wait_for_load_state('networkidle')
    cdp = context.new_cdp_session(page)
    cdp.send('Performance.enable')
    page.cdp = cdp  # type: ignore[attr-defined]
    return page


def _round(pages: list[Page], pid: int, first: str = FIRST_PIECE, last: str = LAST_PIECE) -> list[dict]:
    """One turn on every page at once; per turn: first token and whole turn (ms), browser and server CPU."""
    for page in pages:
        page.get_by_label('Message').fill('hello')
    before_browser = [_browser_cpu(page) for page in pages]
    before_server = _cpu_seconds(pid)
    for page in pages:
        page.evaluate(TURN_SCRIPT, [first, last])
    timings = [page.evaluate('window.__turn') for page in pages]
    server_ms = (_cpu_seconds(pid) - before_server) * 1000 / len(pages)
    samples = []
    for page, start, timing in zip(pages, before_browser, timings, strict=True):
        end = _browser_cpu(page)
        spent = {key: (end[key] - start[key]) * 1000 for key in ('browser', 'script', 'thread')}
        samples.append(timing | spent)
        samples[-1]['server'] = server_ms
    time.sleep(0.5)  # let the finished reply's extras (feedback cards) settle before the next round
    return samples


def _browser_cpu(page: Page) -> dict[str, float]:
    """Seconds so far: the page's main-thread tasks (wall time, a task preempted by another process counts
    its wait), their script part, and the main thread's CPU time (ThreadTime: no waiting counted)."""
    metrics = {item['name']: item['value'] for item in page.cdp.send('Performance.getMetrics')['metrics']}  # type: ignore[attr-defined]
    return {
        'browser': metrics['TaskDuration'],
        'script': metrics['ScriptDuration'],
        'thread': metrics['ThreadTime'],
    }


def _model_first_token(llm_url: str, first: str = FIRST_PIECE) -> float:
    """Milliseconds from the request to the first non-empty piece, straight from the fake model."""
    started = time.perf_counter()
    body = {'model': 'fake-model', 'stream': True, 'messages': [{'role': 'user', 'content': 'hello'}]}
    with httpx.stream('POST', f'{llm_url}/chat/completions', json=body, timeout=30) as response:
        for line in response.iter_lines():
            if first in line:
                return (time.perf_counter() - started) * 1000
    raise RuntimeError('the fake model sent no first piece')


def _idle_page_kib(learner: Page, app: tuple[str, int], count: int) -> float:
    """Server RSS growth per extra idle chat tab of the learner's room (same account, connected)."""
    time.sleep(2)
    before = _rss_kib(app[1])
    pages = [learner.context.new_page() for _ in range(count)]
    for page in pages:
        page.goto(learner.url)
        page.wait_for_load_state('networkidle')
    time.sleep(3)
    grown = (_rss_kib(app[1]) - before) / count
    for page in pages:
        page.close()
    return grown


def _rss_kib(pid: int) -> int:
    status = Path(f'/proc/{pid}/status').read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith('VmRSS:'))


def _cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, to the nanosecond: the sum of its threads' run time (schedstat);
    /proc/<pid>/stat counts in clock ticks (10 ms), as coarse as a whole turn's CPU."""
    total = 0
    for thread in Path(f'/proc/{pid}/task').iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            total += int((thread / 'schedstat').read_text().split()[0])
    return total / 1e9


def _p(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _report(
    samples: dict[tuple[str, int], list[dict]],
    model: list[float],
    memory: dict[str, float],
    idle_pages: int,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> str:
    lines = [
        f'Model first token (direct HTTP): p50 {statistics.median(model):.0f} ms, p95 {_p(model, 0.95):.0f} ms. '
        f'Load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} (2 cores, shared).',
        '',
        '| version | learners | turns | first token on page p50/p95 ms | whole turn p50 ms '
        '| browser CPU/turn p50 ms (script) | browser main-thread CPU/turn p50 ms | server CPU/turn p50 ms '
        '| server RSS per idle page KiB |',
        '|---|---|---|---|---|---|---|---|---|',
    ]
    for (name, count), rows in sorted(samples.items(), key=lambda item: (item[0][1], item[0][0])):
        first = [row['first'] for row in rows]
        lines.append(
            f'| {name} | {count} | {len(rows)} | {statistics.median(first):.0f} / {_p(first, 0.95):.0f} '
            f'| {statistics.median(row["done"] for row in rows):.0f} '
            f'| {statistics.median(row["browser"] for row in rows):.0f} '
            f'({statistics.median(row["script"] for row in rows):.0f}) '
            f'| {statistics.median(row["thread"] for row in rows):.0f} '
            f'| {statistics.median(row["server"] for row in rows):.0f} '
            f'| {memory[name]:.0f} ({idle_pages} pages) |'
        )
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
