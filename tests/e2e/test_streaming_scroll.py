"""A streaming reply keeps the page at its end for a learner who is there, and leaves a reader above alone."""

from playwright.sync_api import Browser, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer

PHONE = {'width': 390, 'height': 700}
LONG_REPLY = ' '.join(f'Sentence {number} of a long answer about coffee.' for number in range(20))
DISTANCE_TO_END = 'document.documentElement.scrollHeight - window.innerHeight - window.scrollY'


def test_the_page_follows_a_reply_only_while_the_learner_is_at_the_end(
    browser: Browser, base_url: str, llm: FakeLLMServer
) -> None:
    """At the end: the growing reply stays in view to its last word. Scrolled up: the page stays put."""
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    page = context.new_page()
    sign_up(page, 'scroll')
    gallery_room(page, 'cafe-order')
    llm.reply, llm.chunk_delay = LONG_REPLY, 0.02
    page.get_by_label('Message').fill('Tell me about coffee.')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('Sentence 19 of a long answer')).to_be_visible(timeout=15000)
    page.wait_for_timeout(300)
    assert page.evaluate(DISTANCE_TO_END) < 5, 'the end of the reply is below the screen'

    llm.chunk_delay = 0.1
    page.get_by_label('Message').fill('And tea?')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('Sentence 3 of a long answer').last).to_be_attached()
    page.mouse.wheel(0, -2000)  # the learner scrolls up to read while the reply comes in
    page.wait_for_timeout(500)
    top = page.evaluate('window.scrollY')
    page.wait_for_timeout(1500)  # ten more pieces arrive
    assert abs(page.evaluate('window.scrollY') - top) < 5, 'the page was moved under a reader'
    context.close()
