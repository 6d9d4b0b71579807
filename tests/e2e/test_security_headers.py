"""The Content-Security-Policy in Chromium: every main page works with no violation, remote images are blocked."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserType, ConsoleMessage, Page, expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer
from tests.speech import piper_wav

REPORTER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.reportViolation(`${event.effectiveDirective} ${event.blockedURI} (${location.pathname})`);
});
"""


@pytest.fixture
def watched_page(
    browser_type: BrowserType, base_url: str, tmp_path: Path
) -> Iterator[tuple[Page, list[str]]]:
    """A page (whose microphone plays a spoken WAV) and the CSP violations it reports, on every navigation."""
    spoken = tmp_path / 'answer.wav'
    spoken.write_bytes(piper_wav('I would like a coffee, please.'))
    microphone = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']
    options = {'args': [*CHROMIUM_ARGS, *microphone, f'--use-file-for-fake-audio-capture={spoken}']}
    if Path(CHROMIUM).exists():
        options['executable_path'] = CHROMIUM
    browser = browser_type.launch(**options)
    context = browser.new_context(base_url=base_url, accept_downloads=True)
    violations: list[str] = []
    context.expose_binding('reportViolation', lambda _source, text: violations.append(text))
    context.add_init_script(REPORTER)
    page = context.new_page()

    def console(message: ConsoleMessage) -> None:
        if 'Content Security Policy' in message.text:
            violations.append(f'console: {message.text}')

    page.on('console', console)
    page.on('pageerror', lambda error: violations.append(f'page error: {error}'))
    yield page, violations
    context.close()
    browser.close()


def test_every_page_works_under_the_policy(
    watched_page: tuple[Page, list[str]], llm: FakeLLMServer, shot
) -> None:
    """Sign-up, rooms, editor, chat (reply, audio, voice, export), history, profile, docs: no CSP violation."""
    page, violations = watched_page
    pixel = re.sub(r'/v1/?$', '', llm.base_url) + '/pixel.png'
    llm.reply = f'**Sure!** Here is a picture: ![coffee]({pixel}) Anything else?'

    response = page.goto('/login')
    assert response is not None
    policy = response.headers['content-security-policy']
    assert "frame-ancestors 'none'" in policy and "img-src 'self' data: blob:" in policy
    assert response.headers['x-content-type-options'] == 'nosniff'
    sign_up(page, 'csp')
    expect(page.get_by_role('button', name='New room')).to_be_visible()
    gallery_room(page, 'cafe-order')
    room_url = page.url

    page.get_by_label('Message').fill('Hello there')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('Anything else?')).to_be_visible()
    expect(page.locator('strong', has_text='Sure!')).to_be_visible()  # Markdown still renders
    page.get_by_role('button', name='Play reply').first.click()
    page.wait_for_function('[...document.querySelectorAll("audio")].some((audio) => audio.readyState >= 1)')

    page.get_by_role('button', name='Record').click()
    expect(page.get_by_role('button', name='Stop recording')).to_be_visible()
    page.wait_for_timeout(3500)
    page.get_by_role('button', name='Stop recording').click()
    expect(page.get_by_label('Message')).to_have_value(re.compile('coffee', re.IGNORECASE), timeout=60_000)

    page.get_by_role('button', name='Export').click()
    with page.expect_download() as download:
        page.get_by_text('Markdown (.md)').click()
    assert download.value.suggested_filename.endswith('.md')
    shot('chat', page)

    remote_images = [text for text in violations if text.startswith(f'img-src {pixel}')]
    assert remote_images, 'the remote image in the reply was not blocked'
    violations[:] = [text for text in violations if pixel not in text]

    for path in (
        f'{room_url.split("/rooms/")[0]}/rooms/new',
        f'{room_url}/edit',
        '/history',
        '/profile',
        '/rooms',
    ):
        page.goto(path)
        expect(page.get_by_role('button', name='Log out')).to_be_visible()
    page.get_by_role('button', name='Log out').click()
    expect(page.get_by_role('button', name='Log in')).to_be_visible()
    page.goto('/docs')
    expect(page.get_by_text('/api/auth/register').first).to_be_visible()
    shot('docs', page)
    assert violations == []
