"""A reply streams in as plain text, piece by piece (nothing the model writes runs), then shows as Markdown."""

from playwright.sync_api import Browser, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer

REPLY = 'Hello **bold** friend <img src=x onerror="window.__injected = 1"> <b>tag</b> ' + ' '.join(
    f'word{number}' for number in range(12)
)

# Records what the new reply's text looks like at every change, until its Play button is there, and counts
# searches of the whole conversation for texts to mark with their language (ui/chat.py mark_language).
WATCH_SCRIPT = """() => {
    const seen = new Set(document.querySelectorAll('[data-testid^="reply-"]'));
    window.__states = [];
    const log = document.querySelector('.chat-log');
    const search = Element.prototype.querySelectorAll;
    window.__logSearches = 0;
    Element.prototype.querySelectorAll = function (selector) {
        if (this === log && selector.includes(':not([lang])')) window.__logSearches += 1;
        return search.call(this, selector);
    };
    const observer = new MutationObserver(() => {
        const bubble = [...document.querySelectorAll('[data-testid^="reply-"]')].find((b) => !seen.has(b));
        const text = bubble && bubble.querySelector('.reply-markdown');
        if (!text) return;
        window.__states.push({
            text: text.textContent,
            tags: [...text.querySelectorAll('*')].map((element) => element.tagName),
            lang: text.getAttribute('lang'),
            done: !!bubble.querySelector('[data-testid=play-reply]'),
        });
    });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
}"""


def test_a_reply_grows_as_plain_text_and_ends_as_markdown(
    browser: Browser, base_url: str, llm: FakeLLMServer
) -> None:
    """While it streams the reply is the model's text as text, longer at each step; complete, it is Markdown."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_up(page, 'deltas')
    gallery_room(page, 'cafe-order')
    llm.reply, llm.chunk_delay = REPLY, 0.1
    expect(page.get_by_label('Message')).to_be_visible()
    page.wait_for_load_state('networkidle')  # the chat page is there to watch, not the room editor
    page.evaluate(WATCH_SCRIPT)
    page.get_by_label('Message').fill('Hello!')
    page.get_by_role('button', name='Send').click()
    reply = page.locator('[data-testid^="reply-"]').last
    expect(reply.locator('strong')).to_have_text('bold', timeout=15000)
    states = page.evaluate('window.__states')
    streaming = [state for state in states if not state['done'] and state['text']]
    texts = [state['text'] for state in streaming]
    assert len(set(texts)) >= 5, 'the reply did not grow piece by piece'
    assert all(REPLY.startswith(text) for text in texts), 'a streamed text is not the start of the reply'
    assert texts == sorted(texts, key=len), 'the streamed text went back'
    assert all(state['tags'] == [] for state in streaming), 'markup was drawn while the reply streamed'
    assert any('**bold**' in text and '<b>tag</b>' in text for text in texts)
    assert all(state['lang'] == 'en' for state in streaming), 'the streaming text has no lang'
    assert page.evaluate('window.__logSearches') == 0, (
        'the whole conversation was searched per streamed piece'
    )
    assert reply.locator('.reply-markdown img').count() == 0
    expect(reply.locator('.reply-markdown')).to_contain_text('<b>tag</b> word0')  # escaped, shown as text
    assert page.evaluate('window.__injected') is None, "the model's HTML ran"
    context.close()
