"""Real Chromium pages beside the simulated learners: each logs in on /login and sends one message.

Debian's Chromium (as tests/e2e/conftest.py launches it) through Playwright's async API; each canary has
its own browser context (own cookies, so HAProxy places it like any learner). The turn is timed inside
the page (bench/streaming.py's TURN_SCRIPT: Send click → the new bubble's first piece → its last piece
and `Play reply`, `performance.now()`), so a busy benchmark process does not stretch the figure.
"""

import asyncio
from contextlib import AsyncExitStack

import httpx
from playwright.async_api import Page, async_playwright

from bench.page_learners import PASSWORD, Learner, Turn
from bench.streaming import TURN_SCRIPT
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_MS = 120_000


class Canaries:
    """`async with Canaries(url, count) as canaries:` signed in on their rooms; `await canaries.turns(...)`."""

    def __init__(self, base_url: str, count: int) -> None:
        self.base_url, self.count = base_url, count
        self.pages: list[Page] = []
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> 'Canaries':
        if not self.count:
            return self
        playwright = await self._stack.enter_async_context(async_playwright())
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self._stack.push_async_callback(browser.close)
        for number in range(self.count):
            context = await browser.new_context()
            page = await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            await self._log_in(page, f'canary{number}')
            self.pages.append(page)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._stack.aclose()

    async def turns(self, first_piece: str, last_piece: str) -> list[Turn]:
        return list(await asyncio.gather(*(_turn(page, first_piece, last_piece) for page in self.pages)))

    async def _log_in(self, page: Page, username: str) -> None:
        """Account and room over the API (as the simulated learners), then the real /login form."""
        async with httpx.AsyncClient(base_url=self.base_url, timeout=60) as http:
            learner = Learner(username, http)
            await learner.sign_up()
        await page.goto(f'{self.base_url}/login?next=/rooms/{learner.room_id}')
        await page.get_by_label('Username').fill(username)
        await page.get_by_label('Password').fill(PASSWORD)
        await page.get_by_role('button', name='Log in').click()
        await page.wait_for_url(f'**/rooms/{learner.room_id}')
        await page.get_by_label('Message').wait_for()


async def _turn(page: Page, first_piece: str, last_piece: str) -> Turn:
    try:
        await page.get_by_label('Message').fill('Hello there')
        await page.evaluate(TURN_SCRIPT, [first_piece, last_piece])
        timing = await asyncio.wait_for(page.evaluate('window.__turn'), TIMEOUT_MS / 1000)
    except Exception as problem:
        return Turn(error=f'canary: {problem}'[:200])
    return Turn(first_token=timing['first'] / 1000, done=timing['done'] / 1000)
