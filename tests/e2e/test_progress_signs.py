"""`Writing…` under a streaming reply and `Checking…` on a line's feedback card, each one element: their
words are visible text, their moving signs are drawn by the stylesheet and hidden from screen readers."""

from playwright.sync_api import Browser, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer

# What the browser draws for a sign: its animation, its size and whether screen readers skip it.
SIGN_SCRIPT = """(sign) => {
    const parts = sign.children.length ? [...sign.children] : [sign];
    return {
        animations: parts.map((part) => getComputedStyle(part).animationName),
        // Its layout size with its margins (the bounding box of a turning box is larger).
        width: sign.offsetWidth + parseFloat(getComputedStyle(sign).marginLeft) * 2,
        hidden: sign.getAttribute('aria-hidden'),
    };
}"""


def test_writing_and_checking_show_their_words_and_moving_signs(
    browser: Browser, base_url: str, llm: FakeLLMServer, shot
) -> None:
    """While the reply streams `Writing…` shows three moving dots; while feedback is written, a turning spinner."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_up(page, 'signs')
    gallery_room(page, 'cafe-order')
    llm.reply = ' '.join(f'word{number}' for number in range(30))
    llm.chunk_delay, llm.helper_delay = 0.15, 6.0
    page.get_by_label('Message').fill('Yesterday I go to the school.')
    page.get_by_role('button', name='Send').click()
    writing = page.get_by_text('Writing…')
    expect(writing).to_be_visible(timeout=15000)
    dots = page.evaluate(SIGN_SCRIPT, page.locator('.reply-bubble .typing-dots').last.element_handle())
    assert dots['animations'] == ['typing-dot'] * 3 and dots['hidden'] == 'true'
    checking = page.get_by_text('Checking…')
    expect(checking).to_be_visible()
    spinner = page.evaluate(SIGN_SCRIPT, page.locator('.checking-spinner').last.element_handle())
    assert spinner['animations'] == ['checking-turn'] and spinner['hidden'] == 'true'
    assert spinner['width'] == 18  # as Quasar's `xs` spinner it replaces
    shot('writing-and-checking', page)
    expect(writing).to_have_count(0, timeout=15000)  # the reply is complete
    expect(checking).to_have_count(0, timeout=15000)  # its feedback came
    context.close()
