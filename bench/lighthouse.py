"""Lighthouse 12 on /login and the chat page, mobile and desktop presets, medians of 3, before/after in one run.

Each code version (`after` = this checkout, `before` = `--before DIR`, e.g. `git worktree add /tmp/before
<rev>`) runs as its own app process (`main.py`, SQLite, the fake model server). A learner is signed
up and given a gallery room in Chromium; Lighthouse then opens /login (signed out) and that room's chat
(with the learner's session cookie) in Debian's Chromium, RUNS times per page, preset and version,
alternating versions so the machine's drift hits both alike. Reported: the performance and
accessibility scores and FCP, LCP, TBT, CLS (medians).

Lighthouse comes from npm (`make bench-lighthouse` installs it into .cache/npm and runs this).
Run: `.venv/bin/python -m bench.lighthouse --before /tmp/before` (prints a Markdown table).
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.streaming import app_process, fake_llm_process
from tests.app_process import ROOT
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.flows import gallery_room, sign_up

LIGHTHOUSE = ROOT / '.cache' / 'npm' / 'node_modules' / '.bin' / 'lighthouse'
PRESETS = ('mobile', 'desktop')
METRICS = (
    ('first-contentful-paint', 'FCP s', 1000),
    ('largest-contentful-paint', 'LCP s', 1000),
    ('total-blocking-time', 'TBT ms', 1),
    ('cumulative-layout-shift', 'CLS', None),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--before', type=Path, help='a checkout of the code to compare with (optional)')
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--preset', choices=PRESETS, action='append', help='only this preset (repeatable)')
    parser.add_argument('--page', choices=('/login', 'chat page'), action='append', help='only this page')
    arguments = parser.parse_args()
    presets = arguments.preset or PRESETS
    versions = {'after': ROOT} | ({'before': arguments.before} if arguments.before else {})
    load_before = os.getloadavg()
    results: dict[tuple[str, str, str], list[dict]] = {}
    with contextlib.ExitStack() as stack:
        llm_url = stack.enter_context(fake_llm_process())
        apps = {name: stack.enter_context(app_process(code, llm_url))[0] for name, code in versions.items()}
        targets = {name: _targets(url) for name, url in apps.items()}
        for _ in range(arguments.runs):
            for preset in presets:
                for name in versions:
                    for page, (url, cookie) in targets[name].items():
                        if arguments.page and page not in arguments.page:
                            continue
                        results.setdefault((page, preset, name), []).append(_lighthouse(url, cookie, preset))
    print(_report(results, arguments.runs, load_before, os.getloadavg()))


def _targets(base_url: str) -> dict[str, tuple[str, str | None]]:
    """/login (signed out) and a fresh gallery room's chat with its learner's session cookie."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        sign_up(page, 'lighthouse', base_url)
        gallery_room(page, 'cafe-order')
        chat_url = page.url
        cookie = '; '.join(f'{item["name"]}={item["value"]}' for item in context.cookies())
        browser.close()
    return {'/login': (f'{base_url}/login', None), 'chat page': (chat_url, cookie)}


def _lighthouse(url: str, cookie: str | None, preset: str, attempts: int = 3) -> dict:
    """One Lighthouse run: category scores and the audits' numbers (a run that could not score,
    e.g. Lighthouse's NO_LCP on a busy machine, is tried again)."""
    for _attempt in range(attempts - 1):
        row = _lighthouse_once(url, cookie, preset)
        if row is not None:
            return row
    row = _lighthouse_once(url, cookie, preset)
    if row is None:
        raise RuntimeError(f'Lighthouse could not score {url} ({preset}) in {attempts} attempts')
    return row


def _lighthouse_once(url: str, cookie: str | None, preset: str) -> dict | None:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / 'report.json'
        command = [
            str(LIGHTHOUSE), url, '--quiet', '--output=json', f'--output-path={report}',
            '--only-categories=performance,accessibility',
            f'--chrome-flags=--headless=new {" ".join(CHROMIUM_ARGS)}',
        ]  # fmt: skip
        if preset == 'desktop':
            command.append('--preset=desktop')
        if cookie:
            command.append('--extra-headers=' + json.dumps({'Cookie': cookie}))
        subprocess.run(command, check=True, env={**os.environ, 'CHROME_PATH': CHROMIUM}, timeout=300)
        data = json.loads(report.read_text())
    if any(data['categories'][category]['score'] is None for category in ('performance', 'accessibility')):
        return None
    row = {
        category: round(data['categories'][category]['score'] * 100)
        for category in ('performance', 'accessibility')
    }
    for audit, _label, _scale in METRICS:
        row[audit] = data['audits'][audit]['numericValue']
    row['failed'] = sorted(
        audit_id
        for audit_id, audit in data['audits'].items()
        if audit.get('scoreDisplayMode') == 'binary'
        and audit.get('score') == 0
        and audit_id in {ref['id'] for ref in data['categories']['accessibility']['auditRefs']}
    )
    return row


def _report(results: dict[tuple[str, str, str], list[dict]], runs: int, load_before, load_after) -> str:
    lines = [
        f'Lighthouse 12, medians of {runs}; load average {load_before[0]:.1f} → {load_after[0]:.1f}',
        '',
        '| page | preset | version | performance | accessibility | '
        + ' | '.join(label for _a, label, _s in METRICS)
        + ' | failed accessibility audits |',
        '|---|---|---|---|---|' + '---|' * len(METRICS) + '---|',
    ]
    for (page, preset, version), rows in sorted(results.items()):
        cells = [str(statistics.median(row[key] for row in rows)) for key in ('performance', 'accessibility')]
        for audit, _label, scale in METRICS:
            value = statistics.median(row[audit] for row in rows)
            cells.append(
                f'{value / scale:.2f}' if scale and scale > 1 else f'{value:.0f}' if scale else f'{value:.3f}'
            )
        failed = sorted({audit for row in rows for audit in row['failed']})
        lines.append(
            f'| {page} | {preset} | {version} | ' + ' | '.join(cells) + f' | {", ".join(failed) or "–"} |'
        )
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
