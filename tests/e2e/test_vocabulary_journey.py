"""The notebook in Chromium: a word saved from a reply → /vocabulary → a keyboard-only review → /progress."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer


def test_save_review_with_the_keyboard_and_see_progress(
    page: Page, llm: FakeLLMServer, base_url: str, shot
) -> None:
    """Saved through the API; Review → type → Enter (Show answer) → Enter on the focused Good → 0 due → Progress."""
    llm.reply = 'Here is your ticket to Seoul. Have a nice flight!'
    username = sign_up(page, 'vocab')
    gallery_room(page, 'airport-check-in')
    room_id = int(page.url.rsplit('/', 1)[1])
    page.get_by_label('Message').fill('One ticket, please')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('Here is your ticket to Seoul.')).to_be_visible()
    # Finished (its Play button shows), so the stored reply holds the sentence the word is saved with.
    expect(page.get_by_role('button', name='Play reply').last).to_be_visible()

    token = page.request.post(
        f'{base_url}/api/auth/token', data={'username': username, 'password': 'amber-kettle-58'}
    )
    headers = {'Authorization': f'Bearer {token.json()["access_token"]}'}
    messages = page.request.get(f'{base_url}/api/rooms/{room_id}/messages', headers=headers).json()
    reply_id = next(item['id'] for item in messages['items'] if item['role'] == 'assistant')
    saved = page.request.post(
        f'{base_url}/api/vocabulary/words',
        headers=headers,
        data={'message_id': reply_id, 'lemma': 'ticket', 'meaning': '표', 'word': 'ticket'},
    )
    assert saved.status == 201, saved.text()

    page.get_by_role('link', name='Vocabulary').first.click()
    expect(page).to_have_url(re.compile(r'/vocabulary$'))
    expect(
        page.get_by_role('heading', name='Vocabulary').or_(page.get_by_text('Vocabulary', exact=True).last)
    ).to_be_visible()
    review = page.get_by_role('button', name=re.compile(r'^Review'))
    expect(review).to_have_text(re.compile(r'Review \(1 due\)'))
    review.focus()
    page.keyboard.press('Enter')
    expect(page.get_by_test_id('review-cloze')).to_have_text('Here is your _____ to Seoul.')
    answer = page.get_by_label('Your answer')
    answer.fill('Ticket')
    answer.press('Enter')  # Show answer
    expect(page.get_by_text('Correct! Good is selected.')).to_be_visible()
    good = page.get_by_role('button', name='Good')
    expect(good).to_be_focused()
    shot('answer')
    page.keyboard.press('Enter')
    expect(page.get_by_text('Nothing is due right now. Well done!')).to_be_visible()
    expect(review).to_have_text(re.compile(r'Review \(0 due\)'))

    page.get_by_role('link', name='Progress').first.click()
    expect(page).to_have_url(re.compile(r'/progress$'))
    expect(page.get_by_role('heading', name='Progress')).to_be_visible()
    expect(page.get_by_test_id('days-practised')).to_contain_text('Practised 1 of the last 7 days')
    expect(page.locator('.practice-calendar .calendar-day').last).to_have_class(re.compile('practised'))
    expect(page.get_by_test_id('chart-weekly-activity')).to_be_visible()
    shot('progress')
