"""Learning from a turn in Chromium: Better: and Why?, Translate, a tapped word saved, a Hint into Message."""

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import DEFAULT_TASK_REPLIES, FakeLLMServer

LINE = 'Yesterday I go to the school.'
MISTAKE = {
    'has_errors': True,
    'corrected': 'Yesterday I went to the school.',
    'natural_alternative': '',
    'corrections': [
        {
            'original': 'go',
            'replacement': 'went',
            'category': 'verb_tense',
            'severity': 'high',
            'explanation': '어제 일이라서 과거형 went를 써요.',
        }
    ],
}
# Finds a word in the reply's text and returns the middle of its box (a real pointer click lands there).
WORD_BOX = """([selector, word]) => {
  const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, at = node.textContent.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const box = range.getBoundingClientRect();
    return {x: box.x + box.width / 2, y: box.y + box.height / 2};
  }
  return null;
}"""


def test_feedback_translate_word_and_hint(page: Page, llm: FakeLLMServer, shot) -> None:
    """A line with a mistake → Better: → Why? → Translate → tap a word → Save word → Hint → a line in Message."""
    llm.task_replies['turn_feedback'] = MISTAKE
    sign_up(page, 'learn')
    gallery_room(page, 'cafe-order')
    page.get_by_label('Message').fill(LINE)
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text(llm.reply)).to_be_visible()

    expect(page.get_by_text('Better:', exact=True)).to_be_visible()
    expect(page.get_by_test_id('feedback-better')).to_have_text('Yesterday I went to the school.')
    expect(page.locator('del.diff-removed[data-text="go"]')).to_be_visible()
    expect(page.get_by_text('Verb tense')).to_be_visible()
    page.get_by_role('button', name='Why?', exact=True).click()
    expect(page.get_by_text('어제 일이라서 과거형 went를 써요.')).to_be_visible()
    shot('feedback')

    page.get_by_role('button', name='Translate').click()
    expect(page.get_by_text(DEFAULT_TASK_REPLIES['translate'])).to_be_visible()

    expect(page.locator('.reply-markdown')).to_be_visible()
    box = settled_box(page, '.reply-markdown', 'meet')
    page.mouse.click(box['x'], box['y'])
    expect(page.get_by_text('만나다')).to_be_visible()
    shot('word')
    page.get_by_role('button', name='Save word').click()
    expect(page.get_by_text('Saved to your words')).to_be_visible()
    page.get_by_role('button', name='Close', exact=True).click()
    expect(page.get_by_text('만나다')).to_be_hidden()

    replies_asked = llm.request_count
    page.get_by_role('button', name='Hint', exact=True).click()
    expect(page.get_by_text('음료를 주문해 보세요.')).to_be_visible()
    shot('hint')
    page.get_by_role('button', name='One latte, please.').click()
    expect(page.get_by_label('Message')).to_have_value('One latte, please.')
    expect(page.get_by_text('음료를 주문해 보세요.')).to_be_hidden()
    assert llm.request_count == replies_asked  # nothing was sent
    asked = {body['messages'][0]['content'].split('\n')[0] for body in llm.helper_requests}
    assert asked == {'TASK: turn_feedback', 'TASK: translate', 'TASK: word_gloss', 'TASK: next_line_hints'}


def test_japanese_words_by_tap_and_by_selection(page: Page, llm: FakeLLMServer) -> None:
    """In a Japanese reply (no spaces) a tap looks up one word, and a selected phrase is looked up whole."""
    llm.reply = '東京駅で新幹線に乗ります。'
    sign_up(page, 'nihongo')
    page.get_by_role('button', name='New room').click()
    page.get_by_label('Title').fill('駅で')
    page.get_by_label('Language').click()
    page.get_by_role('option', name='Japanese').click()
    page.get_by_label('Situation').fill('At Tokyo station.')
    page.get_by_label('AI role').fill('Station staff')
    page.get_by_label('My role').fill('Traveller')
    page.get_by_label('Feedback').click()
    page.get_by_role('option', name='Off').click()
    page.get_by_role('button', name='Save').click()
    page.get_by_label('Message').fill('こんにちは')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text(llm.reply)).to_be_visible()

    box = settled_box(page, '.reply-markdown', '新幹線')
    page.mouse.click(box['x'], box['y'])
    expect(page.get_by_text('만나다')).to_be_visible()  # the fake server's gloss
    page.get_by_role('button', name='Close', exact=True).click()
    expect(page.get_by_text('만나다')).to_be_hidden()
    start = page.evaluate(WORD_BOX, ['.reply-markdown', '東'])
    end = page.evaluate(WORD_BOX, ['.reply-markdown', '駅'])
    page.mouse.move(start['x'] - 5, start['y'])
    page.mouse.down()
    page.mouse.move(end['x'] + 5, end['y'], steps=5)
    page.mouse.up()
    expect(page.get_by_text('만나다')).to_be_visible()
    looked_up = [body['messages'][-1]['content'] for body in llm.helper_requests_for('word_gloss')]
    assert len(looked_up) == 2
    assert [text.split('\n')[0] for text in looked_up] == ['Word: 新幹線', 'Word: 東京駅']


def settled_box(page: Page, selector: str, word: str) -> dict:
    """Where `word` is on the screen once it stays put: the page keeps itself scrolled to the end as the
    log grows (a translation opening under the reply), and a click at a place read before that scroll
    lands beside the word."""
    box = page.evaluate(WORD_BOX, [selector, word])
    for _attempt in range(20):
        page.wait_for_timeout(100)
        again = page.evaluate(WORD_BOX, [selector, word])
        if again == box:
            return box
        box = again
    return box
