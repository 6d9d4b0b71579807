"""The whole learning loop in one Chromium journey (issue 14): a line with a mistake → End session →
the report shows it → a new word saved from the report → /vocabulary → Review → Show answer → Good →
the due count drops → /progress shows today."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.e2e.test_learning_journey import LINE, MISTAKE
from tests.fakes.openai_server import FakeLLMServer


def test_from_a_mistake_to_a_reviewed_word(page: Page, llm: FakeLLMServer, shot) -> None:
    """The report names the error and the partner's B2 word; saved, reviewed Good, counted on /progress."""
    llm.reply = 'The exquisite cake is ready. Anything else?'
    llm.task_replies['turn_feedback'] = MISTAKE
    llm.task_replies['session_report'] = {'note': 'Good start! Watch the past tense.', 'focus_next': []}
    sign_up(page, 'loop')
    gallery_room(page, 'cafe-order')
    page.get_by_label('Message').fill(LINE)
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('Better:', exact=True)).to_be_visible()
    expect(page.get_by_role('button', name='Play reply').last).to_be_visible()

    page.get_by_role('button', name='End session').click()
    expect(page).to_have_url(re.compile(r'/rooms/\d+/report/\d+$'))
    expect(page.get_by_text('Verb tense: 1')).to_be_visible()
    page.get_by_role('button', name='Save exquisite to your vocabulary').click()
    expect(page.get_by_text('"exquisite" is in your vocabulary')).to_be_visible()
    shot('report-word-saved')

    page.get_by_role('link', name='Vocabulary').first.click()
    expect(page).to_have_url(re.compile(r'/vocabulary$'))
    review = page.get_by_role('button', name=re.compile(r'^Review'))
    expect(review).to_have_text(re.compile(r'Review \(1 due\)'))
    review.click()
    expect(page.get_by_test_id('review-cloze')).to_have_text('The _____ cake is ready.')
    page.get_by_label('Your answer').fill('exquisite')
    page.get_by_role('button', name='Show answer').click()
    page.get_by_role('button', name='Good').click()
    expect(page.get_by_text('Nothing is due right now. Well done!')).to_be_visible()
    expect(review).to_have_text(re.compile(r'Review \(0 due\)'))

    page.get_by_role('link', name='Progress').first.click()
    expect(page.get_by_test_id('days-practised')).to_contain_text('Practised 1 of the last 7 days')
    expect(page.locator('.practice-calendar .calendar-day').last).to_have_class(re.compile('practised'))
    shot('progress')
