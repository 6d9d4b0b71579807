"""After the conversation in Chromium: a line with a mistake → `End session` → the report shows it → /history."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.e2e.test_learning_journey import LINE, MISTAKE
from tests.fakes.openai_server import FakeLLMServer


def test_end_session_shows_the_mistake_in_the_report(page: Page, llm: FakeLLMServer, shot) -> None:
    """Talk with a mistake, press `End session`: `Session report` with the error, its fix and the coach note."""
    llm.task_replies['turn_feedback'] = MISTAKE
    llm.task_replies['session_report'] = {'note': 'Good start! Watch the past tense.', 'focus_next': []}
    sign_up(page, 'report')
    gallery_room(page, 'cafe-order')
    page.get_by_label('Message').fill(LINE)
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('Better:', exact=True)).to_be_visible()

    page.get_by_role('button', name='End session').click()
    expect(page).to_have_url(re.compile(r'/rooms/\d+/report/\d+$'))
    expect(page.get_by_role('heading', name='Session report')).to_be_visible()
    expect(page.get_by_text('Good start! Watch the past tense.')).to_be_visible()
    expect(page.get_by_text('Verb tense: 1')).to_be_visible()
    expect(page.get_by_test_id('figure-your-turns')).to_have_text('1')
    expect(page.get_by_test_id('chart-report-errors')).to_be_visible()
    shot('report')
    with page.expect_download() as download:
        page.get_by_role('button', name='Download Markdown').click()
    assert download.value.suggested_filename.endswith('.md')

    page.goto(page.url.split('/rooms/')[0] + '/history')
    page.get_by_role('link', name=re.compile('Café|cafe', re.IGNORECASE)).first.click()
    expect(page.get_by_role('heading', name='Session report')).to_be_visible()
    expect(page.get_by_text('Verb tense: 1')).to_be_visible()
