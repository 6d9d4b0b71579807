"""The OpenAPI page renders in Chromium with no internet: Swagger UI is served by the app itself."""

from playwright.sync_api import Page, expect


def test_docs_page_lists_the_api(page: Page, shot) -> None:
    """/docs shows the API's title and its operations, and nothing of NiceGUI's own routes."""
    page.goto('/docs')
    expect(page.get_by_text('SpeakRoom API').first).to_be_visible()
    expect(page.get_by_text('/api/auth/register').first).to_be_visible()
    expect(page.get_by_text('/api/rooms/{room_id}/messages').first).to_be_visible()
    expect(page.get_by_text('/_nicegui')).to_have_count(0)
    shot('docs')
