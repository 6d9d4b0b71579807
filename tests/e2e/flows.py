"""Steps several browser journeys share."""

import re
import uuid

from playwright.sync_api import Page, expect


def sign_up(page: Page, prefix: str, base_url: str = '', exact_username: bool = False) -> str:
    """Create a fresh account through the sign-up form and land on /rooms; returns the username
    (`prefix` plus a random tail, or `prefix` itself with `exact_username`)."""
    username = prefix if exact_username else f'{prefix}_{uuid.uuid4().hex[:8]}'
    page.goto(f'{base_url}/signup')
    connected(page)
    page.get_by_label('Username').fill(username)
    page.get_by_label('Email').fill(f'{username}@example.com')
    page.get_by_label('Password', exact=True).fill('amber-kettle-58')
    page.get_by_label('Confirm password').fill('amber-kettle-58')
    page.get_by_role('button', name='Sign up').click()
    expect(page).to_have_url(re.compile(r'/rooms$'))
    connected(page)
    return username


def connected(page: Page) -> None:
    """Until the page's websocket handshake is done. NiceGUI holds back what happens before it, each event
    retried on its own 10 ms timer, so quick actions can reach the server out of order (a click before the
    fields typed just before it: a sign-up refused as empty under load). No person is that quick."""
    page.wait_for_function('window.did_handshake === true')


def gallery_room(page: Page, scenario: str) -> None:
    """From /rooms: `New room`, pick a gallery scenario, `Save`, and land in its chat."""
    page.get_by_role('button', name='New room').click()
    expect(page).to_have_url(re.compile(r'/rooms/new$'))
    connected(page)
    page.get_by_test_id(f'scenario-{scenario}').click()
    page.get_by_role('button', name='Save').click()
    expect(page).to_have_url(re.compile(r'/rooms/\d+$'))
    connected(page)
