"""Listening practice in Chromium: a reply is heard (a real, playable audio source) and listening mode works."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer


def room_ready(page: Page) -> None:
    sign_up(page, 'listen')
    gallery_room(page, 'cafe-order')


def audio_duration(page: Page) -> float:
    """Seconds of the page player's current source, once the browser has decoded its metadata."""
    page.wait_for_function(
        'document.querySelector("audio") && document.querySelector("audio").readyState >= 1', timeout=20_000
    )
    return page.evaluate('document.querySelector("audio").duration')


def test_play_reply_gives_playable_audio(page: Page, llm: FakeLLMServer, shot) -> None:
    """Clicking Play reply loads a real WAV into the player: the browser decodes a positive duration."""
    llm.reply = 'Good morning! What can I get for you today?'
    room_ready(page)
    page.get_by_label('Message').fill('Good morning!')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('What can I get for you today?')).to_be_visible()
    page.get_by_role('button', name='Play reply').click()
    assert audio_duration(page) > 1.0
    source = page.evaluate('document.querySelector("audio").currentSrc')
    assert re.search(r'/audio/messages/\d+\?slow=false', source)
    shot('played')


def test_listening_mode_hides_then_reveals(page: Page, llm: FakeLLMServer, shot) -> None:
    """In listening mode the reply plays by itself with its text hidden until Show text."""
    llm.reply = 'Your cappuccino will be ready in two minutes.'
    room_ready(page)
    page.get_by_text('Listening mode').click()
    page.get_by_text('Slow speech').click()
    page.get_by_label('Message').fill('A cappuccino, please.')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_role('button', name='Show text')).to_be_visible()
    expect(page.get_by_text('Your cappuccino will be ready')).to_have_count(0)
    assert audio_duration(page) > 1.0
    assert 'slow=true' in page.evaluate('document.querySelector("audio").currentSrc')
    shot('hidden')
    page.get_by_role('button', name='Show text').click()
    expect(page.get_by_text('Your cappuccino will be ready in two minutes.')).to_be_visible()
    page.reload()  # both switches are remembered for the room
    expect(page.get_by_role('switch', name='Listening mode')).to_be_checked()
    expect(page.get_by_role('switch', name='Slow speech')).to_be_checked()
    shot('revealed')
