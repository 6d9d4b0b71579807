"""History and chat controls in Chromium: search → open the room at the hit; regenerate, delete, clear."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer


def send(page: Page, text: str) -> None:
    page.get_by_label('Message').fill(text)
    page.get_by_role('button', name='Send').click()


def test_search_finds_a_message_and_opens_its_room_there(page: Page, llm: FakeLLMServer, shot) -> None:
    """Two rooms, a search from the header's History link, a highlighted hit, and the room opened at it."""
    llm.reply_for = lambda body: f'Noted: {body["messages"][-1]["content"]}'
    sign_up(page, 'history')
    gallery_room(page, 'cafe-order')
    send(page, 'A flat white with oat milk, please')
    expect(page.get_by_text('Noted: A flat white with oat milk, please')).to_be_visible()
    page.goto(page.url.rsplit('/rooms', 1)[0] + '/rooms')
    gallery_room(page, 'airport-check-in')
    send(page, '창가 자리로 부탁드려요')
    expect(page.get_by_text('Noted: 창가 자리로 부탁드려요')).to_be_visible()

    page.get_by_role('link', name='History').click()
    expect(page).to_have_url(re.compile(r'/history$'))
    page.get_by_label('Search your messages').fill('OAT MILK')
    page.get_by_label('Search your messages').press('Enter')
    expect(page.get_by_test_id('search-summary')).to_have_text('2 messages with "OAT MILK", newest first.')
    expect(page).to_have_url(re.compile(r'/history\?q=OAT%20MILK$'))
    expect(page.locator('mark.search-match').first).to_have_text('oat milk')
    shot('results')

    page.get_by_label('Search your messages').fill('자리')
    page.get_by_role('button', name='Search').click()
    expect(page.get_by_test_id('search-summary')).to_have_text('2 messages with "자리", newest first.')
    page.locator('.search-hit').last.click()  # the learner's own message (the older hit)
    expect(page).to_have_url(re.compile(r'/rooms/\d+\?message=\d+$'))
    found = page.locator('.found-message')
    expect(found).to_contain_text('창가 자리로 부탁드려요')
    expect(found).to_be_in_viewport()
    shot('opened-at-hit')


def test_regenerate_delete_and_clear(page: Page, llm: FakeLLMServer, shot) -> None:
    """Regenerate rewrites the last reply for one unit; Delete removes an exchange; Clear empties the room."""
    answers = iter(['First answer.', 'Second answer.', 'Second answer, rewritten.'])
    llm.reply_for = lambda body: next(answers)
    sign_up(page, 'controls')
    gallery_room(page, 'small-talk')
    send(page, 'Hello!')
    expect(page.get_by_text('First answer.')).to_be_visible()
    send(page, 'How are you?')
    expect(page.get_by_text('Second answer.', exact=True)).to_be_visible()
    expect(page.get_by_role('button', name='Regenerate reply (uses one reply)')).to_have_count(1)
    expect(page.get_by_label('Message')).to_have_count(1)  # the UI contract's input, and nothing else

    page.get_by_role('button', name='Regenerate reply (uses one reply)').click()
    expect(page.get_by_text('Second answer, rewritten.')).to_be_visible()
    expect(page.get_by_text('Second answer.', exact=True)).to_have_count(0)
    expect(page.get_by_text('2 of 5 replies left today')).to_be_visible()
    shot('regenerated')

    page.get_by_role('button', name='Delete this exchange').first.click()
    page.get_by_test_id('confirm-delete').click()
    expect(page.get_by_text('Hello!', exact=True)).to_have_count(0)
    expect(page.get_by_text('First answer.')).to_have_count(0)
    expect(page.get_by_text('How are you?')).to_be_visible()

    page.get_by_role('button', name='Clear history').click()
    page.get_by_test_id('confirm-delete').click()
    expect(page.get_by_text('Say hello to start the conversation')).to_be_visible()
    page.reload()
    expect(page.get_by_text('How are you?')).to_have_count(0)
    expect(page.get_by_text('2 of 5 replies left today')).to_be_visible()  # deleting refunds nothing
    shot('cleared')


def test_export_downloads_a_streamed_file(page: Page, llm: FakeLLMServer) -> None:
    """Export → Markdown saves a .md file with the conversation (served by the streamed download route)."""
    llm.reply = 'Here is your flat white.'
    sign_up(page, 'export')
    gallery_room(page, 'cafe-order')
    send(page, 'A flat white, please')
    expect(page.get_by_text('Here is your flat white.')).to_be_visible()
    page.get_by_role('button', name='Export').click()
    with page.expect_download() as download_info:
        page.get_by_text('Markdown (.md)').click()
    download = download_info.value
    assert download.suggested_filename.endswith('.md')
    text = Path(download.path()).read_text(encoding='utf-8')
    assert 'A flat white, please' in text and 'Here is your flat white.' in text
