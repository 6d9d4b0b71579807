"""Zero configuration: with no LLM set, the embedded SmolLM2 model answers in a room, offline."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up


@pytest.fixture
def embedded_page(page: Page, embedded_app: str) -> Page:
    page.set_default_timeout(60_000)  # the first reply also loads the model
    return page


def test_embedded_model_answers(embedded_page: Page, embedded_app: str, shot) -> None:
    """Sign up, open a small-talk room and get a real reply from the local model."""
    page = embedded_page
    sign_up(page, 'local', embedded_app)
    expect(page.get_by_test_id('model-label')).to_have_text('SmolLM2-135M · on this computer')
    gallery_room(page, 'small-talk')
    page.get_by_label('Message').fill('Hi! How was your weekend?')
    page.get_by_role('button', name='Send').click()
    reply = page.locator('.reply-bubble .reply-markdown').last
    expect(reply).to_be_visible(timeout=60_000)  # the model's first words (slow on a busy machine)
    expect(page.get_by_text('Writing…')).to_have_count(0, timeout=60_000)  # the reply is complete
    expect(page.get_by_role('button', name='Send')).to_be_visible()
    expect(reply).not_to_be_empty()
    assert len(reply.inner_text().strip()) > 2
    expect(page.get_by_text('4 of 5 replies left today')).to_be_visible()
    shot('embedded-reply')
